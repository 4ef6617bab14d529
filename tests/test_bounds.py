"""One table of bounds (ma_cli.base.bounds.BOUNDS) for every number a user gives, and every reader holds to it.

For each numeric field and any text (plain numbers in and out of bounds, thousands of digits,
full-width or Arabic-Indic digits, 4_0, 1e3, nan, signs), every reader of that field -- a profile
(text, and the value YAML reads), a roster row the full way and the fast way, the CE log, a
renewal roster's totals, the flags -- accepts it as the same number within the bounds, or refuses it
with one line naming the field; the fast path never accepts what the full path refuses.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from ma_cli.base import bounds
from ma_cli.base.bounds import BOUNDS
from ma_cli.base.errors import InputError
from ma_cli.commands.cli import app
from ma_cli.inputs.celog import parse_ce_csv
from ma_cli.inputs.profile import parse_profile
from ma_cli.inputs.roster import row_mapping
from ma_cli.inputs.roster_fast import quick_profile
from ma_cli.inputs.roster_renew import renewal_kind
from ma_cli.inputs.yamlio import load_text

AS_OF = date(2026, 11, 23)
PROFILE_FIELDS = ("age", "academic_hours", "externship_hours", "injections", "venipunctures", "hours_per_week",
                  "failed_attempts")


def _texts(field: str):
    bound = BOUNDS[field]
    high = int(bound.high)
    return st.one_of(
        st.integers(-5, high + 5).map(str),
        st.floats(-1, bound.high * 1.5, allow_nan=False).map(lambda x: f"{x:.2f}"),
        st.sampled_from([str(high), str(high + 1), f"{high}.5", "0", "-0", "+5", ".5", "5.", "1" + "0" * 400,
                         "9" * 5000, "-" + "9" * 30, "１２", "١٢", "4_0", "1e3", "1E+2", "0x1F", "nan", "inf", "-inf",
                         "Infinity", "", " ", "12 ", "1,000", "1:30", "010", "٣", "²", "½", "5\x00"]),
    )


def verdict(call):
    """(True, number) or (False, message); a message must be one line naming the field."""
    try:
        return True, call()
    except InputError as err:
        assert "\n" not in str(err)
        return False, str(err)


def profile_value(field: str, value) -> dict:
    if field == "age":
        return {"age": value}
    if field == "hours_per_week":
        return {"work": [{"from": "2021-01-01", "hours_per_week": value}]}
    if field == "failed_attempts":
        return {"failed_attempts": {"cma": value}}
    return {"programs": [{"accreditation": "caahep", "completed": "2024-05-15", field: value}]}


def profile_number(profile, field: str):
    if field == "age":
        return profile.age
    if field == "hours_per_week":
        return profile.work[0].hours_per_week
    if field == "failed_attempts":
        return profile.failed_attempts["cma"]
    return getattr(profile.programs[0], field)


def roster_cells(field: str, text: str) -> dict:
    values = {"id": "p1"}
    if field == "hours_per_week":
        values["work"] = f"2021-01-01..present@{text}"
    elif field == "failed_attempts":
        values["failed_attempts"] = f"cma:{text}"
    elif field == "age":
        values["age"] = text
    else:
        values.update(program="caahep", completed="2024-05-15")
        values[field] = text
    return {k: v.strip() for k, v in values.items()}


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_every_reader_of_a_profile_number_holds_to_its_bounds(data):
    field = data.draw(st.sampled_from(PROFILE_FIELDS))
    text = data.draw(_texts(field))
    ok, expected = verdict(lambda: bounds.read(text, field, field))
    if ok:
        bound = BOUNDS[field]
        assert bound.admits(expected) and (not bound.whole or expected == int(expected))
    # a profile, the value given as text
    got = verdict(lambda: profile_number(parse_profile(profile_value(field, text), "p"), field))
    assert got[0] == ok and (not ok or got[1] == expected), (got, expected)
    if not ok:
        assert got[1].startswith("p.") and field in got[1]
    if not text.strip():
        return  # an empty roster cell means "not given"
    # a roster row, the full way and the fast way
    cells = roster_cells(field, text)
    full = verdict(lambda: profile_number(parse_profile(row_mapping(cells, 2), "line 2"), field))
    assert full[0] == ok and (not ok or full[1] == expected), (full, expected)
    quick = quick_profile(cells)
    if quick is not None:
        assert ok and profile_number(quick, field) == expected
    # a profile file: whatever YAML makes of the text, a number in bounds or one line naming the field
    if "\x00" not in text and text.strip() and ":" not in text and "," not in text:
        try:
            loaded = load_text(f"v: {text.strip()}\n", "p.yaml")
        except InputError:
            return
        value = loaded["v"] if isinstance(loaded, dict) else None
        got = verdict(lambda: profile_number(parse_profile(profile_value(field, value), "p"), field))
        if got[0]:
            assert BOUNDS[field].admits(got[1]), (text, got)
        else:
            assert got[1].startswith("p.") and field in got[1]


@settings(max_examples=200, deadline=None)
@given(_texts("credits"))
def test_ce_credits_hold_to_their_bounds(text):
    ok, expected = verdict(lambda: bounds.read(text, "credits", "credits"))
    if "\n" in text or '"' in text or not text.strip():
        return
    got = verdict(lambda: parse_ce_csv(f'date,credits\n2025-01-01,"{text}"\n', "ce.csv", AS_OF)[0].credits)
    assert got[0] == ok and (not ok or got[1] == expected), (got, expected)
    if not ok:
        assert got[1].startswith("ce.csv: row 2, column 'credits': ")


@settings(max_examples=200, deadline=None)
@given(_texts("ce_total"))
def test_renewal_roster_totals_hold_to_their_bounds(text):
    if not text.strip():
        return
    ok, expected = verdict(lambda: bounds.read(text, "ce_total", "t"))
    parse = renewal_kind(["cma"], AS_OF, ".").parse
    got = verdict(lambda: parse({"id": "m", "credential": "cma", "since": "2024-01-01",
                                 "ce_general": text.strip()}, 2).log[0].credits)
    assert got[0] == ok and (not ok or got[1] == expected), (got, expected)
    if not ok:
        assert got[1].startswith("line 2, column ce_general: ")


@pytest.mark.parametrize("field, args", [
    ("age", ["eligible", "--work", "2021-01:present", "--as-of", "2026-11-23", "--age"]),
    ("warn_days", ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", "2026-11-23", "--warn-days"])])
@pytest.mark.parametrize("text", ["30", "131", "-1", "４０", "٤٠", "4_0", "9" * 5000, "1" + "0" * 400, "3.5", "0"])
def test_number_flags_hold_to_their_bounds(field, args, text):
    ok, _ = verdict(lambda: bounds.read(text, field, field))
    result = CliRunner().invoke(app, [*args, text])
    assert (result.exit_code != 2) == ok, result.output
    assert ok or result.stderr.count("\n") == 1 and result.stderr.startswith("ma-cli: error: ")


def test_sums_of_bounded_numbers_stay_finite():
    """The bounds are what keeps every total finite (and so every JSON output valid): the largest CE log
    (5,000 entries of the most credits each) sums far inside the floats."""
    from ma_cli.inputs.celog import MAX_ENTRIES

    assert MAX_ENTRIES * BOUNDS["credits"].high < 1e12
    assert json.dumps(MAX_ENTRIES * BOUNDS["credits"].high, allow_nan=False)


def test_the_table_says_what_each_field_means():
    for bound in BOUNDS.values():
        assert bound.low < bound.high and bound.means and bound.expected.startswith(("a number", "a whole number"))


# digits of other scripts, each the same value as its ASCII digit: int() and \d take them all
OTHER_DIGITS = ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)), st.sampled_from([10, 7]),
       st.sampled_from(OTHER_DIGITS), st.data())
def test_a_date_with_any_other_script_s_digit_is_refused_naming_ascii(day, length, script, data):
    from ma_cli.base.dates import parse_partial
    from ma_cli.inputs.roster_columns import Decline, quick_date

    text = day.isoformat()[:length]
    assert parse_partial(text, "d").first == (day.replace(day=1) if length == 7 else day)
    at = data.draw(st.sampled_from([i for i, c in enumerate(text) if c.isdigit()]))
    odd = text[:at] + script[int(text[at])] + text[at + 1:]
    with pytest.raises(InputError) as err:
        parse_partial(odd, "d")
    assert "in ASCII digits 0-9" in str(err.value)
    with pytest.raises(Decline):  # the fast roster path declines it too (the full path then names it)
        quick_date(odd)


@pytest.mark.parametrize("value, unit, words", [
    (1, "points", "1 point"), (1.0, "credits", "1 credit"), (2, "points", "2 points"), (0.5, "hours", "0.5 hours"),
    (0, "points", "0 points"), (1, "more points", "1 more point"), (1, "CE", "1 CE"), (3, None, "3"),
])
def test_a_count_is_worded_with_its_unit_in_the_right_number(value, unit, words):
    """'Earn 1 more points' read wrong: exactly one takes the singular (units are written plural)."""
    assert bounds.amount_of(value, unit) == words


# --- numbers judged as written: whole-ness and bounds on the digits, never on the float nearest them ---

def _decimal_texts(field: str):
    """Decimal texts near and far from the field's bounds and from whole numbers, with more digits than a
    float keeps (16.999999999999999 is the float 17.0; 10000.00000000000001 the float 10000.0)."""
    high = int(BOUNDS[field].high)
    near = st.sampled_from([0, 1, 5, 16, 17, 29, 30, high - 1, high, high + 1])
    return st.one_of(
        st.builds(lambda n, nines: f"{n - 1}.{'9' * nines}", near, st.integers(1, 24)),
        st.builds(lambda n, zeros: f"{n}.{'0' * zeros}1", near, st.integers(0, 24)),
        st.builds(lambda n, zeros: f"{n}.{'0' * zeros}", near, st.integers(0, 20)),
        st.builds(lambda sign, n, part: f"{sign}{n}.{part}", st.sampled_from(["", "+", "-"]), near,
                  st.text("0123456789", min_size=1, max_size=25)),
    ).filter(lambda text: len(text) <= bounds.LONGEST_WRITTEN)


def _admitted(field: str, text: str) -> bool:
    from fractions import Fraction

    bound, exact = BOUNDS[field], Fraction(text)
    return bound.admits(exact) and (not bound.whole or exact.denominator == 1)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_a_decimal_is_accepted_exactly_when_its_written_value_is_within_bounds(data):
    """Any decimal text, as a flag or profile text, a YAML number or a roster cell (full and fast way): accepted
    iff the number written (a Fraction of its digits) is within the field's bounds and, for a count, whole;
    a count is read as that whole number, any other as a float whose exact digits (bounds.exactly) are the text's."""
    from decimal import Decimal

    field = data.draw(st.sampled_from([*PROFILE_FIELDS, "credits", "ce_total", "warn_days", "jobs"]))
    text = data.draw(_decimal_texts(field))
    ok, got = verdict(lambda: bounds.read(text, field, field))
    assert ok == _admitted(field, text), (text, got)
    if ok:
        assert got == int(Decimal(text)) if BOUNDS[field].whole else bounds.exactly(got) == Decimal(text), (text, got)
    else:
        assert " is not a whole number " in got or " is out of range " in got or " is negative " in got, got
    if field not in PROFILE_FIELDS:
        return
    yaml_value = load_text(f"v: {text}\n", "p.yaml")["v"]
    for value in (text, yaml_value):
        got_profile = verdict(lambda v=value: profile_number(parse_profile(profile_value(field, v), "p"), field))
        assert got_profile[0] == ok and (not ok or got_profile[1] == got), (value, got_profile, got)
    cells = roster_cells(field, text.lstrip("+"))
    ok_cell = _admitted(field, text.lstrip("+"))
    full = verdict(lambda: profile_number(parse_profile(row_mapping(cells, 2), "line 2"), field))
    assert full[0] == ok_cell, (text, full)
    quick = quick_profile(cells)
    if quick is not None:
        assert ok_cell and profile_number(quick, field) == full[1], (text, full)


