"""What a run does to its outputs when the world misbehaves (README "Errors, safety and fuzzing").

Real processes for what the bad-input catalog cannot express: signals during `batch -o` on a
large generated roster, standard output full, closed or gone (`| head -1`), a disk limit on the
output file, file modes under a umask, symbolic links planted in a sticky shared folder, and the
roster overwritten through standard input; then a hypothesis property for user text in tables.
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from ma_cli.base.literal import visible
from ma_cli.commands.cli import app
from signal_defaults import default_signals

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"
EXAMPLE = ROOT / "examples" / "roster.csv"
RENEWALS_EXAMPLE = ROOT / "examples" / "renewals.csv"
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("MA_CLI_")}, "NO_COLOR": "1",
       "PYTHONDONTWRITEBYTECODE": "1"}
CLI = [sys.executable, "-m", "ma_cli"]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, devices and modes")


def cli(*args, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("capture_output", "stdout" not in kw)
    if "stdout" in kw:
        kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([*CLI, *map(str, args)], text=True, env=ENV, timeout=120, **kw)


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory) -> Path:
    """60,000 realistic rows (bench/make_roster.py): several seconds of work, time enough for a signal."""
    path = tmp_path_factory.mktemp("big") / "roster.csv"
    with open(path, "w") as out:
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_roster.py"), "60000"], stdout=out, check=True,
                       timeout=120)
    return path


def _wait_for_temporary(folder: Path, proc: subprocess.Popen) -> None:
    for _ in range(600):  # up to 60 s on a loaded machine
        if any(p.name.endswith(".tmp") for p in folder.iterdir()):
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended ({proc.returncode}) before it started writing: {proc.stderr.read()}")
        time.sleep(0.1)
    proc.kill()
    pytest.fail("the run never started writing")


# --- class 9: signals ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM"])
def test_a_terminating_signal_leaves_nothing_behind_and_says_so(tmp_path, big_roster, name):
    out = tmp_path / "results.csv"
    out.write_text("last month's results\n")
    signum = getattr(signal, name)
    proc = subprocess.Popen([*CLI, "batch", "eligible", str(big_roster), "-o", str(out), "--as-of", AS_OF],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                            preexec_fn=default_signals)
    _wait_for_temporary(tmp_path, proc)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr) == (128 + signum, f"ma-cli: interrupted by {name}; nothing written\n")
    assert stdout == ""
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]  # no temporary file
    assert out.read_text() == "last month's results\n"  # the previous results as they were


def test_a_signal_while_waiting_for_rows_on_standard_input(tmp_path):
    out = tmp_path / "results.jsonl"
    proc = subprocess.Popen([*CLI, "batch", "eligible", "-", "-o", str(out), "--format", "jsonl", "--as-of", AS_OF],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
                            preexec_fn=default_signals)
    proc.stdin.write(b"id,program,completed\n" + b"a,caahep,2026-05-15\n" * 50)
    proc.stdin.flush()
    _wait_for_temporary(tmp_path, proc)
    proc.send_signal(signal.SIGHUP)
    _, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr) == (128 + signal.SIGHUP, b"ma-cli: interrupted by SIGHUP; nothing written\n")
    assert list(tmp_path.iterdir()) == []


def test_a_signal_ignored_at_start_stays_ignored(tmp_path, big_roster):
    """nohup: SIGHUP was ignored when the run started, so it must not stop the run."""
    out = tmp_path / "results.csv"
    proc = subprocess.Popen([*CLI, "batch", "eligible", str(big_roster), "-o", str(out), "--as-of", AS_OF],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                            preexec_fn=lambda: (default_signals(), signal.signal(signal.SIGHUP, signal.SIG_IGN)))
    _wait_for_temporary(tmp_path, proc)
    proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    assert proc.poll() is None, proc.stderr.read()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr) == (128 + signal.SIGTERM, "ma-cli: interrupted by SIGTERM; nothing written\n")
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_without_an_output_file_says_so_in_one_line():
    proc = subprocess.Popen([*CLI, "batch", "eligible", "-", "--as-of", AS_OF], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, preexec_fn=default_signals)
    proc.stdin.write(b"id,program,completed\na,caahep,2026-05-15\n")
    proc.stdin.flush()
    time.sleep(3)  # start-up, then blocked reading standard input
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr) == (130, b"ma-cli: interrupted by SIGINT\n")


# --- class 6: standard output full, closed or gone; a disk limit on -o ---------------------------

STDOUT_RUNS = [
    ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", AS_OF],
    ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", AS_OF, "--json"],
    ["plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", AS_OF, "--explain"],
    ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", AS_OF],
    ["rules", "show", "cma"],
    ["batch", "eligible", str(EXAMPLE), "--as-of", AS_OF],
    ["--help"],
    ["--version"],
    ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", AS_OF, "--ics", "-"],
]


@pytest.mark.parametrize("args", STDOUT_RUNS, ids=lambda a: " ".join(a[:2]) + (" --json" if "--json" in a else "") + (" --ics -" if "--ics" in a else ""))
def test_standard_output_on_a_full_disk_is_one_line_and_exit_74(args):
    with open("/dev/full", "w") as full:
        proc = cli(*args, stdout=full)
    assert proc.stderr == "ma-cli: error: standard output: cannot write: No space left on device\n"
    assert proc.returncode == 74


@pytest.mark.parametrize("args", STDOUT_RUNS, ids=lambda a: " ".join(a[:2]) + (" --json" if "--json" in a else "") + (" --ics -" if "--ics" in a else ""))
def test_standard_output_closed_is_one_line_and_exit_74(args):
    proc = cli(*args, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert proc.stderr == ("ma-cli: error: standard output: cannot write: it was closed when ma-cli started "
                           "(expected an open output, e.g. > FILE)\n")
    assert proc.returncode == 74


def test_standard_output_closed_does_not_matter_with_an_output_file(tmp_path):
    proc = cli("batch", "eligible", EXAMPLE, "-o", tmp_path / "out.csv", "--as-of", AS_OF,
               stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.csv").read_text().startswith("id,line,status")


@pytest.mark.parametrize("args", STDOUT_RUNS, ids=lambda a: " ".join(a[:2]) + (" --json" if "--json" in a else "") + (" --ics -" if "--ics" in a else ""))
def test_a_reader_that_went_away_ends_the_run_quietly_with_141(args):
    """`ma-cli ... | head -c1`: not exit 1 ("not eligible"), not a traceback; 128 + SIGPIPE, as a shell reports it."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = cli(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (141, "")


