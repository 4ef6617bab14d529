"""Each condition kind is defined once, whole (kinds.py): its parameters, its decision, its words for
the trace, its candidate days, its description, its cost; and the traced engine, the batch path, the
planner and `rules show` all go through that one definition."""

import ast
import inspect
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ma_cli.inputs.profile import Held, Profile, Program, Work
from ma_cli.language import kinds
from ma_cli.language.change_days import Span
from ma_cli.language.conditions import FAIL, PASS, UNKNOWN, Context
from ma_cli.language.kinds import KINDS, Kind, compile_condition, runner
from ma_cli.ruleset.rules_validate import load_rules
from test_properties import profiles

SRC = Path(kinds.__file__).parents[1]  # ma_cli/
PARTS = ("decide", "candidates", "describe")


def _own(kind: Kind, name: str) -> bool:
    """Whether the kind's class (or a shared base of kinds, below Kind) defines `name` itself."""
    return any(name in vars(cls) for cls in type(kind).__mro__ if cls is not Kind and cls is not object)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_defines_every_part(name):
    kind = KINDS[name]
    assert kind.name == name
    for part in PARTS:
        assert _own(kind, part), f"{name} lacks its own {part}"
    assert _own(kind, "words") or _own(kind, "check"), f"{name} has no words for the trace"
    assert isinstance(kind.cost, int) and 0 <= kind.cost <= 9
    assert kind.required <= set(kind.params), name
    assert kind.over_time in ("candidates", "fields", "rising", "window", "for_good", "alternatives", "work_sum")


def test_the_kinds_are_exactly_the_ones_rule_files_may_name():
    used = set()

    def walk(conds):
        for c in conds:
            used.add(c.kind)
            walk(c.params.get("conditions", ()))

    for cred in load_rules(None).credentials.values():
        walk(cred.requires)
        for route in cred.routes:
            walk(route.conditions)
    assert used <= set(KINDS)
    assert len(used) >= 11  # the bundled rules use nearly every kind: the checks below see them at work


def test_no_other_module_names_a_kind_in_a_table_of_its_own():
    """A kind's semantics live in kinds.py: no other module holds a table keyed by kind names (the way
    four modules once each kept their own), so a new kind cannot be half-added."""
    names = set(KINDS)
    for path in SRC.rglob("*.py"):
        if path.name == "kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                assert len(keys & names) < 2, f"{path.name}: a table keyed by condition kinds"
            if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
                items = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                assert len(items & names) < 3, f"{path.name}: a list of condition kinds"


def test_the_batch_path_never_falls_back_to_the_trace():
    """compiled.py asks each kind's decision: it builds no Check (the trace's record) for any kind."""
    import ma_cli.reasoning.compiled as compiled

    source = inspect.getsource(compiled)
    assert "Check(" not in source and "runner(" not in source and "Context(" not in source


# --- the trace observes the decision ----------------------------------------------------------

def _conditions():
    out = []

    def walk(conds):
        for c in conds:
            out.append(c)
            walk(c.params.get("conditions", ()))

    for cred in load_rules(None).credentials.values():
        walk(cred.requires)
        for route in cred.routes:
            walk(route.conditions)
    return out


CONDITIONS = _conditions()
DAY0 = date(2026, 11, 23)


@st.composite
def people(draw):
    a_date = st.dates(date(2015, 1, 1), date(2030, 12, 31))
    programs = draw(st.lists(st.builds(
        lambda acc, done, exp, hours: Program(accreditation=acc, completed=done, expected=exp, academic_hours=hours),
        st.sampled_from(["caahep", "abhes", "none", "other"]), st.none() | a_date, st.none() | a_date,
        st.none() | st.integers(0, 2000)), max_size=2))
    work = draw(st.lists(st.builds(
        lambda role, start, length, hours, sup: Work(role, start, None if length is None else start + timedelta(days=length),
                                                     hours, sup),
        st.sampled_from(["medical-assistant", "instructor", "phlebotomy-technician", "ophthalmic-assistant"]),
        a_date, st.none() | st.integers(0, 3000), st.sampled_from([10, 20, 40]), st.sampled_from([None, True, False])),
        max_size=3))
    held = draw(st.lists(st.builds(lambda c: Held(c), st.sampled_from(["cma", "rma", "cpt", "coa"])), max_size=2))
    birth = draw(st.none() | st.dates(date(1960, 1, 1), date(2012, 12, 31)))
    return Profile(birth_date=birth, programs=tuple(programs), work=tuple(work), held=tuple(held))


