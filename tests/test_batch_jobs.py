"""`ma-cli batch ... --jobs N`: the rows answered in worker processes, every output the same, byte for byte.

The rosters here hold what a real one does: error rows (a bad date, an unclosed quote, a row with
too many cells), blank lines, pass-through columns, the same id twice, and for `batch renew` CE
logs (one good, one missing, one outside the roster's folder), CE totals and rows `--cert` skips;
each is longer than several chunks (base/workers.CHUNK), so chunks go round the workers more than once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.base import workers
from ma_cli.commands.cli import app
from signal_defaults import default_signals

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("MA_CLI_")}, "NO_COLOR": "1",
       "PYTHONDONTWRITEBYTECODE": "1"}
CLI = [sys.executable, "-m", "ma_cli"]
ROWS = 3 * workers.CHUNK + 77

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="worker processes are made by fork")


def make_roster(path: Path, rows: int) -> Path:
    with open(path, "w") as out:
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_roster.py"), str(rows), "--bad", "0.02"],
                       stdout=out, check=True, timeout=120)
    with open(path, "a") as out:  # what make_roster does not write: a blank line, a broken quote, a wide row
        out.write(",,,,,,,,,,,,,,,,,\n")
        out.write("w1,Wide,yes,30,caahep,2024-05-15,,,,,,,,,,,,x,extra\n")
        out.write("p0000001,Again,yes,30,caahep,2024-05-15,,,,,,,,,,,,again\n")
        out.write('q1,"Quote Unclosed,yes,30,caahep,2024-05-15,,,,,,,,,,,,x\n')  # last: it runs to the end
    return path


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> Path:
    return make_roster(tmp_path_factory.mktemp("jobs") / "roster.csv", ROWS)


@pytest.fixture(scope="module")
def renewals(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("renew")
    (folder / "ce").mkdir()
    (folder / "ce" / "good.csv").write_text("date,credits,category,approved\n2025-02-01,10,clinical,yes\n"
                                            "2025-06-01,12,general,yes\n")
    (folder.parent / "outside.csv").write_text("date,credits\n2025-01-01,5\n")
    path = folder / "renewals.csv"
    with open(path, "w") as out:
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_roster.py"), str(ROWS), "--renewals",
                        "--bad", "0.02"], stdout=out, check=True, timeout=120)
    lines = path.read_text().splitlines()
    header = lines[0] + ",ce_log"
    body = [line + "," for line in lines[1:]]
    for n in range(5, len(body), 37):  # CE logs: one good, one missing, one outside the folder
        cells = body[n].split(",")
        cells[4:8] = ["", "", "", ""]
        cells[-1] = ("ce/good.csv", "ce/missing.csv", "../outside.csv")[n % 3]
        body[n] = ",".join(cells)
    path.write_text("\n".join([header, *body]) + "\n")
    return path


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, env=ENV, timeout=300, cwd=cwd)


def same_workbook(one: Path, other: Path) -> None:
    """Workbooks are byte-identical (README: "every format is byte-identical to `--jobs 1`"): their
    created time is the as-of day, not the clock's (it differed in docProps/core.xml)."""
    assert one.read_bytes() == other.read_bytes()


ELIGIBLE_RUNS = [
    ["--format", "csv"],
    ["--format", "jsonl"],
    ["--format", "json"],
    ["--format", "html"],
    ["--excel"],
    ["--summary"],
    ["--summary", "--format", "json"],
    ["--cert", "cma", "--cert", "cpt", "--format", "jsonl"],
]


@pytest.mark.parametrize("args", ELIGIBLE_RUNS, ids=" ".join)
def test_batch_eligible_with_workers_writes_what_one_process_writes(roster, args):
    one = cli("batch", "eligible", roster, "--as-of", AS_OF, *args)
    assert one.returncode == 4, one.stderr  # the roster has error rows
    for jobs in ("2", "3"):
        many = cli("batch", "eligible", roster, "--as-of", AS_OF, *args, "--jobs", jobs)
        assert (many.returncode, many.stdout, many.stderr) == (one.returncode, one.stdout, one.stderr)


RENEW_RUNS = [
    ["--format", "csv"],
    ["--layout", "long"],
    ["--format", "jsonl", "--cert", "cma"],  # rows of other credentials: status=skipped
    ["--format", "json"],
    ["--format", "html"],
    ["--summary", "--format", "jsonl"],
]


