"""Every kind of condition a rule file may use (`test:`), each defined once, in one place.

A kind is one class here, holding all there is to know about it:

- `params` and `required`: what a rule may and must give (rules.py validates against them);
- `decide(cond, as_of)`: the decision, a fast function (profile, record, day) -> Outcome, a bare
  (status, opens, closes, low) with no words. Batch runs it per row (compiled.py);
- `words(...)`: what the trace says the condition looked at. The traced answer (`check`, which the
  engine runs) is the decision observed: its outcome, with these words made only when read. So the
  trace and batch cannot disagree: there is one decision;
- `candidates(cond, span)`: the days on which its answer can change while the person does not (the
  planner and batch's `eligible_until` ask them);
- `describe(cond)`: the condition in words for `rules show`;
- `cost`: how costly it is to ask (batch asks cheap ones first within a route);
- `words_key`, `assumed_key`, `sureness_key`, `may_assume`, `over_time`: what batch's `why` and `eligible_until` need to
  know about it.

Adding a kind is adding a class here (and its words in the rule-format docs); tests/test_kinds.py
fails when a kind lacks any part.
"""

from __future__ import annotations

import operator
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from ma_cli.base.dates import Offset, add_months
from ma_cli.base.frozen import replace
from ma_cli.inputs.profile import FULL_TIME_HOURS
from ma_cli.language.change_days import DAY, Span, field_days, inside, job_edges, leaves, solve
from ma_cli.language.conditions import (
    FAIL,
    IMPLIED,
    PART_TIME,
    PASS,
    UNKNOWN,
    Check,
    Context,
    Implied,
    cut_years,
    hours_worked_after,
    hours_worked_within,
    implied,
    part_time_note,
    reached_on,
    reader,
    show,
    work_hours_within_measure,
    work_years_in_all,
    work_years_measures,
    work_years_roles,
    years_counted_words,
)
from ma_cli.language.verdicts import SURENESS, confidence_of

if TYPE_CHECKING:
    from ma_cli.language.rule_records import Condition

Outcome = tuple[str, "date | None", "date | None", bool]  # (status, opens, closes, low): low = holds only as
# surely as a low-confidence alternative
Decide = Callable[[Any, Any, date], Outcome]  # (profile, record or None, day) -> Outcome
WindowEdges = tuple[date, date, Outcome, Outcome]  # a window's (first day open, last day open, outcome before, while open)
Words = tuple["str | Callable[[], str]", bool]  # (what was looked at, or a function that says it; assumed?)

OUT_PASS = (PASS, None, None, False)
OUT_FAIL = (FAIL, None, None, False)
OUT_UNKNOWN = (UNKNOWN, None, None, False)

# dates remembered per window or limit; cleared when full (pure values, so never stale). A roster repeats
# a cohort's few dates; a bigger memo only holds more of one-off dates, and a batch run's memory with it
_MEMO_MAX = 256
_NO_OFFSET = Offset()


def missing_outcome(cond: "Condition", default: str = UNKNOWN) -> Outcome:
    """The outcome for a fact the profile does not give: its kind's default (Kind.if_missing), unless the
    rule says what to assume."""
    missing = cond.params.get("if_missing", default)
    return OUT_PASS if missing == PASS else OUT_FAIL if missing == FAIL else OUT_UNKNOWN


def missing_check(cond: "Condition", seen: "str | Callable[[], str]") -> Check:
    """A fact the profile does not give, traced: unknown, unless the rule says what to assume.

    `if_missing: pass` is a deliberate, visible assumption (the trace says "assumed; confirm"),
    for facts nearly everyone asking has (a high-school diploma) or that an accreditation implies.
    """
    missing = cond.params.get("if_missing", UNKNOWN)
    if missing == PASS:
        return Check(PASS, lambda: _text(seen) + "; assumed; confirm", assumed=True)
    if missing == FAIL:
        return Check(FAIL, lambda: _text(seen) + "; counted as not met")
    return Check(UNKNOWN, seen)


def unless_reader(cond: "Condition") -> Callable[[Any, Any, date], Any] | None:
    """The reader of the field `if_missing_unless` names (None without one): while that field is given, a
    fact the profile does not give is `unknown`, whatever `if_missing` says. A missing age is assumed old
    enough, but not for a high-school student (`if_missing_unless: high_school_expected`), who is most
    often younger. (No field becomes given by waiting, high_school_expected only stops being given: an
    answer resting on the assumption lasts as it would without the key; until.py.)"""
    path = cond.params.get("if_missing_unless")
    return None if path is None else value_reader(path)


def unassumed_check(cond: "Condition", seen: "str | Callable[[], str]", given: Any) -> Check:
    """A fact the profile does not give, traced, while the field `if_missing_unless` names is given."""
    other = cond.params["if_missing_unless"]
    return Check(UNKNOWN, lambda: f"{_text(seen)}; not assumed, as {other} = {show(given)}")


def _text(seen: "str | Callable[[], str]") -> str:
    return seen if isinstance(seen, str) else seen()


def record_attribute(path: str) -> str | None:
    """The attribute a field of the record looked at is read from, when conditions.reader reads it
    plainly (None if item is None else getattr(item, name, None)); None for every other field."""
    head, _, rest = path.partition(".")
    if head in ("program", "military") and rest != "total_hours":
        return rest
    return None


def value_reader(path: str) -> Callable[[Any, Any, date], Any]:
    """reader(path), or for a plain attribute of the record looked at, one call instead of two."""
    name = record_attribute(path)
    if name is None:
        return reader(path)
    return lambda profile, item, day: None if item is None else getattr(item, name, None)


def roles_of(p: dict[str, Any]) -> tuple[str, ...]:
    return tuple(p.get("roles", ("medical-assistant",)))