@settings(max_examples=150, deadline=None)
@given(people(), st.integers(-800, 800), st.sampled_from(CONDITIONS))
def test_the_traced_answer_is_the_decision_observed(person, shift, cond):
    """For every bundled condition, the trace's status, opening and closing day are the decision's."""
    day = DAY0 + timedelta(days=shift)
    if not cond.in_force(day):
        return
    for item in (None, *person.programs):
        check = runner(cond)(Context(person, day, item))
        status, opens, closes, _ = compile_condition(cond, day)(person, item, day)
        assert (check.status, check.opens, check.closes) == (status, opens, closes), (cond.id, item)
        assert check.status in (PASS, FAIL, UNKNOWN)
        assert isinstance(check.observed, str) and check.observed


def test_every_bundled_condition_has_words_and_days():
    span = Span(Profile(work=(Work("medical-assistant", date(2020, 1, 1), None, 40, None),)), DAY0, DAY0 + timedelta(days=3650))
    for cond in CONDITIONS:
        assert kinds.describe(cond)
        days = kinds.condition_days(cond, span)
        assert all(span.lo < d <= span.hi for d in days), cond.id


# --- an any_of's words ---------------------------------------------------------------------------

ANY_OFS = [c for c in CONDITIONS if c.kind == "any_of"]


@settings(max_examples=150, deadline=None)
@given(profiles(), st.integers(-800, 800))
def test_an_any_of_says_each_observation_once(person, shift):
    """Alternatives often look at the same fact (two windows on one expected date): the any_of's words
    say each observation once, and when it holds, only what holds (every bundled any_of)."""
    assert {c.id for c in ANY_OFS} >= {"high-school", "attempts", "practicum-or-work", "recent-or-working"}
    day = DAY0 + timedelta(days=shift)
    for cond in ANY_OFS:
        for item in (None, *person.programs, *person.military):
            check = runner(cond)(Context(person, day, item))
            entries = check.observed.split(kinds.ANY_OF_JOIN)
            assert len(entries) == len(set(entries)), (cond.id, check.observed)
            passing = [ch.observed for _, ch in check.subchecks if ch.status == PASS]
            shown = passing if check.status == PASS else [ch.observed for _, ch in check.subchecks]
            assert entries == list(dict.fromkeys(shown)), cond.id


# --- windows share the dates worked out for the same offsets --------------------------------------

WINDOWS = [c for c in CONDITIONS if c.kind == "window"]
_OFFSETS = st.sampled_from([None, kinds.Offset(), kinds.Offset(months=12), kinds.Offset(years=4, days=-1),
                            kinds.Offset(days=-30), kinds.Offset(years=5)])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WINDOWS), st.lists(st.tuples(_OFFSETS, _OFFSETS, st.sampled_from(["program.completed",
                                                                                         "program.expected"])),
                                          min_size=1, max_size=6),
       st.lists(st.tuples(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(-3000, 3000)), max_size=8))
def test_windows_with_the_same_offsets_share_their_dates_and_answer_as_their_own_say(cond, shapes, asks):
    """Window.edges is one (memo, work_out) for every window with the same start and end, whatever its field
    or condition: each decision still answers from its own offsets, worked out afresh here."""
    from ma_cli.base.frozen import replace

    conds = [replace(cond, id=f"{cond.id}-{i}", params={"field": field, **({"start": s} if s is not None else {}),
                                                          **({"end": e} if e is not None else {})})
             for i, (s, e, field) in enumerate(shapes)]
    for a, b in zip(conds, conds[1:]):
        same = (a.params.get("start"), a.params.get("end")) == (b.params.get("start"), b.params.get("end"))
        assert (KINDS["window"].edges(a) is KINDS["window"].edges(b)) == same
    for value, shift in asks:
        day = value + timedelta(days=shift)
        for c in conds:
            program = Program(accreditation="caahep", **{c.params["field"].split(".")[1]: value})
            start = c.params["start"].apply(value) if "start" in c.params else None
            end = c.params["end"].apply(value) if "end" in c.params else None
            want = ((FAIL, start, None, False) if start is not None and day < start else
                    (FAIL, None, None, False) if end is not None and day > end else (PASS, None, end, False))
            assert compile_condition(c, DAY0)(Profile(programs=(program,)), program, day) == want