def test_whole_ness_is_judged_before_the_float_rounds():
    """An outside probe: these read as 17, 30, 10000 and 168 through a float, and were accepted."""
    def refused(text, field):
        return verdict(lambda: bounds.read(text, field, f"--{field}"))[1]

    assert refused("16.999999999999999", "age") == \
        "--age: 16.999999999999999 is not a whole number (expected a whole number from 0 to 130)"
    # 19 nines: the words say what is wrong (it was 'out of range' for a text longer than 20 characters)
    assert refused("16.9999999999999999999", "age") == \
        "--age: 16.9999999999999999999 is not a whole number (expected a whole number from 0 to 130)"
    assert " is not a whole number " in refused("29.999999999999999", "venipunctures")
    assert " is not a whole number " in refused("9999.9999999999999", "injections")
    assert " is not a whole number " in refused("89.999999999999999", "warn_days")
    assert " is out of range " in refused("10000.00000000000001", "academic_hours")
    assert " is out of range " in refused("168.00000000000001", "hours_per_week")
    assert bounds.read("17.000000000000000000", "age", "a") == 17


def test_a_yaml_float_is_judged_on_its_written_digits():
    """YAML's float of `4.9999999999999999999` is 5.0: the profile reader judges the digits written."""
    value = load_text("age: 4.9999999999999999999\nh: 20.5\nbig: 1.0e+308\n", "p.yaml")
    assert isinstance(value["age"], bounds.Exact) and str(value["age"].decimal) == "4.9999999999999999999"
    assert type(value["h"]) is float and type(value["big"]) is float  # kept exactly: plain floats
    with pytest.raises(InputError, match=r"^p\.age: 4\.9999999999999999999 is not a whole number "):
        parse_profile({"age": value["age"]}, "p")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=1000, places=17,
                            allow_nan=False, allow_infinity=False), min_size=1, max_size=6))