class Kind:
    """One kind of condition; see the module's docstring. Subclasses define every part."""

    name = ""
    params: dict[str, Any] = {}
    required: frozenset[str] = frozenset()
    cost = 9
    sums_work = False  # it adds up work: costly (asked once a person) and it moves while work goes on
    over_time = "candidates"  # how an eligible answer resting on it lasts (until.py)
    group_words = "all of:"  # what `rules show` says above the conditions it holds (a group's)
    if_missing = UNKNOWN  # what a fact the profile does not give is without an `if_missing` (missing_outcome)

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        raise NotImplementedError

    def words(self, cond: "Condition", profile: Any, item: Any, day: date, status: str) -> Words:
        """(what the condition looked at, in words or a function that says it; passed on an assumed fact)."""
        raise NotImplementedError

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        """The traced answer: the decision, observed with its words."""
        decide, words = self.decide(cond, None), self.words

        def run(ctx: Context) -> Check:
            profile, item, day = ctx.profile, ctx.item, ctx.as_of
            status, opens, closes, _ = decide(profile, item, day)
            seen, assumed = words(cond, profile, item, day, status)
            return Check(status, seen, opens, closes, assumed=assumed)

        return run

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        raise NotImplementedError

    def describe(self, cond: "Condition") -> str:
        raise NotImplementedError

    def words_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any] | None:
        """A function (profile, record, day) -> a hashable value such that, for the condition and one
        day, equal values mean equal traced answers (status, words, assumed, sub-answers): what batch's
        `why` remembers words by. None when no such value is cheaper than the answer itself."""
        return None

    def assumed_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any] | None:
        """As words_key, for the traced answer's `assumed` alone (batch's `why` breaks ties with it):
        equal values mean equal `assumed` for a condition that passes. The words key unless a coarser
        one is known."""
        return self.words_key(cond)

    def sureness_key(self, cond: "Condition", as_of: date) -> Callable[[Any, Any, date], Any] | None:
        """As words_key, on as_of, for how sure its traced answer holds alone (verdicts.confidence_of: a
        group holds only as surely as its surest holding alternative). The words key unless a coarser one
        is known."""
        return self.words_key(cond)

    def may_assume(self, cond: "Condition") -> bool:
        """Whether it can pass on a fact the profile does not give (the trace's `assumed`)."""
        return cond.params.get("if_missing") == PASS

    def reachable(self, cond: "Condition", work: Any, end: date) -> bool:
        """For a work sum: whether the work given, every day of it up to `end` counted at the most any
        reading of this condition counts it (however long ago, part time as full time for years), reaches
        the amount asked. A sum short of it then cannot be brought by waiting (comes_by_waiting)."""
        return True

    def reads(self, cond: "Condition") -> frozenset[str]:
        """The profile fields its answer can depend on: the fields it names (`field`, `other`, `if_missing_unless`:
        conditions.FIELDS), WORK_DATES when it adds up work, and what the conditions it holds read."""
        found = {cond.params[key] for key in ("field", "other", "if_missing_unless") if key in cond.params}
        if self.sums_work:
            found.add(WORK_DATES)
        return frozenset(found).union(*(reads(c) for c in cond.params.get("conditions", ())))


def years_reachable(self: Kind, cond: "Condition", work: Any, end: date) -> bool:
    """Kind.reachable of a sum of years: every day however long ago, part time as full, the most any
    years reading counts (work_years_in_all)."""
    need: float = cond.params["years"]
    return work_years_in_all(work, end, work_years_roles(cond.params)[0], "as_full_time") >= need - 1e-9


def hours_reachable(self: Kind, cond: "Condition", work: Any, end: date) -> bool:
    """Kind.reachable of a sum of hours: every hour ever worked in its roles (a job marked unsupervised left
    out when supervision is asked)."""
    hours, _ = hours_worked_within(work, date.min, end, roles_of(cond.params), cond.params.get("supervised"))
    need: float = cond.params["hours"]
    return hours >= need - 1e-9


def status_over(cond: "Condition", span: Span) -> Callable[[date], str]:
    """The condition's status on a day, for the person and record of the span: its decision (a group's
    traced answer, since which of its alternatives are in force depends on the day)."""
    profile, item = span.profile, span.item
    if is_group(cond):
        run = runner(cond)
        return lambda day: run(Context(profile, day, item)).status
    decide = KINDS[cond.kind].decide(cond, None)
    return lambda day: decide(profile, item, day)[0]


# --- comparisons of a profile field --------------------------------------------------------

class _FieldKind(Kind):
    over_time = "fields"

    def words_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any]:
        # its words depend on the values of `field` and `other` (and the day) alone; and on the field
        # `if_missing_unless` names, and on the fact a value is implied by (conditions.implied), where they are
        read = value_reader(cond.params["field"])
        extra = _extra_readers(cond)
        if not cond.params.get("other"):
            if not extra:
                return lambda profile, item, day: _hashable(read(profile, item, day))
            return lambda profile, item, day: (_hashable(read(profile, item, day)),
                                               *(_hashable(r(profile, item, day)) for r in extra))
        read_other = value_reader(cond.params["other"])
        return lambda profile, item, day: (_hashable(read(profile, item, day)), _hashable(read_other(profile, item, day)),
                                           *(_hashable(r(profile, item, day)) for r in extra))

    def assumed_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any]:
        # it passes on an assumed fact only when a field it reads is not given (missing_check), or its value is
        # only implied (conditions.implied): whether one is, not the values, which rarely repeat (dates)
        read = value_reader(cond.params["field"])
        taken = implied(cond.params["field"])
        if taken is not None:
            marked = taken.read
            return lambda profile, item, day: marked(profile, item, day) in (None, IMPLIED)
        if not cond.params.get("other"):
            return lambda profile, item, day: read(profile, item, day) is None
        read_other = value_reader(cond.params["other"])
        return lambda profile, item, day: read(profile, item, day) is None or read_other(profile, item, day) is None

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        return (field_days(cond.params.get("field"), span) | field_days(cond.params.get("other"), span)
                | field_days(cond.params.get("if_missing_unless"), span))


def _extra_readers(cond: "Condition") -> tuple[Callable[[Any, Any, date], Any], ...]:
    """What a field condition's words read besides `field` and `other`: the field `if_missing_unless`
    names, and the fact the value is implied by (conditions.implied), where the condition has them."""
    taken = implied(cond.params["field"])
    found = (unless_reader(cond), None if taken is None else taken.fact)
    return tuple(r for r in found if r is not None)


