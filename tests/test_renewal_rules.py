"""Schema errors in `renewal:` come back as one line with file:line:column, through --rules DIR too."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from rule_copies import bundled_text, rule_folder

runner = CliRunner()


def broken_rules(tmp_path: Path, old: str, new: str) -> Path:
    return rule_folder(tmp_path / "rules", (old, new))


@pytest.mark.parametrize("old, new, expected", [
    ("    anchor: end_of_month\n", "    anchor: end_of_mont\n",
     "'anchor' in renewal period should be one of end_of_month, anniversary, before_anniversary, got 'end_of_mont'"),
    ("      anchor: end_of_month\n", "      anchor: end_of_month\n      other_anchor: end_of_month\n",
     "'other_anchor' in renewal period should differ from 'anchor'"),
    ("    unit: points\n", "    unitt: points\n", "unknown key 'unitt' in renewal ce_total (did you mean 'unit'?)"),
    ("    source: S7\n    quote: QA15\n", "    source: S77\n    quote: QA15\n", "source 'S77' in renewal ce_unapproved"),
    ("      until: 2019-12-31\n", "      until: 2020-06-30\n",
     "renewal grace has two versions in force at the same time"),
    ("    credits: {administrative: 10,", "    credits: {admin: 10,", "unknown category 'admin'"),
    ("    - length: {months: 60}\n", "    - length: {monhts: 60}\n", "unknown unit 'monhts'"),
    ("  ce_total:\n", "  ce_totals:\n", "unknown key 'ce_totals' in renewal (did you mean 'ce_total'?)"),
    ("      effective: 2010-01-01\n", "", "renewal period needs 'effective'"),
    ("        source: S5\n        quote: QA12\n", "        quote: QA12\n",
     "'other_reading' in renewal grace[1] needs 'source'"),
    ("        length: {months: 3}\n", "        lenght: {months: 3}\n",
     "unknown key 'lenght' in 'other_reading' in renewal grace[1] (did you mean 'length'?)"),
    ("        length: {months: 3}\n", "        length: 3 months\n",
     "'other_reading' in renewal grace[1] needs 'length', a span such as {months: 3}"),
    ("    - length: {days: 90}\n", "    - length: {days: 90}\n      month_end_reading: often\n",
     "'month_end_reading' in renewal grace[1] should be true or false"),
    ("        month_end_reading: true\n", "        month_end_readin: true\n",
     "unknown key 'month_end_readin' in 'other_reading' in renewal grace[1] (did you mean 'month_end_reading'?)"),
    ("      late_ce:\n        says: Whether points earned after the due date, in the grace window, count is not "
     "settled by the sources\n", "      late_ce:\n", "'late_ce' in renewal grace[1] needs 'says'"),
    ("      late_ce:\n        says: Whether points earned after the due date, in the grace window, count is not "
     "settled by the sources\n        source: S7\n        quote: QA15\n        note: >-\n"
     "          The FAQ (QA12) lets an expired CMA recertify by continuing education during the window, but the\n"
     "          blog (QA15) counts a program's points only if their credit was issued within the current\n"
     "          recertification period, which ended on the due date\n", "      late_ce: unknown\n",
     "'late_ce' in renewal grace[1] should be a mapping"),
])
def test_schema_errors_name_file_line_and_column(tmp_path, old, new, expected):
    rules = broken_rules(tmp_path, old, new)
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", "2026-11-23",
                            "--rules", str(rules)])
    assert r.exit_code == 2, r.output
    line = r.stderr.strip()
    assert "\n" not in line and line.startswith(f"ma-cli: error: {rules / 'cma.yaml'}:")
    assert expected in line
    where = line.split("cma.yaml:", 1)[1].split(":")
    assert int(where[0]) > 0 and int(where[1]) > 0  # line and column


def test_a_rule_file_without_renewal_is_refused_by_renew(tmp_path):
    src = bundled_text()
    start, end = src.index("renewal:\n"), src.index("# --- eligibility")
    target = rule_folder(tmp_path / "rules", text=src[:start] + src[end:])
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2022", "--rules", str(target)])
    assert r.exit_code == 2
    assert "has no 'renewal:' section" in r.stderr


def test_an_override_changes_the_answer(tmp_path):
    rules = rule_folder(tmp_path / "rules", ("    - length: {days: 90}\n", "    - length: {days: 200}\n"),
                        ("        length: {months: 3}\n", "        length: {days: 200}\n"))
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2021-06-10", "--as-of", "2026-11-23",
                            "--rules", str(rules), "--json"])
    assert r.exit_code == 3, r.output
    assert '"status": "grace"' in r.stdout


@pytest.mark.parametrize("cert, file_confidence", [("pbt", "med")])
def test_a_renewal_fact_without_its_own_confidence_is_as_sure_as_its_file(cert, file_confidence):
    """A rule file that says `confidence: med` (or low) once at the top: its renewal facts that give none
    are that sure, in renew's JSON as in its eligibility rules (they were shown as high)."""
    import json

    from ma_cli import api
    from ma_cli.ruleset.renewal_rules import compile_renewal

    cred = api.ruleset().credentials[cert]
    assert cred.confidence == file_confidence
    rules = compile_renewal(cred)
    bare = [p for versions in rules.params.values() for p in versions
            if "confidence" not in (cred.renewal[p.name] if isinstance(cred.renewal[p.name], dict) else {})]
    assert bare and all(p.meta.confidence == file_confidence for p in bare)
    r = runner.invoke(app, ["renew", "--cert", cert, "--since", "2026-03-15", "--as-of", "2026-11-23", "--json"])

    def confidences(node):
        if isinstance(node, dict):
            yield from ([node["confidence"]] if "confidence" in node else [])
            for value in node.values():
                yield from confidences(value)
        elif isinstance(node, list):
            for value in node:
                yield from confidences(value)

    said = list(confidences(json.loads(r.stdout)))
    assert said and "high" not in said, r.stdout
    listed = runner.invoke(app, ["rules", "list"]).stdout
    line = next(x for x in listed.split(f"\n{cert}  ", 1)[1].splitlines() if x.startswith("  renewal   present"))
    assert line.split(")  ", 1)[1].split("  ")[0] in ("med", "low") and "high" not in line