def test_ce_credits_are_added_exactly_as_written(credits):
    """renew --json: counted is the exact sum of the credits written, and missing the exact rest of the
    10 required, in plain decimal digits (never 2e-15, never a float's last bits)."""
    from decimal import Decimal

    texts = [format(c.normalize(), "f") for c in credits]
    log = "date,credits\n" + "".join(f"2025-06-01,{t}\n" for t in texts)
    r = CliRunner().invoke(app, ["renew", "--cert", "cpt", "--since", "2025-03-10", "--ce-log", "-",
                                 "--as-of", "2026-11-23", "--json"], input=log)
    assert r.exit_code in (0, 3), r.output
    ce = json.loads(r.stdout, parse_float=Decimal)["results"][0]["ce"]
    total = sum((Decimal(t) for t in texts), Decimal(0))
    assert Decimal(ce["counted"]) == total and Decimal(ce["missing"]) == max(Decimal(0), 10 - total)
    for key in ("counted", "missing"):
        assert "e" not in r.stdout.split(f'"{key}": ')[1].split(",")[0].lower()


@pytest.mark.parametrize("credits, counted, missing", [
    # 29 digits (a number of 30 characters is read): Decimal's default context rounded them to 28 where a
    # number is shown, "10 of 10 credits; 0.0000000000000000000000000001 missing"
    (["9.9999999999999999999999999999"], "9.9999999999999999999999999999", "0.0000000000000000000000000001"),
    (["10.000000000000000000000000001", "0.1"], "10.100000000000000000000000001", "0"),
])
def test_an_amount_of_any_written_length_is_shown_whole(credits, counted, missing):
    log = "date,credits\n" + "".join(f"2025-06-01,{c}\n" for c in credits)
    r = CliRunner().invoke(app, ["renew", "--cert", "cpt", "--since", "2025-03-10", "--ce-log", "-",
                                 "--as-of", "2026-11-23"], input=log)
    assert f"CE: {counted} of 10 credits; {missing} missing" in " ".join(r.stdout.split()), r.stdout
    r = CliRunner().invoke(app, ["renew", "--cert", "cpt", "--since", "2025-03-10", "--ce-log", "-",
                                 "--as-of", "2026-11-23", "--json"], input=log)
    assert f'"counted": {counted},' in r.stdout and f'"missing": {missing},' in r.stdout