class _Comparison(_FieldKind):
    key = "value"
    cost = 0

    def holds(self, cond: "Condition") -> Callable[[Any], bool]:
        """Whether a given value meets the condition: a predicate made of C parts (operator, a bound
        method), so asking it adds no Python frame per row."""
        raise NotImplementedError

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        ok = self.holds(cond)
        path, missing = cond.params["field"], missing_outcome(cond)
        unless, taken = unless_reader(cond), implied(path)
        if unless is not None or taken is not None:
            return self._decide_assuming(cond, ok, missing, unless, taken)
        name = record_attribute(path)
        if name is not None:
            # a record's own field (most route conditions): read in place, as value_reader reads it, one
            # call fewer a condition and a row
            def run_on_record(profile: Any, item: Any, day: date) -> Outcome:
                value = None if item is None else getattr(item, name, None)
                if value is None:
                    return missing
                return OUT_PASS if ok(value) else OUT_FAIL

            return run_on_record
        read = reader(path)

        def run(profile: Any, item: Any, day: date) -> Outcome:
            value = read(profile, item, day)
            if value is None:
                return missing
            return OUT_PASS if ok(value) else OUT_FAIL

        return run

    @staticmethod
    def _decide_assuming(cond: "Condition", ok: Callable[[Any], bool], missing: Outcome,
                         unless: Callable[[Any, Any, date], Any] | None,
                         taken: Implied | None) -> Decide:
        """decide() for a condition whose assumption depends on the person: a missing fact is not assumed
        while the field `if_missing_unless` names is given, and a value implied by another fact (a diploma
        by a graduation date that has passed: conditions.implied) counts only where a missing one would be
        assumed, else it is `unknown`. Kept apart so that every other condition asks neither."""
        read = value_reader(cond.params["field"]) if taken is None else taken.read
        implied_value = None if taken is None else taken.value

        def run(profile: Any, item: Any, day: date) -> Outcome:
            value = read(profile, item, day)
            if value is None:
                return missing if unless is None or unless(profile, item, day) is None else OUT_UNKNOWN
            if value is IMPLIED:
                if missing is not OUT_PASS or (unless is not None and unless(profile, item, day) is not None):
                    return OUT_UNKNOWN
                value = implied_value
            return OUT_PASS if ok(value) else OUT_FAIL

        return run

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        path, read = cond.params["field"], value_reader(cond.params["field"])
        decide = self.decide(cond, None)
        nothing = f"{path} = {show(None)}"
        missing = missing_check(cond, nothing)  # the same answer every time the fact is missing
        unless, taken = unless_reader(cond), implied(path)
        fact, taken_as = (None, "") if taken is None else (taken.fact, taken.taken_as)

        def run(ctx: Context) -> Check:
            profile, item, day = ctx.profile, ctx.item, ctx.as_of
            value = read(profile, item, day)
            given = None if unless is None else unless(profile, item, day)
            if value is None:
                return missing if given is None else unassumed_check(cond, nothing, given)
            status, opens, _, _ = decide(profile, item, day)
            implied_by = None if fact is None else fact(profile, item, day)
            if implied_by is not None:
                # a value implied, not given: the words say what was given, and whether it was taken
                if status == UNKNOWN:
                    return Check(status, lambda: f"{path} = {implied_by}; not taken as {taken_as}", opens=opens)
                return Check(status, lambda: f"{path} = {implied_by}; taken as {taken_as}; confirm", opens=opens,
                             assumed=status == PASS)
            return Check(status, lambda: f"{path} = {show(value)}", opens=opens)

        return run


class OneOf(_Comparison):
    name = "one_of"
    params = {"field": str, "values": list, "if_missing": str, "if_missing_unless": str}
    required = frozenset({"field", "values"})

    def holds(self, cond: "Condition") -> Callable[[Any], bool]:
        values = cond.params["values"]
        if len(values) == 1 and values[0] is not None:  # one value (a program's field, say): plain equality
            return partial(operator.eq, values[0])
        return tuple(values).__contains__  # (value in values)

    def describe(self, cond: "Condition") -> str:
        return f"{cond.params['field']} is one of {', '.join(map(str, cond.params.get('values', [])))}"


class AtLeast(_Comparison):
    name = "at_least"
    params = {"field": str, "value": (int, float), "if_missing": str, "if_missing_unless": str}
    required = frozenset({"field", "value"})
    over_time = "rising"  # age and a diploma only go up; other fields stay as they are

    def holds(self, cond: "Condition") -> Callable[[Any], bool]:
        return partial(operator.le, cond.params["value"])  # value >= the rule's

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        run = super().decide(cond, as_of)
        reached = reached_on(cond.params["field"])
        if reached is None:
            return run
        # a field that rises by itself (an age read from a birth date, reached on a birthday): a value too low
        # today does not rule the person out for good, the condition opens on the day it is reached
        need = cond.params["value"]

        def run_rising(profile: Any, item: Any, day: date) -> Outcome:
            out = run(profile, item, day)
            if out is OUT_FAIL:
                opens = reached(profile, need)
                if opens is not None:
                    return (FAIL, opens, None, False)
            return out

        return run_rising

    def describe(self, cond: "Condition") -> str:
        return f"{cond.params['field']} is at least {cond.params.get('value')}"


class AtMost(_Comparison):
    name = "at_most"
    params = {"field": str, "value": (int, float), "if_missing": str, "if_missing_unless": str}
    required = frozenset({"field", "value"})

    def holds(self, cond: "Condition") -> Callable[[Any], bool]:
        return partial(operator.ge, cond.params["value"])  # value <= the rule's

    def describe(self, cond: "Condition") -> str:
        return f"{cond.params['field']} is at most {cond.params.get('value')}"


class Is(_Comparison):
    name = "is"
    params = {"field": str, "value": bool, "if_missing": str, "if_missing_unless": str}
    required = frozenset({"field", "value"})

    def holds(self, cond: "Condition") -> Callable[[Any], bool]:
        return partial(operator.eq, cond.params["value"])

    def describe(self, cond: "Condition") -> str:
        return f"{cond.params['field']} is {'yes' if cond.params.get('value') else 'no'}"


class Present(_FieldKind):
    name = "present"
    params = {"field": str}
    required = frozenset({"field"})
    cost = 0

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        path = cond.params["field"]
        name = record_attribute(path)
        if name is not None:  # a record's own field, read in place (see _Comparison.decide)
            return lambda profile, item, day: (
                OUT_FAIL if item is None or getattr(item, name, None) in (None, False) else OUT_PASS)
        read = reader(path)
        return lambda profile, item, day: OUT_PASS if read(profile, item, day) not in (None, False) else OUT_FAIL

    def words(self, cond: "Condition", profile: Any, item: Any, day: date, status: str) -> Words:
        path = cond.params["field"]
        value = reader(path)(profile, item, day)
        return (lambda: f"{path} = {show(value)}"), False

    def describe(self, cond: "Condition") -> str:
        return f"{cond.params['field']} is given"


