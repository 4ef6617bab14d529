"""An input error carries where (errors.At: the input's front end and the field's path) apart from
what is wrong (detail), and each front end words the place: a profile file by its field path, the
flags by the flag typed, a roster line by its column, a CE log by its row and column."""

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from ma_cli.base.errors import At, Fields, InputError
from ma_cli.commands.options import Flags, load_person
from ma_cli.inputs.celog import parse_ce_csv
from ma_cli.inputs.profile import check_dates, parse_profile, years_old
from ma_cli.inputs.roster import profile_from_cells
from ma_cli.inputs.roster_columns import COLUMNS, RosterLine

AS_OF = date(2026, 11, 23)
BAD = {"programs": [{"accreditation": "caahep", "completed": "2026-02-30"}]}
DETAIL = "'2026-02-30' is not a real calendar date (expected YYYY-MM-DD or YYYY-MM)"


@pytest.mark.parametrize("source, place", [
    ("p.yaml", "p.yaml.programs[0].completed"),
    (Flags(BAD), "--graduated"),
    (RosterLine(5), "line 5, column completed"),
])
def test_one_error_worded_by_each_front_end(source, place):
    with pytest.raises(InputError) as caught:
        parse_profile(BAD, source)
    err = caught.value
    assert err.at.path == ("programs", 0, "completed") and err.detail == DETAIL
    assert str(err) == f"{place}: {DETAIL}"


def test_the_flags_name_the_flag_typed():
    with pytest.raises(InputError) as caught:
        load_person(None, {"programs": [{"accreditation": "caahep", "completed": "2027-01-01"}]}, AS_OF)
    assert str(caught.value).startswith("--graduated: 2027-01-01 is after the as-of date 2026-11-23")


def test_a_ce_log_row_names_its_column_and_keeps_the_reader_s_detail():
    with pytest.raises(InputError) as caught:
        parse_ce_csv("date,credits\n2024-01-01,-5\n", "ce.csv", AS_OF)
    err = caught.value
    assert err.at.path == ("credits",) and err.detail == "-5 is negative (expected a number from 0 to 1,000)"
    assert str(err) == "ce.csv: row 2, column 'credits': -5 is negative (expected a number from 0 to 1,000)"


# a bad value for every column a profile field comes from, with the program columns a program needs
BAD_CELLS = {"age": "x", "birth_date": "x", "high_school": "x", "program": "x", "completed": "x", "expected": "x",
             "accredited_since": "x", "academic_hours": "x", "externship_hours": "x", "award": "x",
             "postsecondary": "x", "apprenticeship": "x", "injections": "x", "venipunctures": "x",
             "capillary_sticks": "x", "ekgs": "x", "field": "x", "clinical": "x", "military": "x",
             "work": "2021-01-01..2020-01-01", "held": "cma:x", "failed_attempts": "c-ma:x", "last_attempt": "cma:2020-13-01"}


def test_every_roster_column_names_itself_in_a_row_error():
    assert set(BAD_CELLS) | {"id"} == {column.name for column in COLUMNS}
    for name, cell in BAD_CELLS.items():
        values = {"id": "p1", "program": "caahep", "completed": "2020-01-01", name: cell}
        if name == "expected":
            del values["completed"]
        with pytest.raises(InputError) as caught:
            profile_from_cells(values, 7)
        assert str(caught.value).startswith(f"line 7, column {name}"), (name, str(caught.value))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["programs", "work", "held", "military", "skills", "failed_attempts",
                                           "age", "completed", "from", "since", "ekgs", "c-ma", "x.y"]),
                          st.integers(0, 300)), min_size=1, max_size=4))
def test_a_roster_line_words_any_path_as_a_column(path):
    """Never a profile path in a roster message (it once said 'line 5.failed_attempts.c-ma')."""
    if isinstance(path[0], int):
        path[0] = "work"
    place = str(At(RosterLine(5), tuple(path)))
    assert place.startswith("line 5, column") and "[" not in place and "line 5." not in place
    assert str(At(Fields("p.yaml"), ("work", 2, "to"))) == "p.yaml.work[2].to"


# --- age and birth_date both given --------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2030, 12, 31)), st.dates(date(1900, 1, 1), date(2199, 12, 31)),
       st.integers(-2, 2))
def test_an_age_beside_a_birth_date_must_be_the_age_on_the_as_of_date(born, as_of, off):
    """`age` is whole years on the as-of date; beside a birth date it is accepted only when it is that
    age or a year off it (a spreadsheet's age saved before or after a birthday), and the birth date
    is what counts (it is what the rules read: an age further off was once dropped without a word)."""
    if born > as_of:
        born, as_of = as_of, born
    age = years_old(born, as_of) + off
    if not 0 <= age <= 130:  # (the bounds of `age`)
        return
    person = parse_profile({"age": age, "birth_date": born.isoformat()}, "p.yaml")
    if abs(off) <= 1:
        check_dates(person, as_of, "p.yaml")
        assert person.age_on(as_of) == age - off
        return
    with pytest.raises(InputError) as caught:
        check_dates(person, as_of, "p.yaml")
    assert str(caught.value) == (f"p.yaml: age {age} and birth_date {born} disagree (born on {born} is "
                                 f"{age - off} on the as-of date {as_of}): give either 'age' or 'birth_date', "
                                 f"or both agreeing")


@pytest.mark.parametrize("birth, age, computed", [
    ("2009-11", 16, None), ("2009-11", 17, None),  # born on the 1st: 17; on the 24th or later: 16
    ("2009-11", 18, None), ("2009-11", 15, None),  # a year off (an age saved before or after a birthday)
    ("2009-11", 19, "16 or 17"), ("2009-11", 14, "16 or 17"),
    ("2009-10", 17, None), ("2009-10", 16, None), ("2009-10", 15, "17"),  # October 2009: 17 on 2026-11-23
])
def test_a_birth_date_given_to_the_month_agrees_with_the_age_on_any_of_its_days(birth, age, computed):
    person = parse_profile({"age": age, "birth_date": birth}, "p.yaml")
    if computed is None:
        check_dates(person, AS_OF, "p.yaml")
        return
    with pytest.raises(InputError) as caught:
        check_dates(person, AS_OF, "p.yaml")
    assert f"age {age} and birth_date {birth} disagree (born in {birth} is {computed} on the as-of date" \
        in str(caught.value)