def _statuses(tmp_path, profile: str, *args: str) -> dict:
    (tmp_path / "p.yaml").write_text(profile, encoding="utf-8")
    r = CliRunner().invoke(app, ["eligible", "--profile", str(tmp_path / "p.yaml"), "--as-of", "2026-11-23",
                                 "--json", *args])
    assert r.exit_code in (0, 1, 3), r.output
    return {d["credential"]: d["status"] for d in json.loads(r.stdout)["results"]}


@pytest.mark.parametrize("externship, academic, rma", [
    ("160", "600", "eligible"),
    ("159.99999999999999", "600", "not_eligible"),  # its float is 160.0: it met the 160 hours
    ("160", "559.99999999999999", "not_eligible"),  # 720 hours in all, less a little: the sum met 720
])
def test_hours_are_compared_and_summed_as_written(tmp_path, externship, academic, rma):
    """A decimal's digits count beyond reading it: the RMA's externship of at least 160 hours and its 720
    in all (academic and externship summed) are compared with the number written (bounds.Exact)."""
    profile = (f"programs: [{{accreditation: institutional, completed: 2026-05-15, academic_hours: '{academic}', "
               f"externship_hours: '{externship}'}}]\n")
    assert _statuses(tmp_path, profile, "--cert", "rma")["rma"] == rma


