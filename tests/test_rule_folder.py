"""A `--rules DIR` folder is checked as the bundled rules are: every entry named as a rule file must be a
regular file (never opened otherwise: a FIFO would hang the run), every command refuses a folder in which
`rules validate` would list a problem (the renewal section too), a credential id is what --cert can name,
and nothing of a file is quoted until it has shown itself a rule file (rules/README.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from rule_copies import bundled_text, rule_folder

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
ELIGIBLE = ["eligible", "--age", "17", "--program", "none", "--graduated", "2025-12-01", "--as-of", "2026-11-23",
            "--json"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def refused(r, *parts: str) -> None:
    """Exit 2 with one error line holding every part, and nothing on standard output."""
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert r.stdout == "" and len(r.stderr.splitlines()) == 1 and r.stderr.startswith("ma-cli: error: "), r.stderr
    for part in parts:
        assert part in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


# --- 1. the credential id -------------------------------------------------------------------

@pytest.mark.parametrize("cid", ["ma", "administrative", "phlebotomy", "ekg", "ophthalmic", "medical-assisting",
                                 '""', '"cma,rma"', '"x;y"', '"x:y"', '"a b"', '"../../etc"', '"e\\ex"', '"CMAC "',
                                 "CMAC", "9a", "-a", "a_b", "a.b"])
def test_an_id_that_cert_cannot_name_is_refused(tmp_path, cid):
    folder = rule_folder(tmp_path / "r", ("credential: cmac", f"credential: {cid}"), name="cmac.yaml")
    listed = run("rules", "validate", folder)
    assert listed.exit_code == 1, listed.stdout
    assert f"{folder / 'cmac.yaml'}:2:1: 'credential' of the rule file is '" in listed.stdout
    assert "\x1b" not in listed.stdout
    refused(run(*ELIGIBLE, "--cert", "cma", "--rules", folder), f"{folder / 'cmac.yaml'}:2:1: 'credential'")


def test_an_id_of_letters_digits_and_hyphens_is_a_credential(tmp_path):
    folder = rule_folder(tmp_path / "r", ("credential: cmac", "credential: school-cmac2"), name="cmac.yaml")
    assert run("rules", "validate", folder).exit_code == 0
    r = run(*ELIGIBLE, "--cert", "school-cmac2", "--rules", folder)
    assert r.exit_code in (0, 1, 3) and '"credential": "school-cmac2"' in r.stdout, r.stdout


# --- 2. entries that are not rule files -----------------------------------------------------

def _folder_with(tmp_path: Path, make) -> Path:
    folder = rule_folder(tmp_path / "d", name="cmac.yaml")
    make(folder / "cma.yaml")
    return folder


BROKEN = {
    "folder": (lambda p: p.mkdir(), "is a folder; expected a rule file"),
    "fifo": (lambda p: os.mkfifo(p), "is a device or pipe, not a file; expected a rule file"),
    "dangling link": (lambda p: p.symlink_to("nothere.yaml"),
                      "is a symbolic link to 'nothere.yaml', which is not found; expected a rule file"),
    "link loop": (lambda p: p.symlink_to(p.name), "is a loop of symbolic links"),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_an_entry_that_is_not_a_rule_file_is_refused_not_skipped(tmp_path, kind):
    """A folder with a valid cmac.yaml and a broken cma.yaml said '1 rule file: valid' and answered cma from
    the bundled rules."""
    make, words = BROKEN[kind]
    folder = _folder_with(tmp_path, make)
    refused(run("rules", "validate", folder), f"{folder / 'cma.yaml'}: {words}")
    refused(run(*ELIGIBLE, "--cert", "cma", "--rules", folder), f"{folder / 'cma.yaml'}: {words}")


@pytest.mark.parametrize("kind", [kind for kind in BROKEN if kind != "folder"])  # (a folder is read as one of rules)
def test_one_rule_file_that_is_not_one_is_refused_without_opening_it(tmp_path, kind):
    """`rules validate fifo.yaml` with no writer hung: a real process, so a hang fails the test."""
    make, words = BROKEN[kind]
    path = tmp_path / "cma.yaml"
    make(path)
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "rules", "validate", str(path)], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("ma-cli: error: ") and len(proc.stderr.splitlines()) == 1, proc.stderr
    # (a name given on the command line is judged as an argument, in its own wording: PATH '...' is ...)
    assert str(path) in proc.stderr and words.split(";")[0] in proc.stderr, proc.stderr


# --- 3. every command refuses what validate lists -------------------------------------------

RENEWAL_PROBLEMS = {
    "nan": (("    credits: 10\n", "    credits: .nan\n"), "should be a finite number, got nan"),
    "date": (("    effective: unknown\n  ce_total", "    effective: 2200-01-01\n  ce_total"),
             "should be a date (YYYY-MM-DD) or 'unknown', got '2200-01-01'"),
    "months": (("length: {months: 24}", "length: {months: 99999999}"), "'months' in 'length' is 99,999,999"),
    "digits": (("    credits: 10\n", "    credits: 1" + "0" * 400 + "\n"),
               "'credits' in renewal ce_total should be a number: '100000000000... (401 characters)' has too many "
               "digits"),
}
COMMANDS = {
    "eligible": ELIGIBLE + ["--cert", "cmac"],
    "plan": ["plan", "--age", "17", "--as-of", "2026-11-23", "--cert", "cmac"],
    "rules show": ["rules", "show", "cmac"],
    "rules list": ["rules", "list"],
    "batch eligible": ["batch", "eligible", str(ROOT / "examples" / "roster.csv"), "--as-of", "2026-11-23"],
}


@pytest.mark.parametrize("problem", RENEWAL_PROBLEMS)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_validate_faults_is_refused_by_every_command(tmp_path, problem, command):
    """Only `renew` refused these; the others answered from the broken file with exit 0."""
    edit, words = RENEWAL_PROBLEMS[problem]
    folder = rule_folder(tmp_path / "r", edit, name="cmac.yaml")
    listed = run("rules", "validate", folder)
    assert listed.exit_code == 1 and words in listed.stdout, listed.stdout
    refused(run(*COMMANDS[command], "--rules", folder), f"{folder / 'cmac.yaml'}:", words)


# --- 4. nothing quoted until the file shows itself a rule file ------------------------------

SECRET = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


@pytest.mark.parametrize("text, got", [
    (SECRET, "got text"),
    ("12345678\n", "got a number"),
    ("password: hunter2\ntoken: s3cr3t\n", "got a mapping with no 'credential:'"),
])
def test_a_file_that_is_no_rule_file_is_not_quoted(tmp_path, text, got):
    elsewhere = tmp_path / "private.txt"
    elsewhere.write_text(text)
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "cma.yaml").symlink_to(elsewhere)
    listed = run("rules", "validate", folder)
    assert listed.exit_code == 1
    assert listed.stdout.splitlines()[0] == (f"{folder / 'cma.yaml'}:1:1: a rule file should be a mapping with "
                                             f"'credential:', 'sources:' and 'eligibility:', {got}")
    r = run(*ELIGIBLE, "--rules", folder)
    refused(r, got)
    for secret in ("root:", "hunter2", "password", "token", "12345678"):
        assert secret not in listed.stdout + r.stderr


def test_a_rule_file_is_quoted_once_it_names_its_credential(tmp_path):
    """A mapping with `credential:` has shown itself a rule file: its problems name what is wrong."""
    text = bundled_text("cmac.yaml").replace("name: ", "nmae: ", 1)
    folder = rule_folder(tmp_path / "r", text=text, name="cmac.yaml")
    assert "unknown key 'nmae' in the rule file" in run("rules", "validate", folder).stdout


def test_validate_lists_a_file_that_is_not_text_with_the_others(tmp_path):
    """rules/README: validate reports every problem at once. A binary or non-UTF-8 file stopped it (one line,
    exit 2) and the folder's other problems went unsaid."""
    folder = tmp_path / "multi"
    folder.mkdir()
    text = (Path(__file__).resolve().parents[1] / "rules" / "cpt.yaml").read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(text.replace("credential: cpt", "credential: CPT2", 1), encoding="utf-8")
    (folder / "e.yaml").write_bytes(b"\x00\x01binary")
    (folder / "f.yaml").write_bytes(b"\xe9t\xe9: 1\n")
    r = CliRunner().invoke(app, ["rules", "validate", str(folder)])
    assert r.exit_code == 1, r.output
    lines = r.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [str(folder / n) for n in ("a.yaml", "e.yaml", "f.yaml")]
    assert "e.yaml:1:1: not text" in lines[1] and "f.yaml:1:1: not UTF-8 text" in lines[2]
    assert lines[-1] == "3 problems in 3 of 3 rule files."
