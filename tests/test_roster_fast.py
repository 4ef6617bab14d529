"""roster_fast.quick_profile (the batch fast path) makes the very Profile the full way makes, or declines.

The full way is roster.row_mapping + profile.parse_profile, which names any bad field. Over
generated rows mixing plain cells with odd ones (spaces, case, unicode digits, exponents,
signs, bad dates, too many entries), quick_profile must either give a Profile equal to the full
way's (compared by repr, so 600.0 and 600 differ) or return None; it never accepts a row the
full way refuses.
"""

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from ma_cli.base.errors import InputError
from ma_cli.inputs.celog import parse_ce_csv
from ma_cli.inputs.profile import parse_profile
from ma_cli.inputs.roster import COLUMNS as ROSTER_COLUMNS, row_mapping
from ma_cli.inputs.roster_columns import COLUMNS, NO, PERSON, PROGRAM, YES, yes_no
from ma_cli.inputs.roster_fast import quick_profile

odd_dates = st.sampled_from(["2024-02-29", "2023-02-29", "2021-06", "1899-12-31", "2199-12-31", "2200-01-01",
                             "2021-1-1", "21-01-01", "2021/01/01", "", "present", "2020-13-01", "２０２１-01-01"])
odd_numbers = st.sampled_from(["0", "600.5", "1e3", "-5", "+5", "inf", "nan", "١٢", "1_000", "10.0", "600.", ".5",
                               "131", "130", "169", "168", "0.0", "abc", ""])
# yes/no words in any case, and near misses that are no word of either list
yes_no_words = st.sampled_from(sorted(YES | NO)).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.title(), w.swapcase()]))
odd_words = st.one_of(yes_no_words, st.sampled_from(["maybe", "", "2027-06-01", "2027-13-01", "yes.", "oui", "ja",
                                                      "yess", "nope", "2", "-1", "on", "off", "✓", "ｙｅｓ"]))


def mostly(plain, odd):
    """Plain values 39 times in 40, so that many rows are wholly plain and the fast path is taken."""
    return st.integers(0, 39).flatmap(lambda n: odd if n == 0 else plain)


dates = mostly(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)).map(str), odd_dates)
numbers = mostly(st.integers(0, 1200).map(str), odd_numbers)
words = mostly(st.sampled_from(["yes", "no"]), odd_words)
accreditations = mostly(st.sampled_from(["caahep", "abhes", "institutional", "none", "naacls", "coa-omp",
                                         "independent-study"]),
                        st.sampled_from(["CAAHEP", "caahepp", " none", ""]))
study_fields = mostly(st.sampled_from(["medical-assisting", "phlebotomy", "ekg", "ophthalmic", "medical-administrative"]),
                      st.sampled_from(["Phlebotomy", "phlebotomist", ""]))
awards = mostly(st.sampled_from(["certificate", "diploma", "associate"]), st.sampled_from(["Diploma", "degree", ""]))


@st.composite
def work_cells(draw):
    periods = []
    for _ in range(draw(st.integers(0, 4))):
        role = draw(mostly(st.sampled_from(["", "instructor:", "phlebotomy-technician:", "ophthalmic-assistant:"]),
                           st.sampled_from(["Instructor :", "medical-assistant:", "nurse:"])))
        start, end = draw(dates), draw(st.one_of(dates, st.sampled_from(["present", "Present", ""])))
        hours = draw(st.one_of(st.just(""), numbers.map(lambda h: "@" + h)))
        dots = draw(mostly(st.just(".."), st.sampled_from(["-", "", "..."])))
        periods.append(f"{role}{start}{dots}{end}{hours}")
    return draw(st.sampled_from([";", "; ", ";;"])).join(periods)


@st.composite
def pair_cells(draw, value):
    items = [f"{draw(mostly(st.sampled_from(['cma', 'rma', 'ccma']), st.sampled_from(['RMA', '', ' ncma'])))}"
             f"{draw(mostly(st.just(':'), st.just('')))}{draw(value)}" for _ in range(draw(st.integers(0, 3)))]
    return ";".join(items)


PROGRAM_COLUMNS = ("program", "completed", "expected", "accredited_since", "academic_hours", "externship_hours",
                   "award", "postsecondary", "apprenticeship", "injections", "venipunctures", "field", "clinical")


@st.composite
def rows(draw):
    cells = {
        "id": draw(mostly(st.just("p1"), st.just(""))),
        "age": draw(mostly(st.integers(15, 70).map(str), odd_numbers)), "birth_date": draw(st.one_of(st.just(""), dates)),
        "high_school": draw(words), "program": draw(accreditations),
        "completed": draw(st.one_of(st.just(""), dates)), "expected": draw(st.one_of(st.just(""), dates)),
        "accredited_since": draw(st.one_of(st.just(""), dates)),
        "academic_hours": draw(numbers), "externship_hours": draw(numbers), "award": draw(awards),
        "postsecondary": draw(words), "apprenticeship": draw(words),
        "injections": draw(numbers), "venipunctures": draw(numbers), "field": draw(study_fields),
        "clinical": draw(words), "capillary_sticks": draw(numbers), "ekgs": draw(numbers),
        "military": draw(st.one_of(st.just(""), dates)), "work": draw(work_cells()),
        "held": draw(pair_cells(st.one_of(st.just(""), dates))), "failed_attempts": draw(pair_cells(numbers)),
    }
    # most real rows leave many columns empty, give either completed or expected, and a program with its details
    optional = sorted(set(cells) - {"id", "program", "completed", "expected"})
    blank = draw(st.sets(st.sampled_from(optional), max_size=len(optional)))
    if draw(st.integers(0, 9)):
        blank |= {"completed"} if draw(st.booleans()) else {"expected"}
    if not draw(st.integers(0, 4)):
        blank |= set(PROGRAM_COLUMNS)
    return {k: ("" if k in blank else v.strip()) for k, v in cells.items()}