class Window(_FieldKind):
    """as_of lies within [field + start, field + end]: "applies within 12 months of graduating".

    A date the profile does not give fails, unless the rule says otherwise (`if_missing`)."""

    name = "window"
    params = {"field": str, "start": Offset, "end": Offset, "if_missing": str, "if_missing_unless": str}
    required = frozenset({"field"})
    cost = 2
    over_time = "window"
    if_missing = FAIL

    def edges(self, cond: "Condition") -> tuple[dict[Any, "WindowEdges"], Callable[[date], "WindowEdges"]]:
        """(memo, work_out): work_out(value) works out (first day open, last day open, the outcome before (FAIL
        with the day it opens), the outcome while open (PASS with its last day)) and remembers it in memo by
        value. Made once per condition and kept on it, as runner() is: every decision of the condition
        (batch's, its trace's, those on other days) and the trace's words share the dates worked out for a
        value, which a row asks about several times."""
        found = cond.__dict__.get("_window_edges")
        if found is not None:
            shared: tuple[dict[Any, WindowEdges], Callable[[date], WindowEdges]] = found
            return shared
        start_offset, end_offset = cond.params.get("start"), cond.params.get("end")
        # the dates depend on the offsets and the value alone: windows with the same offsets (several routes
        # of a credential, and of different credentials, on the date a program was completed) share them,
        # worked out once a value for all
        found = _WINDOW_EDGES.get((start_offset, end_offset))
        if found is not None:
            shared = cond.__dict__["_window_edges"] = found
            return shared
        memo: dict[Any, WindowEdges] = {}

        def work_out(value: date) -> WindowEdges:
            start = start_offset.apply(value) if start_offset is not None else None
            end = end_offset.apply(value) if end_offset is not None else None
            # an open end is the calendar's: no day lies beyond it, so no test asks whether there is one
            edges = (start or date.min, end or date.max, (FAIL, start, None, False), (PASS, None, end, False))
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[value] = edges
            return edges

        shared = cond.__dict__["_window_edges"] = _WINDOW_EDGES[(start_offset, end_offset)] = (memo, work_out)
        return shared

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        path = cond.params["field"]
        name, read = record_attribute(path), reader(path)
        missing = missing_outcome(cond, self.if_missing)
        unless = unless_reader(cond)
        memo, work_out = self.edges(cond)

        def run(profile: Any, item: Any, day: date) -> Outcome:
            if name is not None:  # a record's own field, read in place (see _Comparison.decide)
                value = None if item is None else getattr(item, name, None)
            else:
                value = read(profile, item, day)
            if value is None:
                return missing if unless is None or unless(profile, item, day) is None else OUT_UNKNOWN
            edges = memo.get(value)  # (looked up in place: a call fewer when the dates are known)
            if edges is None:
                edges = work_out(value)
            start, end, before, open_ = edges
            if day < start:
                return before
            if day > end:
                return OUT_FAIL
            return open_

        return run

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        path, read = cond.params["field"], value_reader(cond.params["field"])
        decide, (memo, work_out) = self.decide(cond, None), self.edges(cond)
        nothing = f"{path} = {show(None)}"
        missing = missing_check(cond, nothing) if "if_missing" in cond.params else Check(self.if_missing, nothing)
        unless = unless_reader(cond)

        def run(ctx: Context) -> Check:
            profile, item, day = ctx.profile, ctx.item, ctx.as_of
            value = read(profile, item, day)
            if value is None:
                given = None if unless is None else unless(profile, item, day)
                return missing if given is None else unassumed_check(cond, nothing, given)
            status, opens, closes, _ = decide(profile, item, day)

            def seen() -> str:
                _, _, before, open_ = memo.get(value) or work_out(value)
                start, end = before[1], open_[2]  # (None for an open start or end)
                outcome = "" if status == PASS else " not open yet" if opens else " closed"
                return f"{path} = {show(value)}; window {start or '…'} to {end or '…'}{outcome}"

            return Check(status, seen, opens, closes)

        return run

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        value = span.value(cond.params["field"])
        found = field_days(cond.params["field"], span) | field_days(cond.params.get("if_missing_unless"), span)
        if isinstance(value, date):
            if "start" in cond.params:
                found.add(cond.params["start"].apply(value))
            if "end" in cond.params:
                found.add(cond.params["end"].apply(value) + DAY)
        return inside(found, span)

    def describe(self, cond: "Condition") -> str:
        p = cond.params
        return f"the date is within {_span(p.get('start'))} to {_span(p.get('end'))} of {p.get('field', '')}"


# (start, end) offsets -> Window.edges's (memo, work_out) for them: one per pair of offsets the rules name
_WINDOW_EDGES: dict[tuple[Offset | None, Offset | None], tuple[dict[Any, WindowEdges], Callable[[date], WindowEdges]]] = {}


class NotBefore(_FieldKind):
    """field >= other + offset, e.g. graduated no earlier than 36 months before accreditation."""

    name = "not_before"
    params = {"field": str, "other": str, "offset": Offset, "if_missing": str, "if_missing_unless": str}
    required = frozenset({"field", "other"})
    cost = 2

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        read, read_other = value_reader(cond.params["field"]), value_reader(cond.params["other"])
        name, other_name = record_attribute(cond.params["field"]), record_attribute(cond.params["other"])
        offset, missing = cond.params.get("offset", _NO_OFFSET), missing_outcome(cond)
        unless = unless_reader(cond)
        limits: dict[Any, Any] = {}

        def run(profile: Any, item: Any, day: date) -> Outcome:
            if name is not None and other_name is not None:  # two fields of the record, read in place
                if item is None:
                    return missing if unless is None or unless(profile, item, day) is None else OUT_UNKNOWN
                value, other = getattr(item, name, None), getattr(item, other_name, None)
            else:
                value, other = read(profile, item, day), read_other(profile, item, day)
            if value is None or other is None:
                return missing if unless is None or unless(profile, item, day) is None else OUT_UNKNOWN
            limit = limits.get(other)
            if limit is None:
                if len(limits) >= _MEMO_MAX:
                    limits.clear()
                limit = limits[other] = offset.apply(other)
            return OUT_PASS if value >= limit else OUT_FAIL

        return run

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        path, other_path = cond.params["field"], cond.params["other"]
        read, read_other = reader(path), reader(other_path)
        offset = cond.params.get("offset", _NO_OFFSET)
        decide = self.decide(cond, None)
        unless = unless_reader(cond)

        def run(ctx: Context) -> Check:
            profile, item, day = ctx.profile, ctx.item, ctx.as_of
            value, other = read(profile, item, day), read_other(profile, item, day)

            def seen() -> str:
                return f"{path} = {show(value)}, {other_path} = {show(other)}"

            if value is None or other is None:
                given = None if unless is None else unless(profile, item, day)
                return missing_check(cond, seen) if given is None else unassumed_check(cond, seen, given)
            return Check(decide(profile, item, day)[0], lambda: f"{seen()}; limit {offset.apply(other)}")

        return run

    def describe(self, cond: "Condition") -> str:
        p = cond.params
        return f"{p.get('field', '')} is no earlier than {p.get('other')}" + (
            f" {_span(p.get('offset'))}" if p.get("offset") else "")