@pytest.mark.parametrize("externship, academic, words", [
    ("159.99999999999999", "720", "program.externship_hours = 159.99999999999999"),
    ("160", "559.99999999999999", "program.total_hours = 719.99999999999999"),
])
def test_a_reason_shows_the_number_written(tmp_path, externship, academic, words):
    """The answer was right (not eligible) but its reason read `program.externship_hours = 160`: a value
    that meets the rule, the float's whole number shown for a number written with more digits."""
    profile = (f"programs: [{{accreditation: institutional, completed: 2026-05-15, academic_hours: '{academic}', "
               f"externship_hours: '{externship}'}}]\n")
    (tmp_path / "p.yaml").write_text(profile, encoding="utf-8")
    r = CliRunner().invoke(app, ["eligible", "--profile", str(tmp_path / "p.yaml"), "--as-of", "2026-11-23",
                                 "--cert", "rma"])
    assert words in " ".join(r.stdout.split()), r.stdout


@pytest.mark.parametrize("hours, cmac", [("40", "eligible"), ("39.99999999999999999", "review"),
                                         ("39.9999", "review")])
def test_a_share_of_full_time_is_taken_as_written(tmp_path, hours, cmac):
    """CMAC's full-time work year: 39.99999999999999999 hours a week (its float is 40.0) is part time."""
    profile = f"high_school: true\nwork: [{{from: 2023-01-01, hours_per_week: {hours}}}]\n"
    assert _statuses(tmp_path, profile, "--cert", "cmac")["cmac"] == cmac


def test_an_exact_compares_and_adds_its_digits():
    from decimal import Decimal

    x = bounds.Exact(Decimal("159.99999999999999"))
    assert float(x) == 160.0 and x < 160 and 160 > x and not x >= 160 and x != 160 and not 160 <= x
    assert x > 159.99 and x == bounds.Exact(Decimal("159.99999999999999"))
    assert repr(x + 0.00000000000001) == "160.0" and type(x + 0.00000000000001) is float
    assert repr(sum([1, x])) == "160.99999999999999"
    assert repr(bounds.Exact(Decimal("39.99999999999999999")) / 40) == "0.99999999999999999975"
    assert bounds.amount_text(bounds.Exact(Decimal("4.9999999999999999999"))) == "4.9999999999999999999"