def full_way(values):
    try:
        return parse_profile(row_mapping(values, 2), "line 2")
    except InputError:
        return None


@settings(max_examples=1500, deadline=None)
@given(rows())
def test_quick_profile_is_the_full_way_or_declines(values):
    quick = quick_profile(values)
    if quick is not None:
        assert repr(quick) == repr(full_way(values))
    TAKEN[quick is not None] += 1


TAKEN = [0, 0]  # declined, taken


def test_the_generated_rows_take_both_ways():
    """Run after the property above (file order): the fast path was taken and declined many times.

    The floor is 2% of the examples, not a fixed 100: how often the fast path is taken depends on
    Hypothesis's own generation, which differs between its versions. Of 1,500 examples the fast
    path took 242-306 (8 seeds) at the newest allowed Hypothesis and 93-179 (26 seeds and one CI
    run) at the oldest, 6.100, so a floor of 100 failed on some seeds; 2% (30) still catches a
    generator that stops making plain rows, or odd ones.
    """
    if sum(TAKEN) >= 1000:
        assert min(TAKEN) >= sum(TAKEN) // 50, TAKEN


def test_quick_profile_takes_the_plain_row():
    values = {"id": "p1", "age": "34", "high_school": "yes", "program": "caahep", "completed": "2025-05-15",
              "academic_hours": "600", "work": "2021-01-01..2023-06-30@40;instructor:2024-01-01..present@20",
              "held": "ccma:2024-05-28", "failed_attempts": "cma:1"}
    quick = quick_profile(values)
    assert quick is not None and repr(quick) == repr(full_way(values))


def test_each_roster_column_is_defined_once_and_read_by_both_readers():
    """One definition a column (roster_columns.COLUMNS), and both readers take the cell from it: a row
    holding only that column's example (with a program when the column describes one) is read the
    same by both, and the cell lands in the profile field the column names."""
    names = [column.name for column in COLUMNS]
    assert len(names) == len(set(names)) and list(ROSTER_COLUMNS) == names
    for column in COLUMNS:
        values = {"id": "p1", column.name: column.example}
        if column.section == PROGRAM and column.name != "program":
            values.update(program="caahep", completed="2020-01-01" if column.name != "completed" else column.example)
            if column.name == "expected":
                del values["completed"]
        elif column.name == "program":
            values["completed"] = "2020-01-01"
        elif column.name == "last_attempt":  # (a last failed attempt needs one counted)
            values["failed_attempts"] = "ccma:1"
        quick = quick_profile(values)
        assert quick is not None, column
        assert repr(quick) == repr(full_way(values)), column
        if column.section == PERSON:
            assert getattr(quick, column.key) not in (None, (), {}), column
        elif column.section == PROGRAM:
            assert getattr(quick.programs[0], column.key) == column.quick(column.example), column
        else:
            assert getattr(quick.skills, column.key) == column.quick(column.example), column


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([c.name for c in COLUMNS if c.kind.startswith("yes/no")]), odd_words)
def test_both_readers_and_the_ce_log_read_the_same_yes_no_words(name, word):
    """A yes/no cell means the same to the fast reader, the full reader and a CE log's `approved`."""
    values = {"id": "p1", "program": "caahep", "completed": "2020-01-01", name: word}
    quick, full = quick_profile(values), full_way(values)
    answer = yes_no(word)
    if answer is not None:
        assert quick is not None and repr(quick) == repr(full)
        got = quick.high_school if name == "high_school" else getattr(quick.programs[0], name)
        assert got is answer
    elif quick is not None:
        assert repr(quick) == repr(full)
    log = f"date,credits,approved\n2024-01-01,2,{word}\n"
    try:
        approved = parse_ce_csv(log, "ce.csv", date(2026, 11, 23))[0].approved
    except InputError as err:
        assert answer is None and "is not yes or no" in str(err)
    else:
        assert approved is (answer if word else None)


@pytest.mark.parametrize("spec", [
    "2021-01-01..present", " 2021-01-01 .. 2023-06-30 @ 20 ", "instructor:2021-01..2022-01@10",
    "Phlebotomy-Technician : 2020-02-01..", "2021-01-01..present@", "..2022-01-01", "2021-01-01",
    "pilot:2021-01-01..present", "2023-01-01..2021-01-01", "2021-01-01..present@0", "2021-02-30..present",
])
def test_a_work_period_reads_alike_in_a_roster_cell_both_ways_and_in_work(spec):
    # one reading of [ROLE:]FROM..TO[@HOURS] (roster_columns.period_parts): a roster's fast and full
    # readers and --work take the same periods and refuse the same ones
    from ma_cli.commands.options import work_flag
    def work(read):
        try:
            return read().work
        except InputError:
            return None

    full = work(lambda: parse_profile(row_mapping({"id": "s", "work": spec}, 2), "roster"))
    assert full == work(lambda: parse_profile({"work": [work_flag(spec)]}, "flags"))
    quick = quick_profile({"id": "s", "work": spec})
    assert quick is None or quick.work == full