def test_an_output_file_that_is_a_pipe_whose_reader_went_away(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = cli("batch", "eligible", EXAMPLE, "--as-of", AS_OF, "-o", "/dev/stdout", stdout=write_end)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (141, "")


def test_a_big_roster_into_head(big_roster):
    proc = subprocess.run(f"{' '.join(CLI)} batch eligible {big_roster} --as-of {AS_OF} | head -1; "
                          "echo \"exit ${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash", capture_output=True,
                          text=True, env=ENV, timeout=120)
    assert proc.stdout.splitlines()[0].startswith("id,line,status,error")
    assert proc.stdout.splitlines()[-1] == "exit 141"
    assert proc.stderr == ""


def test_a_file_size_limit_on_the_output_is_exit_74_and_keeps_the_previous_file(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(EXAMPLE.read_text() + "".join(EXAMPLE.read_text().splitlines(True)[1:]) * 30)
    out = tmp_path / "out.csv"
    out.write_text("previous\n")
    proc = cli("batch", "eligible", roster, "-o", out, "--as-of", AS_OF,
               preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)))
    assert (proc.returncode, proc.stderr) == (74, f"ma-cli: error: -o {out}: cannot write: File too large\n")
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "r.csv"]


# --- class 5: the input overwritten ------------------------------------------------------------

