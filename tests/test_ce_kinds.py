"""CE log kinds against the rules' `ce_kinds`: a kind is read with its case, space and separators
normalised (`CPR card` is `cpr-card`), and a kind no rule names that shares a word with one a rule
does (`BLS card`, `employment hours`) is counted as written, said in a note, and answers review."""

import json

import pytest
from typer.testing import CliRunner

import ma_cli
from ma_cli.commands.cli import app
from ma_cli.inputs.celog import kind_key, kind_words
from rule_copies import rule_folder

runner = CliRunner()
AS_OF = "2026-11-23"
# the outside probe's log: 56 points without the CPR cards' rule reading them, a fourth card over the cap
BASE = ("date,credits,category,approved,kind,description\n"
        "2023-02-01,12,administrative,yes,course,a\n"
        "2023-06-01,6,clinical,yes,course,b\n"
        "2024-05-20,12,general,yes,course,c\n"
        "2024-06-20,14,general,no,college,d\n")
CARDS = ("2023-07-01", "2024-07-01", "2025-07-01", "2026-07-01")

RULE = "rule"  # the CPR-card rule applies: 56 counted, 4 missing, the fourth card over the cap of 3
NEAR = "near"  # counted as written, a note per row, review
PLAIN = "plain"  # no rule near: counted as written, no note, the answer stands

SPELLINGS = [
    ("cpr-card", RULE), ("CPR card", RULE), ("cpr_card", RULE), ("CPR-Card", RULE), (" cpr  card ", RULE),
    ("CPR _- card", RULE), ("CPR\tcard", RULE),
    # any run of what is not a letter or digit separates: Unicode dashes (en, hyphen, non-breaking hyphen,
    # em), a dot, a slash, a zero-width space were counted as written, with no note
    ("CPR\u2013card", RULE), ("CPR\u2010card", RULE), ("CPR\u2011card", RULE), ("CPR\u2014card", RULE),
    ("cpr.card", RULE), ("cpr/card", RULE), ("cpr\u200bcard", RULE),
    # text pasted from elsewhere: full-width letters (an East Asian keyboard), a full-width space
    ("\uff23\uff30\uff32 card", RULE), ("CPR\u3000card", RULE),
    ("cpr", NEAR), ("BLS card", NEAR), ("cpr class", NEAR), ("CPR cards", NEAR), ("card", NEAR),
    ("course", PLAIN), ("college", PLAIN), ("bls", PLAIN), ("cprcard", PLAIN),
]


def log_with(kind: str) -> str:
    return BASE + "".join(f"{day},4,clinical,yes,{kind},c{i}\n" for i, day in enumerate(CARDS, start=1))


def rows_with(kind: str) -> list[dict]:
    rows = [dict(zip(("date", "credits", "category", "approved", "kind", "description"), line.split(",")))
            for line in log_with(kind).splitlines()[1:]]
    assert len(rows) == 8
    return rows


def check(res: dict, kind: str, expect: str, cards: list[str]) -> None:
    """`cards`: how the answer names the four card rows."""
    ce, notes = res["ce"], res["notes"]
    near = [n for n in notes if "is counted as written" in n]
    if expect == RULE:
        assert (res["status"], ce["counted"], ce["missing"]) == ("current", 56, 4)
        assert [n["reason"] for n in ce["not_counted"]] == ["over the cap of 3 cpr-card entries per period"]
        assert near == []
        assert any(c["param"] == "ce_kinds cpr-card" for c in res["citations"])
        return
    assert (ce["counted"], ce["missing"], ce["not_counted"]) == (60, 0, [])  # counted as written
    if expect == PLAIN:
        assert res["status"] == "current" and notes == []
        assert all(not c["param"].startswith("ce_kinds") for c in res["citations"])
        return
    assert res["status"] == "review"
    assert near == [f"{where} (kind '{kind.strip()}') is counted as written; if the rule for cpr-card is "
                    f"meant (A two-year CPR card issued within the period counts as 4 clinical AAMA points, at most 3 "
                    f"cards (QA16)), write its kind as cpr-card. The log cannot show whether the rule applies: "
                    f"confirm it, or correct the row." for where in cards]
    assert any(c["param"] == "ce_kinds cpr-card" for c in res["citations"])  # the rule the note names is cited