# --- work ------------------------------------------------------------------------------------

class WorkYears(Kind):
    """At least `years` of full-time-equivalent work within the `within` years before as_of."""

    name = "work_years"
    params = {"years": (int, float), "within": (int, float), "roles": list, "supervised": bool,
              "max_instructor_years": (int, float), "current": bool, "part_time": str}
    required = frozenset({"years", "within"})
    sums_work = True
    cost = 5
    over_time = "work_sum"

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        # the status alone, asked straight (not through the measure's tuple and the answers it remembers
        # per work history: the decision is remembered a person at a time by compiled.py already)
        met = _work_years_measures(cond)[1]
        return lambda profile, item, day: OUT_PASS if met(profile.work, day) else OUT_FAIL

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        p = cond.params
        years, within, supervised = p["years"], p["within"], bool(p.get("supervised"))
        measure = work_measure(cond)
        no_work = Check(FAIL, "no work history given")

        def run(ctx: Context) -> Check:
            as_of = ctx.as_of
            status, total, notes, assumed, idle, first = measure(ctx.profile.work, as_of)
            if total is None and not idle:
                return no_work
            if idle:
                return Check(FAIL, lambda: years_counted_words(total or 0.0, within, as_of, notes, supervised)
                             + "; not working in the field now")
            return Check(status, lambda: years_counted_words(total, within, as_of, notes, supervised) + f"; needs {years:g}"
                         + (f"; years counted from {first}, its anniversaries" if first is not None else ""),
                         assumed=assumed)

        return run

    def words_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any]:
        # the measure the words are made of (remembered per work history: the words then ask it again)
        measure = work_measure(cond)
        return lambda profile, item, day: measure(profile.work, day)

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        """Work enters the look-back window as it is done and leaves it `within` years later."""
        p = cond.params
        roles = work_years_roles(p)[0]
        within = p["within"]
        months, extra = int(within) * 12, round((within - int(within)) * 365)
        edges = job_edges(span, roles)
        if not edges:  # no work in these roles: the sum stays 0, its answer cannot change
            return set()
        leaving = [add_months(e, months) + timedelta(days=extra) for e in edges]
        return solve(status_over(cond, span), span, edges + leaving)

    reachable = years_reachable

    def describe(self, cond: "Condition") -> str:
        p = cond.params
        return f"{p.get('years')} years of work within the last {p.get('within')} years"

    def may_assume(self, cond: "Condition") -> bool:
        return "supervised" in cond.params or super().may_assume(cond)


class WorkYearsInAll(Kind):
    """At least `years` of work in `roles` over the whole work history given, however long ago.

    For a source that states an amount of work but leaves open how far back it may lie ("two years of
    recent full-time work") or how part time counts: with `part_time: as_full_time` this is the most any
    reading can count, so a person short of it meets no reading, a plain no, where the route's own
    reading of the rest is a question (a low-confidence alternative) only for a person who clears it.
    """

    name = "work_years_in_all"
    params = {"years": (int, float), "roles": list, "part_time": str}
    required = frozenset({"years"})
    sums_work = True
    cost = 5
    over_time = "for_good"  # work done stays done: with no window the sum only grows

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        p = cond.params
        need, roles, part_time = p["years"] - 1e-9, roles_of(p), p.get("part_time")

        def run(profile: Any, item: Any, day: date) -> Outcome:
            work = profile.work
            return OUT_PASS if work and work_years_in_all(work, day, roles, part_time) >= need else OUT_FAIL

        return run

    def words(self, cond: "Condition", profile: Any, item: Any, day: date, status: str) -> Words:
        if not profile.work:
            return "no work history given", False
        p = cond.params
        roles, part_time = roles_of(p), p.get("part_time")
        total = work_years_in_all(profile.work, day, roles, part_time)
        return _in_all_words(p, total, part_time_note(profile.work, roles, part_time)), False

    def words_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any]:
        # the words are the sum's and whether a part-time job was counted as part_time says (or there is no work)
        p = cond.params
        roles, part_time = roles_of(p), p.get("part_time")
        return lambda profile, item, day: ((work_years_in_all(profile.work, day, roles, part_time),
                                            part_time_note(profile.work, roles, part_time))
                                           if profile.work else None)

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        # the sum only grows, at job edges' rates: one crossing at most
        edges = job_edges(span, roles_of(cond.params))
        if not edges:  # no work in these roles: the sum stays 0
            return set()
        return solve(status_over(cond, span), span, edges, piece_days=100_000)

    reachable = years_reachable

    def describe(self, cond: "Condition") -> str:
        p = cond.params
        counted = f", {PART_TIME[p['part_time']]}" if p.get("part_time") in PART_TIME else ""
        return (f"{p.get('years')} years of work" + (f" as {' or '.join(map(str, p['roles']))}" if p.get("roles") else "")
                + f" in all, however long ago{counted}")


def _in_all_words(p: dict[str, Any], total: float, note: str | None) -> str:
    return (f"{cut_years(total):.2f} years of full-time-equivalent work in all, however long ago"
            + (f" ({note})" if note else "") + f"; needs {p['years']:g}")


class WorkHoursAfter(Kind):
    """At least `hours` of work after the date in `field` (e.g. after completing a program)."""

    name = "work_hours_after"
    params = {"field": str, "hours": (int, float), "roles": list}
    required = frozenset({"field", "hours"})
    sums_work = True
    cost = 4
    over_time = "for_good"  # hours after a date only add up

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        read, need, roles = reader(cond.params["field"]), cond.params["hours"], roles_of(cond.params)

        def run(profile: Any, item: Any, day: date) -> Outcome:
            after = read(profile, item, day)
            if after is None:
                return OUT_FAIL
            return OUT_PASS if hours_worked_after(profile.work, after, day, roles) >= need else OUT_FAIL

        return run

    def words(self, cond: "Condition", profile: Any, item: Any, day: date, status: str) -> Words:
        path, need = cond.params["field"], cond.params["hours"]
        after = reader(path)(profile, item, day)
        if after is None:
            return f"{path} not given", False

        def seen() -> str:
            hours = hours_worked_after(profile.work, after, day, roles_of(cond.params))
            return f"about {hours:,.0f} hours worked after {after}; needs {need:g}"

        return seen, False

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        # hours only accumulate: one crossing at most, and the job edges are where the rate changes
        edges = job_edges(span, roles_of(cond.params))  # (none: the sum stays 0, only the field can move)
        return ((solve(status_over(cond, span), span, edges, piece_days=100_000) if edges else set())
                | field_days(cond.params["field"], span))

    reachable = hours_reachable

    def describe(self, cond: "Condition") -> str:
        return f"{cond.params.get('hours')} hours of work after {cond.params.get('field', '')}"