@pytest.mark.parametrize("args", RENEW_RUNS, ids=" ".join)
def test_batch_renew_with_workers_writes_what_one_process_writes(renewals, args):
    one = cli("batch", "renew", renewals, "--as-of", AS_OF, *args)
    assert one.returncode == 4, one.stderr
    text = one.stdout.decode()
    if "--summary" not in args:  # the CE logs were read: inside the folder, and refused outside it
        assert "ce/missing.csv: CE log not found" in text
        if "--cert" not in args:  # (with --cert cma each row with a log outside is another credential's: skipped)
            assert "outside.csv" in text and "leads out of" in text
    many = cli("batch", "renew", renewals, "--as-of", AS_OF, *args, "--jobs", "2")
    assert (many.returncode, many.stdout, many.stderr) == (one.returncode, one.stdout, one.stderr)


def test_workbooks_and_calendar_with_workers_are_the_ones_one_process_writes(roster, renewals, tmp_path):
    for jobs in ("1", "2"):
        done = cli("batch", "eligible", roster, "--as-of", AS_OF, "-o", tmp_path / f"eligible-{jobs}.xlsx",
                   "--jobs", jobs)
        assert done.returncode == 4, done.stderr
        done = cli("batch", "renew", renewals, "--as-of", AS_OF, "-o", tmp_path / f"renew-{jobs}.xlsx",
                   "--ics", tmp_path / f"staff-{jobs}.ics", "--jobs", jobs)
        assert done.returncode == 4, done.stderr
    same_workbook(tmp_path / "eligible-1.xlsx", tmp_path / "eligible-2.xlsx")
    same_workbook(tmp_path / "renew-1.xlsx", tmp_path / "renew-2.xlsx")
    assert (tmp_path / "staff-1.ics").read_bytes() == (tmp_path / "staff-2.ics").read_bytes()


def test_roster_on_standard_input_with_workers(roster):
    data = roster.read_bytes()
    one = subprocess.run([*CLI, "batch", "eligible", "-", "--as-of", AS_OF, "--format", "jsonl"], input=data,
                         capture_output=True, env=ENV, timeout=300)
    many = subprocess.run([*CLI, "batch", "eligible", "-", "--as-of", AS_OF, "--format", "jsonl", "--jobs", "2"],
                          input=data, capture_output=True, env=ENV, timeout=300)
    assert (many.returncode, many.stdout, many.stderr) == (one.returncode, one.stdout, one.stderr)


@pytest.mark.parametrize("bad", [b"zz,\xff\n", b"zz," + b"x" * 140_000 + b"\n"], ids=["bad-bytes", "oversized-cell"])
def test_a_piped_roster_that_stops_on_bad_input_writes_what_one_process_writes(roster, bad):
    """A roster from a pipe cannot be read twice, so the run stops where the bad input is, having
    written the rows before it: the rows already handed to the workers are written too."""
    lines = roster.read_bytes().splitlines(keepends=True)
    cut = 2 * workers.CHUNK + 31  # past the first round of chunks, inside a chunk
    piped = b"".join(lines[:cut]) + bad + b"".join(lines[cut:])
    runs = [subprocess.run([*CLI, "batch", "eligible", "-", "--as-of", AS_OF, "--jobs", jobs], input=piped,
                           capture_output=True, env=ENV, timeout=300) for jobs in ("1", "2", "3")]
    assert runs[0].returncode == 2 and runs[0].stdout.count(b"\n") > workers.CHUNK
    for run in runs[1:]:
        assert (run.returncode, run.stdout, run.stderr) == (runs[0].returncode, runs[0].stdout, runs[0].stderr)


def test_a_ce_log_named_as_the_output_is_still_refused(tmp_path):
    """The CE logs are read by the main process, which knows its output: -o over one is refused."""
    (tmp_path / "log.csv").write_text("date,credits\n2025-01-01,5\n")
    (tmp_path / "r.csv").write_text("id,credential,since,ce_log\nm1,cma,2022-03-15,log.csv\n")
    done = cli("batch", "renew", tmp_path / "r.csv", "--as-of", AS_OF, "-o", tmp_path / "log.csv", "--jobs", "2")
    assert done.returncode == 2
    assert done.stderr.decode().startswith(f"ma-cli: error: -o {tmp_path / 'log.csv'}: is the input file")
    assert (tmp_path / "log.csv").read_text() == "date,credits\n2025-01-01,5\n"


def test_auto_is_one_worker_per_usable_cpu(monkeypatch):
    from ma_cli.commands.options import jobs_count

    monkeypatch.setattr(workers, "usable_cpus", lambda: 3)
    assert jobs_count("auto") == jobs_count(" AUTO ") == 3
    monkeypatch.setattr(workers, "usable_cpus", lambda: 1000)
    assert jobs_count("auto") == 64  # the bound
    assert jobs_count(None) == jobs_count("1") == 1