def test_output_over_the_roster_read_from_standard_input_is_refused(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(EXAMPLE.read_text())
    for output in (roster, "/dev/stdin"):
        with open(roster) as stdin:
            proc = cli("batch", "eligible", "-", "-o", output, "--as-of", AS_OF, stdin=stdin)
        assert proc.returncode == 2
        assert proc.stderr == (f"ma-cli: error: -o {output}: is standard input; expected a different file "
                               f"(writing there would destroy the input)\n")
        assert roster.read_text() == EXAMPLE.read_text()


def test_output_over_a_hard_link_to_the_roster_is_refused(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(EXAMPLE.read_text())
    os.link(roster, tmp_path / "same.csv")
    proc = cli("batch", "eligible", roster, "-o", tmp_path / "same.csv", "--as-of", AS_OF)
    assert proc.returncode == 2
    assert f"is the input file {roster}" in proc.stderr
    assert roster.read_text() == EXAMPLE.read_text()


def test_results_appended_to_the_roster_itself_are_refused(tmp_path):
    """`ma-cli batch eligible r.csv >> r.csv` would read its own output for ever."""
    roster = tmp_path / "r.csv"
    roster.write_text(EXAMPLE.read_text())
    with open(roster, "a") as append:
        proc = cli("batch", "eligible", roster, "--as-of", AS_OF, stdout=append)
    assert proc.returncode == 2
    assert proc.stderr == (f"ma-cli: error: standard output: is the input file {roster}; expected a different file "
                           f"(writing there would destroy the input)\n")
    assert roster.read_text() == EXAMPLE.read_text()


def _stdout_input_cases(tmp_path):
    """(argv, the file standard output is appended to, what the refusal names) for every kind of input."""
    shutil.copy(ROOT / "examples" / "person.yaml", tmp_path / "p.yaml")
    shutil.copy(ROOT / "examples" / "ce.csv", tmp_path / "ce.csv")
    (tmp_path / "ce").mkdir()
    shutil.copy(ROOT / "examples" / "ce.csv", tmp_path / "ce" / "ok.csv")
    (tmp_path / "small.csv").write_text("id,credential,since,ce_log\na1,cma,2022-03-15,ce/ok.csv\n")
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    p, ce, rules = tmp_path / "p.yaml", tmp_path / "ce.csv", tmp_path / "rules"
    rule = rules / "cma.yaml"
    return {
        "eligible --profile": (["eligible", "--profile", p], p, f"the input file {p}"),
        "plan --html -": (["plan", "--profile", p, "--html", "-"], p, f"the input file {p}"),
        "renew --ics -": (["renew", "--profile", p, "--ics", "-"], p, f"the input file {p}"),
        "--profile - from the file": (["eligible", "--profile", "-"], p, "standard input"),
        "renew --ce-log --json": (["renew", "--cert", "cma", "--since", "2022-03-15", "--ce-log", ce, "--json"], ce,
                                  f"the input file {ce}"),
        "a roster's CE log": (["batch", "renew", tmp_path / "small.csv"], tmp_path / "ce" / "ok.csv",
                              f"the input file {tmp_path / 'ce' / 'ok.csv'} (read during the run)"),
        "a roster's CE log, --jobs 2": (["batch", "renew", tmp_path / "small.csv", "--jobs", "2"],
                                        tmp_path / "ce" / "ok.csv",
                                        f"the input file {tmp_path / 'ce' / 'ok.csv'} (read during the run)"),
        "a roster's CE log, --ics -": (["batch", "renew", tmp_path / "small.csv", "-o", tmp_path / "out.csv",
                                        "--ics", "-"], tmp_path / "ce" / "ok.csv",
                                       f"the input file {tmp_path / 'ce' / 'ok.csv'} (read during the run)"),
        "a rule file": (["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--rules", rules], rule,
                        f"the input file {rule}"),
    }


@pytest.mark.parametrize("case", ["eligible --profile", "plan --html -", "renew --ics -", "--profile - from the file",
                                  "renew --ce-log --json", "a roster's CE log", "a roster's CE log, --jobs 2",
                                  "a roster's CE log, --ics -", "a rule file"])
def test_standard_output_appended_to_any_input_is_refused(tmp_path, case):
    """README: "An output that is one of the inputs is refused (exit 2) ... `ma-cli batch eligible r.csv >>
    r.csv`". Every input goes through the one check (outfile.note_input): a profile, a CE log, a roster's
    CE logs and rule files were appended to (the CE log then read its own rows back, exit 4)."""
    args, target, named = _stdout_input_cases(tmp_path)[case]
    before = target.read_bytes()
    with open(target, "a") as append, open(target if "-" in args else os.devnull) as stdin:
        proc = cli(*args, "--as-of", AS_OF, stdout=append, stdin=stdin, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (f"ma-cli: error: standard output: is {named}; expected a different file "
                           f"(writing there would destroy the input)\n")
    assert target.read_bytes() == before


def test_a_roster_whose_ce_logs_are_not_standard_output_still_goes_there(tmp_path):
    """Standard output held back for a roster's CE logs (a file) is written whole at the end."""
    _stdout_input_cases(tmp_path)
    out = tmp_path / "out.csv"
    out.write_text("before\n")
    with open(out, "a") as append:
        proc = cli("batch", "renew", tmp_path / "small.csv", "--as-of", AS_OF, stdout=append, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    piped = cli("batch", "renew", tmp_path / "small.csv", "--as-of", AS_OF, cwd=tmp_path)
    assert out.read_text() == "before\n" + piped.stdout


def test_standard_output_unused_may_be_an_input(tmp_path):
    """With -o FILE a batch run prints nothing on standard output (its summary line is on standard error):
    `>> r.csv` destroys nothing and is not refused."""
    roster, out = tmp_path / "r.csv", tmp_path / "out.csv"
    roster.write_text(EXAMPLE.read_text())
    with open(roster, "a") as append:
        proc = cli("batch", "eligible", roster, "-o", out, "--as-of", AS_OF, stdout=append)
    assert proc.returncode == 0, proc.stderr
    assert roster.read_text() == EXAMPLE.read_text() and out.read_text().startswith("id,line,status")


@pytest.mark.parametrize("args", [["batch", "eligible", "-"], ["batch", "renew", "-"],
                                  ["batch", "eligible", "-", "--jobs", "2"], ["batch", "eligible", "-", "-o", "x.csv"],
                                  ["batch", "renew", "-", "--format", "html"]])
def test_a_roster_on_closed_standard_input_is_one_line(tmp_path, args):
    """As `eligible --profile - <&-` says (exit 2), not "internal error: TypeError" (exit 70)."""
    proc = cli(*args, stdin=subprocess.DEVNULL, cwd=tmp_path, preexec_fn=lambda: os.close(0))
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        2, "", "ma-cli: error: <stdin>: no standard input to read the roster from\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, kept, failing", [
    (["batch", "renew", RENEWALS_EXAMPLE, "--ics", "/dev/full", "-o", "{dir}/y.csv"], "y.csv", "--ics /dev/full"),
    (["batch", "renew", RENEWALS_EXAMPLE, "-o", "/dev/full", "--ics", "{dir}/y.csv"], "y.csv", "-o /dev/full"),
    (["plan", "--program", "caahep", "--graduated", "2026-05-15", "--html", "/dev/full", "--ics", "{dir}/x.ics"],
     "x.ics", "--html /dev/full"),
    (["plan", "--program", "caahep", "--graduated", "2026-05-15", "--ics", "/dev/full", "--html", "{dir}/x.html"],
     "x.html", "--ics /dev/full"),
])
def test_a_failed_run_keeps_every_previous_file(tmp_path, args, kept, failing):
    """README: "a failed run leaves the previous file as it was"; with two outputs the one written first was
    replaced all the same (outfile.together: every output is renamed only once all are written)."""
    (tmp_path / kept).write_text("OLD\n")
    proc = cli(*[str(a).replace("{dir}", str(tmp_path)) for a in args], "--as-of", AS_OF)
    assert (proc.returncode, proc.stderr) == (74, f"ma-cli: error: {failing}: cannot write: No space left on device\n")
    assert (tmp_path / kept).read_text() == "OLD\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [kept]


PERSON = ROOT / "examples" / "person.yaml"
RENEW_ICS = ["renew", "--cert", "cma", "--since", "2022-03-15", "--ics"]
PLAN_FILES = ["plan", "--program", "caahep", "--expected", "2027-05-10"]


@pytest.mark.parametrize("args, named, append", [
    (RENEW_ICS + ["s.ics"], "--ics", False),
    (["plan", "--profile", PERSON, "--ics", "s.ics", "--json"], "--ics", False),
    (["plan", "--profile", PERSON, "--html", "s.ics"], "--html", False),
    (["plan", "--profile", PERSON, "--ics", "-", "--html", "s.ics"], "--html", False),  # the calendar printed
    (["batch", "renew", RENEWALS_EXAMPLE, "--ics", "s.ics"], "--ics", False),
    (["batch", "renew", RENEWALS_EXAMPLE, "--ics", "s.ics"], "--ics", True),
    (["batch", "renew", RENEWALS_EXAMPLE, "--ics", "-", "-o", "s.ics", "--format", "csv"], "-o", True),
], ids=["renew --ics", "plan --ics --json", "plan --html", "plan --ics - --html", "batch renew --ics",
        "batch renew --ics >>", "batch renew -o, --ics - >>"])
def test_a_named_output_that_is_standard_output_is_refused(tmp_path, args, named, append):
    """`--ics s.ics > s.ics`: the calendar replaced the file standard output was writing, and the table
    (or every row) went to the file it had replaced, exit 0. Refused as two named outputs that are one
    file are (`--ics X: is the -o file too`), before anything is written."""
    target = tmp_path / "s.ics"
    before = "kept\n" if append else ""
    target.write_text(before)
    with open(target, "a" if append else "w") as out:
        proc = cli(*args, "--as-of", AS_OF, stdout=out, cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (
        2, f"ma-cli: error: {named} s.ics: is standard output too (expected two different files)\n")
    assert target.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.ics"]


@pytest.mark.parametrize("args", [
    ["batch", "renew", RENEWALS_EXAMPLE, "--as-of", AS_OF, "-o", "rows.csv", "--ics", "s.ics"],
    ["batch", "template", "s.ics.csv"],
], ids=["batch -o", "batch template"])
def test_a_run_that_prints_nothing_may_name_standard_outputs_file(tmp_path, args):
    """With -o FILE (its summary line is on standard error) or `batch template FILE` nothing is printed:
    `> FILE` loses nothing, and standard output closed does not matter."""
    target = tmp_path / ("s.ics.csv" if "template" in args else "s.ics")
    with open(target, "w") as out:
        proc = cli(*args, stdout=out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text().startswith("BEGIN:VCALENDAR" if target.suffix == ".ics" else "id,")
    target.unlink()
    proc = cli(*args, stdout=subprocess.DEVNULL, cwd=tmp_path, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 0, proc.stderr
    assert target.exists()


def _closed():
    return {"stdout": subprocess.DEVNULL, "preexec_fn": lambda: os.close(1)}


CLOSED = ("ma-cli: error: standard output: cannot write: it was closed when ma-cli started (expected an open "
          "output, e.g. > FILE)\n")
FULL = "ma-cli: error: standard output: cannot write: No space left on device\n"


@pytest.mark.parametrize("args, kept", [
    (RENEW_ICS + ["old.ics"], ["old.ics"]),
    (RENEW_ICS + ["old.ics", "--json"], ["old.ics"]),
    (PLAN_FILES + ["--ics", "old.ics", "--html", "old.html"], ["old.html", "old.ics"]),
    (PLAN_FILES + ["--ics", "-", "--html", "old.html"], ["old.html"]),
    (["batch", "renew", RENEWALS_EXAMPLE, "--ics", "old.ics"], ["old.ics"]),
], ids=["renew --ics", "renew --ics --json", "plan --ics --html", "plan --ics - --html", "batch renew --ics"])
@pytest.mark.parametrize("how", ["closed", "full", "reader gone"])
def test_a_failed_standard_output_keeps_every_named_file(tmp_path, args, kept, how):
    """README: a run's outputs are renamed "only once both are written", and "a failed run leaves the previous
    file as it was"; standard output is one of them. plan and renew replaced their --ics/--html files, then
    failed on standard output (exit 74). Standard output closed from the start is found before any file is
    written."""
    for name in kept:
        (tmp_path / name).write_text("OLD\n")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        if how == "closed":
            proc = cli(*args, "--as-of", AS_OF, cwd=tmp_path, **_closed())
        elif how == "full":
            with open("/dev/full", "w") as full:
                proc = cli(*args, "--as-of", AS_OF, cwd=tmp_path, stdout=full)
        else:
            proc = cli(*args, "--as-of", AS_OF, cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == {"closed": (74, CLOSED), "full": (74, FULL), "reader gone": (141, "")}[how]
    assert {name: (tmp_path / name).read_text() for name in kept} == {name: "OLD\n" for name in kept}
    assert sorted(p.name for p in tmp_path.iterdir()) == kept


def test_named_files_are_written_once_standard_output_is(tmp_path):
    """The order changed, not the result: a run that prints and writes files still writes both whole."""
    with open(tmp_path / "out.txt", "w") as out:
        proc = cli(*PLAN_FILES, "--ics", "p.ics", "--html", "p.html", "--as-of", AS_OF, stdout=out, cwd=tmp_path)
    assert proc.returncode in (0, 1, 3), proc.stderr
    assert (tmp_path / "out.txt").read_text().startswith("Plan as of 2026-11-23")
    assert (tmp_path / "p.ics").read_text().startswith("BEGIN:VCALENDAR")
    assert (tmp_path / "p.html").read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "p.html", "p.ics"]


# --- class 10: modes and symbolic links ------------------------------------------------------------

OUTPUTS = {
    "-o": ["batch", "eligible", str(EXAMPLE), "--as-of", AS_OF, "-o"],
    "renew --ics": ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", AS_OF, "--ics"],
    "plan --ics": ["plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", AS_OF, "--ics"],
}


@pytest.mark.parametrize("kind", OUTPUTS)
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077, 0o002])
def test_a_new_output_file_gets_0666_less_the_umask(tmp_path, kind, umask):
    target = tmp_path / "out"
    proc = cli(*OUTPUTS[kind], target, preexec_fn=lambda: os.umask(umask))
    assert proc.returncode in (0, 3), proc.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("kind", OUTPUTS)
def test_a_replaced_output_file_keeps_its_mode(tmp_path, kind):
    target = tmp_path / "out"
    target.write_text("old\n")
    target.chmod(0o600)
    proc = cli(*OUTPUTS[kind], target)
    assert proc.returncode in (0, 3), proc.stderr
    assert target.read_text() != "old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="a link owned by another user needs root to make")
NOBODY = 65534


def _shared_folder(tmp_path: Path, owner: int = 0) -> Path:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # sticky and world-writable, as /tmp
    os.chown(shared, owner, -1)
    return shared


@needs_root
@pytest.mark.parametrize("kind", OUTPUTS)
def test_a_link_planted_by_another_user_in_a_shared_folder_is_refused(tmp_path, kind):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    shared = _shared_folder(tmp_path)
    planted = shared / "out.csv"
    planted.symlink_to(victim)
    os.lchown(planted, NOBODY, NOBODY)
    own = tmp_path / "mine.csv"  # a link of our own leading to the planted one is refused too
    own.symlink_to(planted)
    for output in (planted, own):
        proc = cli(*OUTPUTS[kind], output)
        what = kind.split()[-1]
        assert (proc.returncode, proc.stdout) == (2, "")
        assert proc.stderr == (f"ma-cli: error: {what} {output}: {planted} is a symbolic link owned by another user "
                               f"(uid {NOBODY}) in the shared folder {shared}; refused (expected a file of your own, "
                               f"or a link you made)\n")
    assert victim.read_text() == "precious\n"
    assert planted.is_symlink() and sorted(p.name for p in shared.iterdir()) == ["out.csv"]


@needs_root
def test_links_the_kernel_would_follow_are_followed(tmp_path):
    # our own link in the shared folder; a link by the folder's owner; a link in a folder that is not sticky
    for case, (folder_owner, link_owner, mode) in {"own": (0, 0, 0o1777), "owner's": (NOBODY, NOBODY, 0o1777),
                                                   "not sticky": (0, NOBODY, 0o777)}.items():
        base = tmp_path / case.replace(" ", "-").replace("'", "")
        base.mkdir()
        folder = base / "shared"
        folder.mkdir()
        folder.chmod(mode)
        os.chown(folder, folder_owner, -1)
        link = folder / "out.csv"
        link.symlink_to(base / "target.csv")
        os.lchown(link, link_owner, -1)
        proc = cli(*OUTPUTS["-o"], link)
        assert proc.returncode == 0, (case, proc.stderr)
        assert link.is_symlink() and (base / "target.csv").read_text().startswith("id,line,status"), case


# --- class 4: user text shown literally, whatever it is -------------------------------------------

def _squash(text: str) -> str:
    return "".join(text.split())  # tables wrap and pad: compare without any white space


def _no_raw_controls(text: str) -> bool:
    return all(c == "\n" or (unicodedata.category(c) != "Cc" and c not in "\u2028\u2029\u202a\u202b\u202c\u202d"
                             "\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c") for c in text)


words = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
markup = st.sampled_from(["[/]", "[bold]", "[link=https://e.example]x[/link]", "[cohort-b]", ":smile:", "\x1b[31m",
                          "\x1b]8;;http://e\x07", "\x9b2J", "\u202e", "\r", "\t", "\\x1b", "[", "]"])
user_text = st.lists(st.one_of(words, markup), min_size=1, max_size=4).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(person_id=user_text, description=user_text)
def test_user_text_is_shown_literally_in_tables(tmp_path, person_id, description):
    profile = tmp_path / "p.yaml"
    profile.write_text(yaml.safe_dump({"id": person_id, "held": [{"credential": "cma", "since": "2022-03-15"}],
                                       "programs": [{"accreditation": "caahep", "completed": "2026-05-15"}]},
                                      allow_unicode=True), encoding="utf-8")
    # the id the profile holds: YAML folds a NEL or line separator inside a quoted scalar into a space
    person_id = yaml.safe_load(profile.read_text(encoding="utf-8"))["id"]
    log = io.StringIO()
    csv.writer(log, lineterminator="\n").writerows([["date", "credits", "description"],
                                                    ["2020-01-01", "5", description]])  # before the period: listed
    (tmp_path / "ce.csv").write_text(log.getvalue(), encoding="utf-8")
    result = CliRunner().invoke(app, ["renew", "--profile", str(profile), "--ce-log", str(tmp_path / "ce.csv"),
                                      "--as-of", AS_OF], env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code in (0, 1, 2, 3), (result.exit_code, result.stderr)  # never 70
    out, err = result.stdout, result.stderr
    assert _no_raw_controls(out) and _no_raw_controls(err)
    if result.exit_code == 2:
        assert err.startswith("ma-cli: error: ") and err.count("\n") == 1 and out == ""
        return
    shown = _squash(out)
    if person_id.strip():
        assert _squash(visible(person_id)) in shown
    if description.strip():
        assert _squash(visible(description.strip())) in shown
    # the same id in the eligibility table's title
    result = CliRunner().invoke(app, ["eligible", "--profile", str(profile), "--as-of", AS_OF, "--cert", "cma"],
                                env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert _no_raw_controls(result.stdout)
    if person_id.strip():
        assert _squash(visible(person_id)) in _squash(result.stdout)


def test_calendar_text_holds_no_control_characters():
    from ma_cli.output import ics

    assert ics.escape("CMA \x1b]0;owned\x07, due\n") == "CMA \\\\x1b]0\\;owned\\\\x07\\, due\\\\n"


def test_a_signal_while_the_temporary_file_is_made_or_renamed_waits_for_that_step():
    from ma_cli.base.errors import Interrupted
    from ma_cli.base.outfile import _Signals

    before = signal.getsignal(signal.SIGUSR1)
    with pytest.raises(Interrupted) as stop:
        with _Signals() as signals:
            signals.closing = True
            os.kill(os.getpid(), signal.SIGUSR1)
            time.sleep(0.05)  # the handler has run by now, and held the signal
            assert signals.pending == signal.SIGUSR1
            signals.release()
    assert (stop.value.signum, stop.value.output_removed) == (signal.SIGUSR1, True)
    assert signal.getsignal(signal.SIGUSR1) == before  # the handlers are put back


def test_a_long_name_in_many_bytes_still_gets_a_temporary_file_beside_it(tmp_path):
    out = tmp_path / ("é" * 120 + ".csv")  # 244 bytes: the name fits, a temporary name built from it would not
    proc = cli("batch", "eligible", EXAMPLE, "-o", out, "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


NOT_UTF8 = os.fsdecode(b"r\xe9sultats")  # 'résultats' typed in a Latin-1 locale: not UTF-8 bytes


@pytest.mark.parametrize("args, suffix", [
    (["batch", "eligible", str(EXAMPLE), "--as-of", AS_OF, "-o"], ".csv"),
    (["batch", "eligible", str(EXAMPLE), "--as-of", AS_OF, "-o"], ".xlsx"),
    (["batch", "template"], ".xlsx"),
    (["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", AS_OF, "--ics"], ".ics"),
    (["plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", AS_OF, "--html"], ".html"),
], ids=lambda a: " ".join(a[:2]) if isinstance(a, list) else a)
def test_an_output_name_that_is_not_utf8_is_written_under_its_own_bytes(tmp_path, args, suffix):
    """A file name's bytes are the system's, not text: a name that is not UTF-8 is written as given
    (it used to end the run with exit 70, 'surrogates not allowed', making the temporary name)."""
    out = tmp_path / (NOT_UTF8 + suffix)
    proc = cli(*args, out)
    assert proc.returncode in (0, 3), proc.stderr
    assert [os.fsencode(p.name) for p in tmp_path.iterdir()] == [b"r\xe9sultats" + suffix.encode()]


STDERR_RUNS = [
    (["eligible", "--age", "x"], 2),                                                   # bad input
    (["eligible", "--profile", "/nonexistent/p.yaml", "--as-of", AS_OF], 2),
    (["eligible", "--age", "24", "--as-of", AS_OF], 1),                                # an answer: not eligible
    (["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", AS_OF], 0),
    (["batch", "eligible", str(EXAMPLE), "--as-of", AS_OF], 0),                        # the summary goes to stderr
    (["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", AS_OF, "--warn-days", "-1"], 2),
]


@pytest.mark.parametrize("args, code", STDERR_RUNS, ids=lambda a: " ".join(a[:3]) if isinstance(a, list) else str(a))
@pytest.mark.parametrize("how", ["closed", "full"])
def test_standard_error_closed_or_full_keeps_the_exit_code(args, code, how):
    """`2>&-` or `2>/dev/full`: the error line is lost, but the exit code is still the run's (a bad input
    used to end with exit 1, which a script reads as "not eligible")."""
    if how == "closed":
        proc = cli(*args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=lambda: os.close(2))
    else:
        with open("/dev/full", "w") as full:
            proc = cli(*args, stdout=subprocess.DEVNULL, stderr=full)
    assert proc.returncode == code


@pytest.mark.parametrize("hidden", ["\u200b", "\ufeff", "\u00ad", "\u2060", "\U000e0041", "\ufff9"])
def test_characters_that_print_nothing_are_shown(tmp_path, hidden):
    """Two ids that differ by a zero-width space, a byte-order mark, a soft hyphen or a tag character looked
    the same in every output; they are shown as escapes, as bidi controls are (JSON reads them back)."""
    shown = visible(f"s-1{hidden}")
    assert shown != "s-1" + hidden and shown.startswith("s-1\\")
    assert visible("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # (the joiner stays: emoji are written with it)
    roster = tmp_path / "r.csv"
    roster.write_text(f"id,program,completed\ns-1{hidden},caahep,2026-05-15\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["batch", "eligible", str(roster), "--cert", "cma", "--as-of", "2026-11-23",
                                   "-o", "-"])
    assert hidden not in out.stdout and shown in out.stdout
    js = CliRunner().invoke(app, ["batch", "eligible", str(roster), "--cert", "cma", "--as-of", "2026-11-23",
                                  "--format", "jsonl", "-o", "-"])
    assert hidden not in js.stdout and json.loads(js.stdout.splitlines()[0])["id"] == f"s-1{hidden}"