class WorkHoursWithin(Kind):
    """At least `hours` of work in `roles` within the span `within` before the as-of date (e.g. 1,000
    hours under an ophthalmologist's supervision in the last 12 months)."""

    name = "work_hours_within"
    params = {"hours": (int, float), "within": Offset, "roles": list, "supervised": bool}
    required = frozenset({"hours", "within"})
    sums_work = True
    cost = 4

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        measure = work_hours_within_measure(cond)
        outcomes = {PASS: OUT_PASS, FAIL: OUT_FAIL, UNKNOWN: OUT_UNKNOWN}
        return lambda profile, item, day: outcomes[measure(profile.work, day)[0]]

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        # the words need the very sum the decision makes: measured once, both read from it
        need = cond.params["hours"]
        measure = work_hours_within_measure(cond)
        worked = "of supervised work" if cond.params.get("supervised") else "worked"  # (an unsupervised job adds none)

        def run(ctx: Context) -> Check:
            status, hours, start, assumed, full = measure(ctx.profile.work, ctx.as_of)
            note = "; jobs without 'supervised' counted as supervised; confirm" if assumed else ""
            if status == UNKNOWN:
                note += (f"; only about {full:,.0f} of them at no more than full time a week "
                         f"(overlapping jobs or more than {FULL_TIME_HOURS:g} hours a week)")
            return Check(status, lambda: f"about {hours:,.0f} hours {worked} from {start} to {ctx.as_of - DAY}; "
                                         f"needs {need:g}{note}", assumed=assumed and status == PASS)

        return run

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        """Hours enter the look-back span as they are worked and leave it `within` later."""
        edges = job_edges(span, roles_of(cond.params))
        if not edges:  # no work in these roles: the sum stays 0, its answer cannot change
            return set()
        within = cond.params["within"]
        # the day a job edge leaves the window: the first day whose window starts after it
        return solve(status_over(cond, span), span, edges + [leaves(within, e) for e in edges])

    reachable = hours_reachable

    def describe(self, cond: "Condition") -> str:
        p = cond.params
        return (f"{p.get('hours')} hours of work" + (f" as {' or '.join(map(str, p['roles']))}" if p.get("roles") else "")
                + f" within the last {_span(p.get('within'))}")

    def may_assume(self, cond: "Condition") -> bool:
        return "supervised" in cond.params or super().may_assume(cond)


# --- credentials held, groups, and what the sources leave open ----------------------------

class Held(Kind):
    name = "held"
    params = {"credentials": list}
    required = frozenset({"credentials"})
    cost = 1
    over_time = "for_good"  # held stays held

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        wanted = cond.params["credentials"]

        def run(profile: Any, item: Any, day: date) -> Outcome:
            for h in profile.held:
                if h.credential in wanted:
                    return OUT_PASS
            return OUT_FAIL

        return run

    def words(self, cond: "Condition", profile: Any, item: Any, day: date, status: str) -> Words:
        held = sorted({h.credential for h in profile.held})  # the answer must not depend on list order
        return (lambda: f"held: {', '.join(held) or 'none'}"), False

    def words_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any]:
        return lambda profile, item, day: tuple(h.credential for h in profile.held)

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        return set()

    def describe(self, cond: "Condition") -> str:
        return f"has held {', '.join(map(str, cond.params.get('credentials', [])))}"


class Unsettled(Kind):
    """A condition the sources name but do not spell out: always a question for a person."""

    name = "unsettled"
    cost = 0

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        return lambda profile, item, day: OUT_UNKNOWN

    def words(self, cond: "Condition", profile: Any, item: Any, day: date, status: str) -> Words:
        return "the sources do not state this condition's details", False

    def words_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any]:
        return lambda profile, item, day: ()

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        return set()

    def describe(self, cond: "Condition") -> str:
        return "a condition the sources name without details (ask the certifying body)"


class AnyOf(Kind):
    """One of the alternatives holds. It holds only as surely as the surest alternative that holds."""

    name = "any_of"
    params = {"conditions": "conditions"}
    required = frozenset({"conditions"})
    cost = 3
    over_time = "alternatives"

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        own = SURENESS[cond.meta.confidence]
        alternatives = tuple((compile_condition(c, as_of), SURENESS[c.meta.confidence])
                             for c in cond.params["conditions"] if c.meta.in_force(as_of))
        settled = (PASS, None, None, own == 0)

        def run(profile: Any, item: Any, day: date) -> Outcome:
            status = FAIL
            opens = closes = None
            open_ended = False
            surest = -1  # the surest holding alternative (verdicts.confidence_of)
            for alternative, sureness in alternatives:
                a_status, a_opens, a_closes, _ = alternative(profile, item, day)
                if a_status == PASS:
                    status = PASS
                    if a_closes:
                        closes = a_closes if closes is None else max(closes, a_closes)
                    else:
                        open_ended = True
                        if sureness >= own:  # holds for good, as surely as the any_of can: the rest changes nothing
                            return settled
                    if sureness > surest:
                        surest = sureness
                elif a_status == UNKNOWN and status == FAIL:
                    status = UNKNOWN
                if a_opens and (opens is None or a_opens < opens):
                    opens = a_opens
            if status == PASS:
                return (PASS, None, None if open_ended else closes, min(own, surest) == 0)
            return (status, opens, None, False)

        return run

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        # the trace keeps every alternative in force (its words, sureness and `assumed` are read from them),
        # so it asks each (the decision stops at the first that settles it)
        alternatives = tuple((c, runner(c)) for c in cond.params["conditions"])
        last: list[Any] = [None, ()]  # the day last asked about and the alternatives in force on it

        def run(ctx: Context) -> Check:
            as_of = ctx.as_of
            if last[0] != as_of:
                last[:] = as_of, tuple((c, run_c) for c, run_c in alternatives if c.meta.in_force(as_of))
            subs = []
            status = FAIL
            opens = closes = None
            open_ended = False  # a holding alternative without a closing day: the any_of does not close either
            for c, run_alternative in last[1]:
                check = run_alternative(ctx)
                subs.append((c, check))
                if check.status == PASS:
                    status = PASS
                    if check.closes:
                        closes = check.closes if closes is None else max(closes, check.closes)
                    else:
                        open_ended = True
                elif check.status == UNKNOWN and status == FAIL:
                    status = UNKNOWN
                if check.opens and (opens is None or check.opens < opens):
                    opens = check.opens
            subs_ = tuple(subs)
            return Check(status, partial(_any_of_words, status, subs_),
                         opens=opens if status != PASS else None, closes=None if open_ended else closes,
                         subchecks=subs_)

        return run

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        return set().union(*(condition_days(c, span) for c in cond.params["conditions"]))

    def words_key(self, cond: "Condition") -> Callable[[Any, Any, date], Any] | None:
        # its words and sureness are its alternatives' (every one, in force on the day or not: a finer key)
        keys = tuple(words_key(c) for c in cond.params["conditions"])
        if None in keys:
            return None
        return lambda profile, item, day: tuple(key(profile, item, day) for key in keys)  # type: ignore[misc]

    def sureness_key(self, cond: "Condition", as_of: date) -> Callable[[Any, Any, date], Any]:
        # how sure it holds is read from which of its alternatives in force hold (each one's decision, which its
        # trace observes), not from what they looked at (a date, a work sum: values that rarely repeat)
        alternatives = tuple(compile_condition(c, as_of) for c in cond.params["conditions"] if c.meta.in_force(as_of))
        return lambda profile, item, day: tuple(alternative(profile, item, day)[0] for alternative in alternatives)

    def describe(self, cond: "Condition") -> str:
        return "any one of the following"

    group_words = "any one of:"

    def may_assume(self, cond: "Condition") -> bool:
        return super().may_assume(cond) or any(may_assume(c) for c in cond.params["conditions"])


