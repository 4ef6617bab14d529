"""A renewal roster's ce_log cells open only regular files inside the CE folder, and never show a file
that is not a CE log (README, "Errors, safety and fuzzing"). What the catalog cannot build: symbolic
links, a FIFO, a file that is swapped while being opened."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ma_cli.base.errors import InputError
from ma_cli.inputs.roster_renew import CeFolder

AS_OF = "2026-11-23"
LOG = "date,credits,category,approved\n2024-01-10,12,clinical,yes\n"
SECRET = "root:x:0:0:the-secret-first-line"


def batch(roster: Path, *extra: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ma_cli", "batch", "renew", str(roster), "--as-of", AS_OF, *extra],
                          capture_output=True, text=True, timeout=60, cwd=cwd, input=stdin)


def rows(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


@pytest.fixture
def place(tmp_path):
    """tmp/secret.txt outside; tmp/r/ the roster's folder with a good log, a non-CE-log file and links."""
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    folder = tmp_path / "r"
    (folder / "ce").mkdir(parents=True)
    (folder / "ce" / "good.csv").write_text(LOG)
    (folder / "notes.txt").write_text(SECRET + "\n")
    os.symlink(tmp_path / "secret.txt", folder / "out.csv")          # a link out of the folder
    os.symlink(folder / "ce" / "good.csv", folder / "in.csv")          # a link that stays inside
    os.symlink("/dev/zero", folder / "zero.csv")
    os.mkfifo(folder / "pipe.csv")
    return folder


def test_every_hostile_ce_log_cell_is_an_error_row_and_the_run_goes_on(place):
    cells = ["ce/good.csv", "../secret.txt", str(place.parent / "secret.txt"), "out.csv", "in.csv", "zero.csv",
             "pipe.csv", "notes.txt", "ce", "~/x.csv", "ce/../ce/good.csv", "nothere.csv"]
    roster = place / "r.csv"
    roster.write_text("id,credential,since,ce_log\n" + "".join(f"p{i},cma,2022-03-15,{c}\n"
                                                                for i, c in enumerate(cells)))
    proc = batch(roster)  # a FIFO must not hang the run: the 60 s timeout would fail the test
    assert proc.returncode == 4, proc.stderr
    assert "the-secret-first-line" not in proc.stdout + proc.stderr
    got = {r["id"]: (r["status"], r["error"]) for r in rows(proc.stdout)}
    assert len(got) == len(cells)
    assert got["p0"] == ("ok", "") and got["p4"] == ("ok", "")
    expect = {
        "p1": "line 3, column ce_log: '../secret.txt' leads out of the CE folder",
        "p2": f"line 4, column ce_log: '{place.parent / 'secret.txt'}' is not a path inside the CE folder",
        "p3": "line 5, column ce_log: 'out.csv' leads out of the CE folder",
        "p5": "line 7, column ce_log: 'zero.csv' leads out of the CE folder",
        "p6": f"line 8, column ce_log: {place / 'pipe.csv'}: is a device or pipe, not a file",
        "p7": f"line 9, column ce_log: {place / 'notes.txt'}: row 1: not a CE log (column 1 of the first line",
        "p8": f"line 10, column ce_log: {place / 'ce'}: is a folder",
        "p9": f"line 11, column ce_log: {place / '~' / 'x.csv'}: CE log not found",
        "p10": "line 12, column ce_log: 'ce/../ce/good.csv' leads out of the CE folder",
        "p11": f"line 13, column ce_log: {place / 'nothere.csv'}: CE log not found",
    }
    for pid, start in expect.items():
        assert got[pid][0] == "error" and got[pid][1].startswith(start), (pid, got[pid])


def test_ce_dir_names_the_folder_and_a_roster_on_stdin_uses_the_current_one(place, tmp_path):
    text = "id,credential,since,ce_log\na,cma,2022-03-15,good.csv\n"
    proc = batch(Path("-"), "--ce-dir", str(place / "ce"), stdin=text)
    assert proc.returncode == 0 and rows(proc.stdout)[0]["cma_ce_counted"] == "12", proc.stderr
    proc = batch(Path("-"), cwd=place / "ce", stdin=text)
    assert proc.returncode == 0 and rows(proc.stdout)[0]["cma_ce_counted"] == "12", proc.stderr
    proc = batch(Path("-"), cwd=place, stdin="id,credential,since,ce_log\na,cma,2022-03-15,out.csv\n")
    assert proc.returncode == 4 and "'out.csv' leads out of the CE folder" in proc.stdout
    # from the folder above, the link's target is inside: read, but it is no CE log, and is not shown
    proc = batch(Path("-"), cwd=tmp_path, stdin="id,credential,since,ce_log\na,cma,2022-03-15,r/out.csv\n")
    assert proc.returncode == 4 and "out.csv: row 1: not a CE log" in proc.stdout
    assert "the-secret-first-line" not in proc.stdout + proc.stderr
    proc = batch(Path("-"), "--ce-dir", str(tmp_path / "nope"), stdin=text)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"ma-cli: error: --ce-dir: '{tmp_path / 'nope'}' is not found (expected the existing folder " \
                          f"the roster's CE logs are in)\n"


def test_a_file_swapped_for_a_fifo_after_the_check_is_refused_without_blocking(place, monkeypatch):
    real_stat = os.stat

    def stat_then_swap(path, *args, **kwargs):  # the check sees a regular file; then a FIFO takes its place
        result = real_stat(path, *args, **kwargs)
        if str(path).endswith("swap.csv"):
            os.unlink(path)
            os.mkfifo(path)
        return result

    (place / "swap.csv").write_text(LOG)
    monkeypatch.setattr(os, "stat", stat_then_swap)
    with pytest.raises(InputError, match="changed while being opened"):
        CeFolder(place).read("swap.csv", date(2026, 11, 23))


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_characters="/"), max_size=8).map(lambda s: s or "x"),
       st.lists(st.sampled_from(["..", ".", "ce", "", "/", "x", "\x00", "~"]), max_size=4))
def test_no_cell_reads_a_file_outside_the_folder_or_shows_one(tmp_path_factory, name, parts):
    root = tmp_path_factory.mktemp("ce")
    (root / "outside.csv").write_text(SECRET + "\n")
    folder = root / "in"
    (folder / "ce").mkdir(parents=True)
    cell = "/".join(parts + [name])
    try:
        entries = CeFolder(folder).read(cell, date(2026, 11, 23))
    except InputError as err:
        assert "the-secret-first-line" not in str(err) and "\n" not in str(err)
    else:  # only a CE log inside the folder could have been read; there is none here
        raise AssertionError(f"{cell!r} read {entries}")