def test_a_second_reading_of_the_grace_window_makes_the_days_between_a_review(tmp_path):
    # the other reading's window made 30 days longer: the 30 days after the 90 are neither grace nor lapsed
    rules = rule_folder(tmp_path / "rules", ("        length: {months: 3}\n", "        length: {days: 120}\n"))
    statuses = []
    for day in ("2026-09-28", "2026-09-29", "2026-10-28", "2026-10-29"):
        r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2021-06-10", "--as-of", day,
                                "--rules", str(rules), "--json"])
        statuses.append(r.stdout.split('"status": "', 1)[1].split('"', 1)[0])
    assert statuses == ["grace", "review", "review", "lapsed"]


@pytest.mark.parametrize("old, new, expected", [
    # a period ending before it started ('period: 2025-03-10 to 2023-03-10') was valid
    ("    - length: {months: 60}\n", "    - length: {months: -60}\n",
     "'length' in renewal period should be a span longer than nothing, counted forward"),
    ("    - length: {months: 60}\n", "    - length: {months: 0}\n", "should be a span longer than nothing"),
    ("    - length: {days: 90}\n", "    - length: {days: -30}\n", "'length' in renewal grace[1] should be a span"),
    ("        length: {months: 3}\n", "        length: {years: 0, days: 0}\n",
     "'length' in 'other_reading' in renewal grace[1] should be a span longer than nothing"),
    ("    apply_before: {days: 30}\n", "    apply_before: {days: -30}\n",
     "'apply_before' in renewal exam should be a span counted back from the due date"),
])
def test_a_renewal_span_runs_forward(tmp_path, old, new, expected):
    rules = broken_rules(tmp_path, old, new)
    for args, code in ((["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", "2026-11-23", "--rules"], 2),
                       (["rules", "validate"], 1)):
        r = runner.invoke(app, [*args, str(rules)])
        assert r.exit_code == code and expected in r.output, r.output