ANY_OF_JOIN = "; and "  # between alternatives' words, which may hold "; " themselves ("...; needs 2")


def _any_of_words(status: str, subchecks: tuple[tuple["Condition", Check], ...]) -> str:
    """An any_of's words: what the passing alternatives saw when it holds (the others change nothing),
    else what every alternative saw. Alternatives often look at the same fact (two windows on one
    date), so each observation is said once, in rule-file order. A function of the alternatives'
    traced answers alone, as AnyOf.words_key requires."""
    seen = [check.observed for _, check in subchecks if status != PASS or check.status == PASS]
    return ANY_OF_JOIN.join(dict.fromkeys(seen))


class AnyProgram(Kind):
    """Some program in the profile meets every condition listed under `conditions`."""

    name = "any_program"
    params = {"conditions": "conditions"}
    required = frozenset({"conditions"})
    cost = 9  # (asks every condition of every program)

    def decide(self, cond: "Condition", as_of: date | None) -> Decide:
        each = tuple((c, compile_condition(c, as_of)) for c in cond.params["conditions"])

        def run(profile: Any, item: Any, day: date) -> Outcome:
            best = FAIL
            for program in profile.programs:
                statuses = [decide(profile, program, day)[0] for c, decide in each if c.in_force(day)]
                status = FAIL if FAIL in statuses else UNKNOWN if UNKNOWN in statuses else PASS
                if status == PASS:
                    return OUT_PASS
                if status == UNKNOWN:
                    best = UNKNOWN
            return OUT_UNKNOWN if best == UNKNOWN else OUT_FAIL

        return run

    def check(self, cond: "Condition") -> Callable[[Context], Check]:
        each = tuple((c, runner(c)) for c in cond.params["conditions"])

        def run(ctx: Context) -> Check:
            best = FAIL
            seen = []
            for program in ctx.profile.programs:
                sub_ctx = Context(ctx.profile, ctx.as_of, program)
                statuses = [run_each(sub_ctx).status for c, run_each in each if c.in_force(ctx.as_of)]
                status = FAIL if FAIL in statuses else UNKNOWN if UNKNOWN in statuses else PASS
                seen.append((program, status))
                if status == PASS:
                    best = PASS
                elif status == UNKNOWN and best == FAIL:
                    best = UNKNOWN
            return Check(best, lambda: "; ".join(f"{program.label()}: {status}" for program, status in seen)
                         or "no programs given")

        return run

    def candidates(self, cond: "Condition", span: Span) -> set[date]:
        return set().union(set(), *(condition_days(c, replace(span, item=program))
                                    for program in span.profile.programs for c in cond.params["conditions"]))

    def describe(self, cond: "Condition") -> str:
        return "some program meets all of the following"

    group_words = "for one program, all of:"

    def may_assume(self, cond: "Condition") -> bool:
        return super().may_assume(cond) or any(may_assume(c) for c in cond.params["conditions"])


def _span(offset: Offset | None) -> str:
    return offset.words() if offset else "any time"


KINDS: dict[str, Kind] = {k.name: k for k in (
    OneOf(), AtLeast(), AtMost(), Is(), Present(), Window(), NotBefore(), WorkYears(), WorkYearsInAll(), WorkHoursAfter(),
    WorkHoursWithin(), Held(), AnyOf(), AnyProgram(), Unsettled())}


# --- what the engine, the planner and batch call --------------------------------------------

def runner(cond: "Condition") -> Callable[[Context], Check]:
    """The condition's traced answer as a function of the context, made once per condition and kept
    on it (a pure function of a frozen object: never stale)."""
    run = cond.__dict__.get("_run")
    if run is None:
        run = cond.__dict__["_run"] = KINDS[cond.kind].check(cond)
    return run


def work_measure(cond: "Condition") -> Callable[..., tuple[Any, ...]]:
    """A `work_years` condition's measure (conditions.work_years_measure), made once per condition and
    kept on it, answering again from memory for the same work history and day: the decision, the
    trace's words and batch's `eligible_until` all ask it about the same person, often on the same day."""
    measure = cond.__dict__.get("_measure")
    if measure is None:
        measure = cond.__dict__["_measure"] = _remember_per_work(_work_years_measures(cond)[0])
    return measure


def _work_years_measures(cond: "Condition") -> tuple[Callable[..., tuple[Any, ...]], Callable[[Any, date], bool]]:
    """conditions.work_years_measures(cond), made once per condition and kept on it: the decision's
    status and work_measure's answers share the sums last worked out."""
    both = cond.__dict__.get("_measures")
    if both is None:
        both = cond.__dict__["_measures"] = work_years_measures(cond)
    found: tuple[Callable[..., tuple[Any, ...]], Callable[[Any, date], bool]] = both
    return found