# --- how a run with workers ends ------------------------------------------------------------------

SMALL = "id,program,completed\n" + "".join(f"s{n},caahep,2026-05-{1 + n % 28:02d}\n" for n in range(700))


def test_a_bug_in_a_worker_is_one_line_exit_70_and_no_output_file(tmp_path, monkeypatch):
    import ma_cli.reasoning.batch as batch
    from ma_cli.base.frozen import replace

    made = batch.eligible_job

    def broken_job(*args, **kwargs):
        job = made(*args, **kwargs)

        def evaluate(row):
            if row.line == 600:
                raise RuntimeError("simulated bug")
            return job.evaluate(row)

        return replace(job, evaluate=evaluate)

    monkeypatch.setattr(batch, "eligible_job", broken_job)
    (tmp_path / "r.csv").write_text(SMALL)
    result = CliRunner().invoke(app, ["batch", "eligible", str(tmp_path / "r.csv"), "--as-of", AS_OF, "--jobs", "2",
                                      "-o", str(tmp_path / "out.csv")], env={"MA_CLI_DEBUG": None})
    assert result.exit_code == 70
    assert result.stderr == ("ma-cli: error: internal error: RuntimeError: simulated bug "
                             "(to see the traceback, run it again as 'ma-cli --debug batch eligible ...' or with MA_CLI_DEBUG=1)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_a_worker_killed_ends_the_run_as_its_signal_would(tmp_path, monkeypatch):
    import ma_cli.reasoning.batch as batch
    from ma_cli.base.frozen import replace

    made, main = batch.eligible_job, os.getpid()

    def dying_job(*args, **kwargs):
        job = made(*args, **kwargs)

        def evaluate(row):
            if row.line == 500 and os.getpid() != main:
                os.kill(os.getpid(), signal.SIGKILL)
            return job.evaluate(row)

        return replace(job, evaluate=evaluate)

    monkeypatch.setattr(batch, "eligible_job", dying_job)
    (tmp_path / "r.csv").write_text(SMALL)
    result = CliRunner().invoke(app, ["batch", "eligible", str(tmp_path / "r.csv"), "--as-of", AS_OF, "--jobs", "2",
                                      "-o", str(tmp_path / "out.csv")])
    assert (result.exit_code, result.stderr) == (128 + signal.SIGKILL, "ma-cli: interrupted by SIGKILL; nothing written\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def _children(pid: int) -> list[int]:
    try:
        return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads a process's children from /proc")
@pytest.mark.parametrize("name, whom", [("SIGINT", "group"), ("SIGTERM", "group"), ("SIGTERM", "main")])
def test_a_signal_ends_the_workers_too_and_leaves_nothing_behind(tmp_path, name, whom):
    """Ctrl-C reaches the whole process group: the main process alone answers it, as without --jobs."""
    big = make_roster(tmp_path / "roster.csv", 20_000)
    out = tmp_path / "results.csv"
    out.write_text("last month's results\n")
    signum = getattr(signal, name)
    proc = subprocess.Popen([*CLI, "batch", "eligible", str(big), "-o", str(out), "--as-of", AS_OF, "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, start_new_session=True,
                            preexec_fn=default_signals)
    for _ in range(600):  # up to 60 s on a loaded machine: both workers started, the output begun
        if len(_children(proc.pid)) == 2 and any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            break
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.1)
    started = _children(proc.pid)
    assert len(started) == 2
    if whom == "group":
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr) == (128 + signum, f"ma-cli: interrupted by {name}; nothing written\n")
    assert stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv", "roster.csv"]
    assert out.read_text() == "last month's results\n"
    assert [pid for pid in started if Path(f"/proc/{pid}").exists()] == []  # reaped: no worker left behind


def test_without_jobs_no_worker_machinery_is_loaded(tmp_path):
    """--jobs 1 is the single-process path: multiprocessing is not even imported (so the process still
    ends without the interpreter's teardown, commands/cli.py `_end_now`)."""
    (tmp_path / "r.csv").write_text(SMALL)
    probe = ("import sys\nfrom ma_cli.commands.cli import app\n"
             "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "sys.stderr.write('LOADED ' + ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('multiprocessing', 'concurrent'))) + '\\n')\n")
    for jobs, loaded in (("1", False), ("2", True)):
        done = subprocess.run([sys.executable, "-c", probe, "batch", "eligible", str(tmp_path / "r.csv"), "--as-of",
                               AS_OF, "--jobs", jobs], capture_output=True, text=True, env=ENV, timeout=120)
        line = done.stderr.splitlines()[-1]
        assert line.startswith("LOADED") and ("multiprocessing" in line) == loaded, done.stderr
