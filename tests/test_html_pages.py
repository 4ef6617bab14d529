"""HTML pages: `plan --html`, `batch eligible|renew --format html`.

Structure tests parse each page with html.parser (lanes, rows, escaping, no network); browser
tests load it in headless Chromium (a 1280 px screenshot, print to PDF on A4 and Letter, the DOM
after load: every lane present, no label overlapping another label or a neighbour's box, no script
error). Without Chromium the browser tests skip, saying why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from html_check import Page, browse, needs_browser, print_pdf, screenshot, self_contained
from ma_cli.cli import app

runner = CliRunner()
ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE = "<script>alert(1)</script>\"' & \x1b[31m\x07 <marquee>x</marquee>"


def run(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def hostile_rules(folder: Path) -> Path:
    """A rule folder whose credential, route and source title are hostile text."""
    rules = folder / "rules"
    rules.mkdir()
    (rules / "zzz.yaml").write_text(
        'credential: zzz\nname: "ZZZ <script>alert(1)</script> \\e[2J"\n'
        'sources:\n  S1: {url: "https://example.org/zzz?a=1&b=\\"x", read: 2026-01-01, title: "T <i>it</i>"}\n'
        "eligibility:\n  routes:\n    - id: grad\n"
        '      name: "Graduate </text><script>alert(2)</script> \\" \' \\a"\n'
        "      over: program\n      source: S1\n      effective: unknown\n      when:\n"
        "        - {id: acc, test: one_of, field: program.accreditation, values: [caahep], says: CAAHEP}\n",
        encoding="utf-8")
    return rules


def no_raw_user_markup(text: str) -> None:
    page = Page(text)
    assert len(page.scripts) <= 1, "a script came from user text"
    assert not page.all("marquee") and not page.all("i"), "markup came from user text"
    assert "\x1b" not in text and "\x07" not in text


# --- plan --html ---------------------------------------------------------------------------------

PLAN_ARGS = ("plan", "--program", "caahep", "--expected", "2026-12-10", "--as-of", "2026-10-31")


@pytest.fixture(scope="module")
def plan_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "plan.html"
    r = run(*PLAN_ARGS, "--html", str(out))
    assert r.exit_code == 3, r.output
    return out


def test_plan_page_has_a_lane_per_credential_and_the_key_dates(plan_page):
    text = plan_page.read_text(encoding="utf-8")
    page = Page(text)
    lanes = [a["data-credential"] for a in page.all("g") if a.get("class") == "lane"]
    assert lanes == ["ccma", "cma", "cmac", "ncma", "rma"]
    shown = " ".join(page.text)
    for words in ("today 2026-10-31", "horizon 2036-10-31", "from 2026-11-10", "from 2026-12-10",
                  "to 2031-12-10", "eligible: Category 2, nonrecent graduate", "not eligible", "review"):
        assert words in shown, words
    assert page.all("a"), "sources are links"
    assert "@media print" in text and "@page" in text
    self_contained(text)
    assert len(text.encode()) < 200_000


def test_plan_html_to_stdout_is_the_page_only():
    r = run(*PLAN_ARGS, "--cert", "cma", "--html", "-")
    assert r.exit_code == 1  # not eligible today
    assert r.stdout.startswith("<!DOCTYPE html>") and r.stdout.rstrip().endswith("</html>")


def test_plan_html_and_ics_both_to_stdout_are_refused():
    r = run(*PLAN_ARGS, "--html", "-", "--ics", "-")
    assert r.exit_code == 2 and "--html -" in r.output


def test_plan_html_escapes_hostile_text(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text('id: "%s"\nprograms:\n  - accreditation: caahep\n    completed: 2026-05-15\n'
                       % HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\e").replace("\x07", "\\a"),
                       encoding="utf-8")
    out = tmp_path / "p.html"
    r = run("plan", "--profile", str(profile), "--as-of", "2026-11-23", "--rules", str(hostile_rules(tmp_path)),
            "--cert", "zzz", "--cert", "cma", "--html", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    no_raw_user_markup(text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "\\x1b[31m" in text
    shown = " ".join(Page(text).text)
    assert "ZZZ <script>alert(1)</script>" in shown and "Graduate </text><script>alert(2)</script>" in shown
    self_contained(text)


@needs_browser
def test_plan_page_in_a_browser(plan_page, tmp_path):
    seen = browse(plan_page, tmp_path)
    assert seen["lanes"] == ["ccma", "cma", "cmac", "ncma", "rma"]
    assert seen["labels"] > 20
    assert seen["overlaps"] == [] and seen["spills"] == []
    assert seen["errors"] == [] and seen["console_errors"] == []
    assert seen["width"] <= 1280, "no sideways scrolling at 1280 px"
    assert screenshot(plan_page, tmp_path, tmp_path / "plan.png")[0] == 1280
    for paper in ("A4", "letter"):
        pdf = print_pdf(plan_page, tmp_path, tmp_path / f"plan-{paper}.pdf", paper)
        box = {"A4": rb"59[45][.\d]* 84[12][.\d]*\]", "letter": rb"612 792\]"}[paper]
        assert re.search(rb"/MediaBox \[0 0 " + box, pdf), paper


@needs_browser
def test_hostile_plan_page_runs_no_script_in_a_browser(tmp_path):
    out = tmp_path / "p.html"
    r = run("plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23",
            "--rules", str(hostile_rules(tmp_path)), "--html", str(out))
    assert r.exit_code == 0, r.output
    seen = browse(out, tmp_path)
    assert "zzz" in seen["lanes"] and seen["errors"] == [] and seen["overlaps"] == []
    assert "alert" not in "".join(seen["console_errors"])