@pytest.mark.parametrize("kind, expect", SPELLINGS)
def test_renew_json_reads_a_kind_as_the_rules_name_it(tmp_path, kind, expect):
    path = tmp_path / "ce.csv"
    path.write_text(log_with(kind))
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2022-03-15", "--ce-log", str(path),
                            "--as-of", AS_OF, "--json"])
    assert r.exit_code == (3 if expect == NEAR else 0), r.output
    (res,) = json.loads(r.stdout)["results"]
    check(res, kind, expect, [f"{path} row {i}" for i in (6, 7, 8, 9)])


@pytest.mark.parametrize("kind, expect", SPELLINGS)
def test_python_api_reads_a_kind_as_the_rules_name_it(kind, expect):
    (res,) = ma_cli.renew(credential="cma", since="2022-03-15", as_of=AS_OF, ce_log=rows_with(kind))["results"]
    check(res, kind, expect, [f"ce_log entry {i}" for i in (5, 6, 7, 8)])


@pytest.mark.parametrize("kind, expect", SPELLINGS)
def test_batch_renew_answers_as_renew(tmp_path, kind, expect):
    (tmp_path / "ce.csv").write_text(log_with(kind))
    (tmp_path / "r.csv").write_text("id,credential,since,ce_log\na,cma,2022-03-15,ce.csv\n")
    r = runner.invoke(app, ["batch", "renew", str(tmp_path / "r.csv"), "--as-of", AS_OF, "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout.splitlines()[0])["results"]["cma"]
    (want,) = ma_cli.renew(credential="cma", since="2022-03-15", as_of=AS_OF, ce_log=rows_with(kind))["results"]
    assert (got["status"], got["ce_counted"], got["ce_missing"]) == (
        want["status"], want["ce"]["counted"], want["ce"]["missing"])
    assert got["status"] == ("review" if expect == NEAR else "current")


@pytest.mark.parametrize("kind, expect", [
    ("Employment", RULE), ("employment", RULE), (" EMPLOYMENT_ ", RULE),
    ("employment points", NEAR), ("Employment hours", NEAR), ("self-employment", NEAR),
    ("course", PLAIN), ("employer course", PLAIN),
])
def test_amt_employment_kinds(kind, expect):
    # RMA: employment counts through 2020-12-31 and not after (S28); the 2021 row is read by the later rule
    log = [{"date": "2020-06-01", "credits": 10, "kind": kind}, {"date": "2021-06-01", "credits": 10, "kind": kind},
           {"date": "2021-07-01", "credits": 12, "kind": "course"}]
    (res,) = ma_cli.renew(credential="rma", since="2019-04-10", as_of="2022-01-15", ce_log=log)["results"]
    ce, notes = res["ce"], res["notes"]
    if expect == RULE:
        assert (res["status"], ce["counted"], ce["missing"], len(ce["not_counted"])) == ("due_soon", 22, 8, 1)
        assert notes == []
    elif expect == NEAR:
        assert (res["status"], ce["counted"], ce["missing"], ce["not_counted"]) == ("review", 32, 0, [])
        assert notes == [
            f"ce_log entry 1 (kind '{kind}') is counted as written; if the rule for employment is meant (Employment "
            "earned CCP points), write its kind as employment. The log cannot show whether the rule applies: "
            "confirm it, or correct the row.",
            f"ce_log entry 2 (kind '{kind}') is counted as written; if the rule for employment is meant (Employment "
            "no longer earns CCP points after 2020-12-31), write its kind as employment. The log cannot show whether "
            "the rule applies: confirm it, or correct the row."]
    else:
        assert (res["status"], ce["counted"], ce["missing"], notes) == ("due_soon", 32, 0, [])


def test_a_near_kind_outside_the_period_says_nothing():
    # an entry that does not count for its date is not one whose kind the answer turns on
    log = [{"date": "2021-01-01", "credits": 4, "kind": "cpr"}, {"date": "2023-01-01", "credits": 60,
                                                                "category": "general", "approved": "yes"}]
    (res,) = ma_cli.renew(credential="cma", since="2022-03-15", as_of=AS_OF, ce_log=log)["results"]
    assert res["status"] == "current" and res["notes"] == []


@pytest.mark.parametrize("text, key", [
    ("CPR card", "cpr-card"), ("cpr__card", "cpr-card"), ("-cpr-card-", "cpr-card"), ("  ", None), ("-_ -", None),
    ("Employment", "employment"), (None, None), ("CPR \u2013 card", "cpr-card"), ("cpr.\u200bcard/", "cpr-card"),
    ("\u2014", None), ("Caf\u00e9 2", "caf\u00e9-2"),
    # one kind however its letters were typed: an accent as its own combining mark is the accented letter
    # (it split the word in two: `cafe-2` beside `café-2`), a ligature its letters, `ß` folded to `ss`
    ("Cafe\u0301 2", "caf\u00e9-2"), ("\ufb01rst aid", "first-aid"), ("STRASSE", "strasse"),
    ("Stra\u00dfe", "strasse"), ("\u2460 card", "1-card"),
])
def test_kind_key(text, key):
    assert kind_key(text) == key


def test_kind_words():
    assert kind_words(" BLS  card_x-y ") == ["bls", "card", "x", "y"]
    assert kind_words("BLS\u2013card.x/y\u200bz") == ["bls", "card", "x", "y", "z"]


@pytest.mark.parametrize("rule_kind, log_kind", [("CPR Card", "cpr_card"), ("CPR\u2013Card", "cpr.card")])
def test_a_rule_file_kind_is_read_as_a_log_kind_is(tmp_path, rule_kind, log_kind):
    rules = rule_folder(tmp_path / "rules", ("    - kind: cpr-card\n", f"    - kind: {rule_kind}\n"))
    (tmp_path / "ce.csv").write_text(log_with(log_kind))
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2022-03-15", "--ce-log", str(tmp_path / "ce.csv"),
                            "--as-of", AS_OF, "--json", "--rules", str(rules)])
    assert r.exit_code == 0, r.output
    (res,) = json.loads(r.stdout)["results"]
    check(res, log_kind, RULE, [])