def _remember_per_work(measure: Callable[..., tuple[Any, ...]]) -> Callable[..., tuple[Any, ...]]:
    """measure(work, day, words), remembered for the last work history asked about (by identity: a
    tuple of frozen records, which the reference held keeps from being reused), a few days at a time."""
    held: list[Any] = [None, {}]

    def remembered(work: Any, as_of: date, words: bool = True) -> tuple[Any, ...]:
        if type(work) is not tuple:  # (only an immutable history can be remembered by identity)
            return measure(work, as_of, words)
        if held[0] is not work:
            held[0], held[1] = work, {}
        answers: dict[tuple[date, bool], tuple[Any, ...]] = held[1]
        key = (as_of, words)
        out = answers.get(key)
        if out is None:
            if len(answers) >= 64:
                answers.clear()
            out = answers[key] = measure(work, as_of, words)
        return out

    return remembered


def compile_condition(cond: "Condition", as_of: date | None) -> Decide:
    """The condition's decision (profile, record, day) -> Outcome, for days on which the same rules
    are in force as on `as_of`."""
    return KINDS[cond.kind].decide(cond, as_of)


def condition_days(cond: "Condition", span: Span) -> set[date]:
    """The days in the span on which the condition's answer may change: its kind's, and the days its
    rule comes into force or stops."""
    meta = cond.meta
    days = KINDS[cond.kind].candidates(cond, span)
    if meta.effective is None and meta.until is None:  # (most conditions: in force on every day)
        return days
    return days | inside([meta.effective, meta.until + DAY if meta.until else None], span)


def describe(cond: "Condition") -> str:
    """A condition in words: its own `says:` if it has one, else its kind's sentence."""
    return cond.meta.says or KINDS[cond.kind].describe(cond)


def is_group(cond: "Condition") -> bool:
    """Whether the condition holds conditions of its own (any_of, any_program): only a group's traced
    answer carries sub-answers (Check.subchecks), which can make it less sure than its rule."""
    return "conditions" in KINDS[cond.kind].params


def may_assume(cond: "Condition") -> bool:
    return KINDS[cond.kind].may_assume(cond)


# what Kind.reads names for the days of the work periods (a kind that adds up work reads them all)
WORK_DATES = "work.dates"


def reads(cond: "Condition") -> frozenset[str]:
    """The profile fields a condition's answer can depend on (Kind.reads), on any day."""
    return KINDS[cond.kind].reads(cond)


def credential_reads(cred: Any) -> frozenset[str]:
    """The profile fields any condition of the credential reads, in force on some day or not: a fact
    outside them cannot change its answer. Kept on the credential (a pure function of a frozen object)."""
    found: frozenset[str] | None = cred.__dict__.get("_reads")
    if found is None:
        conditions = [*cred.requires, *(c for route in cred.routes for c in route.conditions)]
        found = cred.__dict__["_reads"] = frozenset().union(*(reads(c) for c in conditions))
    return found


def comes_by_waiting(cond: "Condition", profile: Any, day: date, until: date, item: Any = None) -> bool:
    """Whether a condition that does not hold on `day` can still come to hold for this person (and the
    record looked at) by waiting alone, by `until`: a work sum while work in its roles goes on;
    any other kind when it holds on one of its own change days (holds_from: a window not open yet, a
    birthday, a diploma date, an alternative of a group that does). With all the sum's work done by `day`,
    a sum only stays or falls as time passes, so waiting does not bring it, nor when the work still to
    come cannot bring the amount asked even counted at its most (Kind.reachable)."""
    kind = KINDS[cond.kind]
    if not kind.sums_work:
        return holds_from(cond, profile, day, until, item) is not None
    roles = work_years_roles(cond.params)[0]
    ends = [job.end for job in profile.work if job.role in roles]
    if None in ends:
        return True  # work going on for good: a sum that grows
    last = max(ends, default=None)
    if last is None or last < day:
        return False
    return kind.reachable(cond, profile.work, last + timedelta(days=1))


def holds_from(cond: "Condition", profile: Any, day: date, until: date, item: Any = None) -> date | None:
    """The first day after `day` (to `until`) on which the condition holds for this person and record as
    they are (only time passing), from the days its kind says its answer can change (condition_days);
    None if there is none (a closed window, a fact not given, a program of another field)."""
    span = Span(profile, day, until, item)
    status = status_over(cond, span)
    return next((d for d in sorted(condition_days(cond, span)) if status(d) == PASS), None)


def words_key(cond: "Condition") -> Callable[[Any, Any, date], Any] | None:
    """The condition's words key (Kind.words_key), made once per condition and kept on it, as runner() is."""
    if "_words_key" not in cond.__dict__:
        cond.__dict__["_words_key"] = KINDS[cond.kind].words_key(cond)
    key: Callable[[Any, Any, date], Any] | None = cond.__dict__["_words_key"]
    return key


def assumed_key(cond: "Condition") -> Callable[[Any, Any, date], Any] | None:
    """The condition's key for `assumed` (Kind.assumed_key), made once per condition and kept on it."""
    if "_assumed_key" not in cond.__dict__:
        cond.__dict__["_assumed_key"] = KINDS[cond.kind].assumed_key(cond)
    key: Callable[[Any, Any, date], Any] | None = cond.__dict__["_assumed_key"]
    return key


def sureness_key(cond: "Condition", as_of: date) -> Callable[[Any, Any, date], Any] | None:
    """The condition's key for how sure it holds on as_of (Kind.sureness_key)."""
    return KINDS[cond.kind].sureness_key(cond, as_of)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def question(cond: "Condition") -> tuple[str, str]:
    """What a condition asks, as a key: conditions with equal keys always give the same answer.

    The parameters' repr holds the whole of any conditions nested in them (an any_of's
    alternatives, with their dates in force and confidence), so equal keys mean equal checks.
    Made once per condition and kept on it, as runner() is (a pure function of a frozen object).
    """
    key = cond.__dict__.get("_question")
    if key is None:
        key = cond.__dict__["_question"] = (cond.kind, repr(sorted(cond.params.items())))
    return key


def low_holding(cond: "Condition", check: Check) -> bool:
    """A holding group (any_of) only as sure as a low-confidence alternative."""
    return bool(check.subchecks) and check.status == PASS and confidence_of(cond, check)[0] == "low"