def test_a_rule_kind_without_words_is_refused(tmp_path):
    rules = rule_folder(tmp_path / "rules", ("    - kind: cpr-card\n", "    - kind: ' - '\n"))
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", AS_OF, "--rules", str(rules)])
    assert r.exit_code == 2, r.output
    line = r.stderr.strip()
    assert "\n" not in line and "'kind' in renewal ce_kinds should name a kind" in line, line


@pytest.mark.parametrize("field, value, message", [
    ("kind", "[cpr, card]", "field 'kind': a list is not text (expected a kind such as cpr-card, or empty)"),
    ("kind", "{cpr: card}", "field 'kind': a mapping is not text (expected a kind such as cpr-card, or empty)"),
    ("kind", "[]", "field 'kind': a list is not text (expected a kind such as cpr-card, or empty)"),
    ("description", "[a, b]", "field 'description': a list is not text (expected a description, or empty)"),
    ("description", "{a: b}", "field 'description': a mapping is not text (expected a description, or empty)"),
])
def test_a_yaml_kind_or_description_that_is_not_text_is_refused(tmp_path, field, value, message):
    # was read as Python's text of it (`['cpr', 'card']`) and answered current or review, as `category: [x]` is not
    path = tmp_path / "ce.yaml"
    path.write_text(f"- {{date: 2023-02-01, credits: 60, category: general, approved: yes}}\n"
                    f"- {{date: 2023-07-01, credits: 4, {field}: {value}}}\n")
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2022-03-15", "--ce-log", str(path),
                            "--as-of", AS_OF])
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == f"ma-cli: error: {path}: entry 2, {message}"


def test_a_kind_given_to_the_api_as_a_list_is_refused():
    log = [{"date": "2023-07-01", "credits": 4, "kind": ("cpr", "card")}]
    with pytest.raises(ValueError, match="entry 1, field 'kind': a list is not text"):
        ma_cli.renew(credential="cma", since="2022-03-15", as_of=AS_OF, ce_log=log)
