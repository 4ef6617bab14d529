"""Dates given only to the month: an answer that holds on every day they can mean, or review.

A profile holds a month-only date as the month's first day (what every check reads), and notes it
(Profile.vague: where it was read, its text, its last day). The first day is not always the safe
reading: a window that opens, an age or a span of work that must be reached, may hold on the first
day of the month and not on the last. So the answer is worked out on each reading: the first-day
reading and, for each month-only date, its last day too (every combination, up to MAX_DATES dates).
A date is read only for a credential whose conditions read it (kinds.credential_reads), and only on the
days it can mean on the as-of date (`days`: a completion or a birth not after it, an expected completion
not before it). If every reading gives the same status, that is the answer, with the dates on
the safe side (the earliest deadline, the latest day it opens); if not, the answer is review, saying
which date it turns on and the answers on its first and last day, as `renew` does for a
certification date known only to the month (renewal.py).

Every eligibility answer goes through `settle` (engine.Prepared.decide for the traced and the
decision-only answers, batch.py for a roster's rows, the plan's answer for today): the decision
function itself is never restated here. Pure, like the engine. A profile given to the day (no
`vague` entries) never comes here.
"""

from __future__ import annotations

from datetime import date
from itertools import product
from typing import Any, Callable, Collection, Generic, TypeVar

from ma_cli.base.errors import Fields
from ma_cli.base.frozen import record, replace
from ma_cli.inputs.profile import AGE_GIVEN, FIELD_OF_KEY, Profile, Vague
from ma_cli.language.kinds import WORK_DATES
from ma_cli.language.verdicts import ELIGIBLE, NOT_ELIGIBLE, REVIEW, opens_words

A = TypeVar("A")
D = TypeVar("D")  # an engine.Decision

# 4 month-only dates (that the credential reads, each meaning more than one day) are 16 readings; a
# profile with more (which nobody gives) is review outright. An age's span of birthdays is not one of
# them (_counted): a plan reads it on top, at most 32 readings
MAX_DATES = 4

# the dates that cannot be after the as-of date (profile.check_dates refuses them): their last
# reading is the as-of date at the latest
_PAST_ONLY = {"birth_date", "completed", "since"}
# the dates that cannot be before it: an expected completion is one that has not happened yet (one that
# has is given as `completed`). A month holding the as-of date is read from the as-of date on; a month
# wholly past stays as given (the rules answer a student whose expected date has passed)
_FUTURE_ONLY = {"expected"}

_WHAT = {"birth_date": "birth", "high_school": "high school graduation", "completed": "completion",
         "expected": "expected graduation", "accredited_since": "program accreditation", "from": "start of work",
         "to": "end of work", "since": "certification"}
_WHAT_MILITARY = {"completed": "completion of military training", "expected": "expected end of military training"}
_STATUS_WORDS = {ELIGIBLE: "eligible", NOT_ELIGIBLE: "not eligible", REVIEW: "review"}


@record
class Settled(Generic[A]):
    """What the readings give: the answer shown (`answers[shown]`, worded for the reading
    `people[shown]`), the status and dates on the safe side, and, when they split, why (review)."""

    people: tuple[Profile, ...]
    answers: tuple[A, ...]
    shown: int
    status: str
    route: Any  # the route every reading chose; when they agree on the status only, the first-day reading's
    deadline: date | None
    opens: date | None
    split: str | None = None
    # the readings agree on the status but not the route: (the dates, which the first reading of another
    # route reads at their last day, its place in `answers`), for the caller to word (route_turns_on)
    route_turn: tuple | None = None
    # every reading opens a route later, not all on one day: (the dates, which the reading opening last reads
    # at their last day, the first-day reading's opening day), for the caller to word (opens_turn_on)
    opens_turn: tuple | None = None




def _at_path(profile: Profile, path: tuple) -> Any:
    """The value a Vague's path names in the profile (None when the profile has no such entry)."""
    if len(path) == 1:
        return getattr(profile, path[0], None)
    if len(path) == 2:  # a mapping keyed by credential (last_attempt.ccma)
        return getattr(profile, path[0], {}).get(path[1])
    group, i, key = path
    entries = getattr(profile, group, ())
    if not isinstance(i, int) or i >= len(entries):
        return None
    entry = entries[i]
    return getattr(entry, FIELD_OF_KEY.get(key, key), None)


def _with_day(profile: Profile, path: tuple, day: date) -> Profile:
    if len(path) == 1:
        return replace(profile, **{path[0]: day})
    if len(path) == 2:
        return replace(profile, **{path[0]: {**getattr(profile, path[0]), path[1]: day}})
    group, i, key = path
    entries = list(getattr(profile, group))
    entries[i] = replace(entries[i], **{FIELD_OF_KEY.get(key, key): day})
    return replace(profile, **{group: tuple(entries)})


# the rule fields (conditions.FIELDS, kinds.WORK_DATES) through which a date at a place in the profile
# is read: a month-only date none of a credential's conditions reads (kinds.credential_reads) cannot
# change its answer. An expected completion is read as the completion too: the plan completes it on its day
_READ_AS = {"birth_date": ("age",), "high_school": ("high_school", "high_school_expected"),
            "completed": ("completed", "expected", "end"), "expected": ("completed", "expected", "end"),
            "accredited_since": ("accredited_since",), "from": (WORK_DATES,), "to": (WORK_DATES,)}
_RECORD = {"programs": "program", "military": "military"}


def _read(path: tuple, reads: Collection[str] | None) -> bool:
    """Whether a condition reading the fields `reads` (None: any) reads the date at `path`."""
    if path[0] == "last_attempt":  # (keyed by credential: last_attempt.ccma)
        return reads is None or f"last_attempt.{path[-1]}" in reads
    names = _READ_AS.get(path[-1])
    if reads is None or names is None:
        return True  # (a place this table does not know: read, to be safe)
    if len(path) == 3 and path[0] in _RECORD:
        names = tuple(f"{_RECORD[path[0]]}.{name}" for name in names)
    return any(name in reads for name in names)


def days(v: Vague, as_of: date) -> tuple[date, date]:
    """The first and last day a month-only date can mean on the as-of date: a past-only date's last day
    cut to the as-of date, an expected date's first day raised to it (when its month holds it)."""
    key, first, last = v.path[-1], v.first, v.last
    if key in _PAST_ONLY or v.path[0] == "last_attempt":
        last = min(last, as_of)
    elif key in _FUTURE_ONLY and last >= as_of:
        first = max(first, as_of)
    return first, last


def from_as_of(profile: Profile, as_of: date) -> Profile:
    """The profile with each expected completion given only to the month that holds the as-of date held
    at its first day not before it (`days`), and noted so: the person of the first reading, as the
    planner sees them from the as-of date on (planner.profile_on)."""
    vague = list(profile.vague)
    person = profile
    for i, v in enumerate(vague):
        if v.path[-1] not in _FUTURE_ONLY or _at_path(profile, v.path) != v.first:
            continue
        first = days(v, as_of)[0]
        if first != v.first:
            person, vague[i] = _with_day(person, v.path, first), replace(v, first=first)
    return person if person is profile else replace(person, vague=tuple(vague))


def live(profile: Profile, as_of: date, reads: Collection[str] | None = None) -> tuple[Vague, ...]:
    """The month-only dates that matter for this answer, with the days they can mean (`days`): those the
    profile still holds as read (a what-if or a plan's later day may have replaced one), read by the
    credential (`reads`: kinds.credential_reads; None: any), that mean more than one day or a day other
    than the first the profile holds (an expected month whose last day is the as-of date)."""
    found = []
    for v in profile.vague:
        if _at_path(profile, v.path) != v.first or not _read(v.path, reads):
            continue
        first, last = days(v, as_of)
        if last > first or first != v.first:
            found.append(v if (first, last) == (v.first, v.last) else replace(v, first=first, last=last))
    return tuple(found)


def _spread(dates: tuple[Vague, ...]) -> tuple[Vague, ...]:
    """The dates that mean more than one day: each doubles the readings."""
    return tuple(v for v in dates if v.last != v.first)


def _counted(dates: tuple[Vague, ...]) -> tuple[Vague, ...]:
    """The dates that mean more than one day that MAX_DATES counts: not an age read as a span of birthdays
    (planner.age_as_birth_span). That span never changes the answer on the day it is made for (every birth
    in it gives the age given on that day, as `eligible` reads it), so it must not make today's answer a
    review `eligible` does not give; a plan reads it on top of the month-only dates (one span: twice the
    readings) for the days after."""
    return tuple(v for v in _spread(dates) if v.at.source is not AGE_GIVEN)


def too_many(dates: tuple[Vague, ...]) -> bool:
    """More dates given only to the month than are read each way (MAX_DATES): review outright."""
    return len(_counted(dates)) > MAX_DATES


def _readings(profile: Profile, dates: tuple[Vague, ...]) -> list[tuple[Profile, tuple[bool, ...]]]:
    """Each combination of first and last days (the first-day reading first), with which dates are read
    at their last day; a reading in which a job ends before it starts is left out."""
    out = []
    plain = replace(profile, vague=())  # each reading is a profile given to the day: nothing reads it again
    ways = [(False,) if v.last == v.first else (False, True) for v in dates]
    for lasts in sorted(product(*ways), key=sum):
        person = plain
        for v, late in zip(dates, lasts):
            day = v.last if late else v.first
            if _at_path(person, v.path) != day:  # (a first day other than the one the profile holds too)
                person = _with_day(person, v.path, day)
        if any(w.end is not None and w.end < w.start for w in person.work):
            continue
        out.append((person, lasts))
    return out


def _first_days(profile: Profile, dates: tuple[Vague, ...]) -> Profile:
    """The profile given to the day with each date at its first day (the words of a review outright)."""
    person = replace(profile, vague=())
    for v in dates:
        person = _with_day(person, v.path, v.first)
    return person


def settle(profile: Profile, as_of: date, answer: Callable[[Profile], A],
           parts: Callable[[A], tuple[str, Any, date | None, date | None]],
           reads: Collection[str] | None = None) -> Settled[A] | None:
    """The answer over the readings of the profile's month-only dates, or None when it has none that
    matter (the caller answers as for any profile). `answer` is the decision for one reading; `parts`
    its (status, route, deadline, opens); `reads` the fields the credential reads (`live`)."""
    dates = live(profile, as_of, reads)
    if not dates:
        return None
    if too_many(dates):
        first = answer(_first_days(profile, dates))
        spread = _counted(dates)
        given = ", ".join(f"{_what(v)} ({v.text})" for v in spread)
        why = (f"{len(spread)} dates are given only to the month ({given}); the answer may turn on their days: "
               f"give the dates to the day")
        return Settled((profile,), (first,), 0, REVIEW, None, None, None, why)
    readings = _readings(profile, dates)
    answers = tuple(answer(person) for person, _ in readings)
    got = [parts(a) for a in answers]
    statuses = [g[0] for g in got]
    routes = {_route_id(g[1]) for g in got}
    deadlines = [g[2] for g in got if g[2] is not None]
    deadline = min(deadlines) if deadlines else None
    people = tuple(person for person, _ in readings)
    if len(set(statuses)) == 1:
        status = statuses[0]
        opened = [g[3] for g in got]
        # the latest day it opens, if it opens in every reading; the words of the reading it opens latest in
        opens = max(opened) if all(opened) else None  # type: ignore[type-var]
        shown = opened.index(opens) if opens is not None else 0
        turn = None
        if len(routes) > 1:
            other = next(i for i, g in enumerate(got) if _route_id(g[1]) != _route_id(got[0][1]))
            turn = (dates, readings[other][1], other)
            if len(deadlines) < len(got):
                # another route on another day, one of them not closing (CMA's Category 1 on the month's last
                # day, Category 2 on its first): no date to apply by, and the earliest was another route's
                deadline = None
        # a "no" whose first-day reading opens a route first (a window after an expected month, say) or alone
        # (a birthday late in the month comes after the window closes): the day said is the latest, or none,
        # and the words say what the readings give in between (review, as plan says)
        opened_turn = None
        if status == NOT_ELIGIBLE and opened[0] is not None and (opens is None or opened[0] < opens):
            later = shown if opens is not None else opened.index(None)
            opened_turn = (dates, readings[later][1], opened[0])
        return Settled(people, answers, shown, status, got[0][1], deadline, opens, None, turn, opened_turn)
    turn = next(i for i, s in enumerate(statuses) if s != statuses[0])
    route = got[0][1] if len(routes) == 1 else None
    why = turns_on(dates, readings[turn][1], statuses[0], statuses[turn])
    return Settled(people, answers, 0, REVIEW, route, deadline if route is not None else None, None, why)


def _route_id(route: Any) -> Any:
    return getattr(route, "id", route)


def _what(v: Vague) -> str:
    """The date's meaning and its place: a flag or a roster's column as the input names it; in a profile
    file (or mapping) its path alone (the answer is that file's, and the API's equals the CLI's)."""
    if v.at.source is AGE_GIVEN:  # (an age read as a span of birthdays: planner.age_as_birth_span)
        return "birth (from the age given)"  # ("the day of birth ...": a birth date, not a birthday)
    where = Fields("").place(v.path).lstrip(".") if isinstance(v.at.source, Fields) else str(v.at)
    key = v.path[-1]
    what = (_WHAT_MILITARY.get(key) if v.path[0] == "military"  # (training ends; nobody graduates)
            else "the last failed attempt" if v.path[0] == "last_attempt" else None)
    return f"{what or _WHAT.get(key, key)} ({where})"

def turns_on(dates: tuple[Vague, ...], lasts: tuple[bool, ...], early: str, late: str) -> str:
    """Why the readings split: the dates whose last day changes the answer, and the answer each way."""
    return _turns("answer", dates, lasts, _STATUS_WORDS[early], _STATUS_WORDS[late])


def opens_turn_on(dates: tuple[Vague, ...], lasts: tuple[bool, ...], early: date, late: date | None) -> str:
    """Why readings that agree on `not_eligible` give different days a route opens: the dates, and the day
    each way (the answer's `earliest` is the later one, or none when a reading never opens a route; from
    the first, some readings are open)."""
    if late is None:
        return (_turns("day a route opens", dates, lasts, str(early), "no day")
                + f" (from {early}, the answer is review while the readings differ)")
    return _turns("day a route opens", dates, lasts, str(early), str(late)) + " (in between, the answer is review)"


def route_turns_on(dates: tuple[Vague, ...], lasts: tuple[bool, ...], early: str, late: str) -> str:
    """Why readings that agree on the answer name different routes: the dates, and the route each way."""
    return _turns("route", dates, lasts, f"by {early}", f"by {late}")


def _turns(what: str, dates: tuple[Vague, ...], lasts: tuple[bool, ...], early: str, late: str) -> str:
    moved = [v for v, last in zip(dates, lasts) if last]
    # the two readings compared read the other month-only dates on their first day: said, since the
    # answer each way holds with those days (on their other days it may not)
    kept = [v for v, last in zip(dates, lasts) if not last and v.first != v.last]
    held = (f" (with {' and '.join(f'{_what(v)} on {v.first}' for v in kept)})" if kept else "")
    whole = "; give the dates to the day" if kept or len(moved) > 1 else "; give the date to the day"
    if len(moved) == 1:
        v = moved[0]
        return (f"the {what} turns on the day of {_what(v)}, given only as {v.text}: "
                f"{early} if it is {v.first}, {late} if it is {v.last}{held}{whole}")
    return (f"the {what} turns on the days of {' and '.join(_what(v) for v in moved)}, given only as "
            f"{' and '.join(v.text for v in moved)}: {early} if they are "
            f"{' and '.join(str(v.first) for v in moved)}, {late} if they are "
            f"{' and '.join(str(v.last) for v in moved)}{held}{whole}")

def each(profile: Profile, as_of: date, reads: Collection[str] | None = None
         ) -> tuple[tuple[Vague, ...], list[tuple[Profile, tuple[bool, ...]]]]:
    """The month-only dates that matter (live) and the readings of them (the first-day reading first),
    each a profile given to the day, with which dates it reads at their last day: for an answer over
    time (the plan), worked out per reading by the caller. At most MAX_DATES dates given only to the month
    (settle says review beyond), and an age's span of birthdays (_counted)."""
    dates = live(profile, as_of, reads)
    if too_many(dates):
        beyond = _counted(dates)[MAX_DATES:]
        dates = tuple(v for v in dates if not any(v is b for b in beyond))
    return dates, _readings(profile, dates)


def earliest(profile: Profile, as_of: date, day: Callable[[Profile], date | None],
             reads: Collection[str] | None = None) -> date | None:
    """The earliest of `day` over the readings (a reading giving None has none to add): the safe last
    day of an answer every reading agrees on."""
    known = [d for d in (day(person) for person, _ in each(profile, as_of, reads)[1]) if d is not None]
    return min(known) if known else None


# --- the answers' own shapes ----------------------------------------------------------------

def decision_parts(d: Any) -> tuple[str, Any, date | None, date | None]:
    """(status, route, deadline, opens) of an engine.Decision."""
    return d.status, d.route, d.deadline, d.opens


def answer_parts(a: tuple[Any, ...]) -> tuple[str, Any, date | None, date | None]:
    """(status, route, deadline, opens) of a compiled answer: the answer itself."""
    return a[0], a[1], a[2], a[3]


def decision(profile: Profile, as_of: date, decide: Callable[[Profile], D], reads: Collection[str] | None = None) -> D:
    """An engine.Decision (traced or not) over the readings: `decide` is the decision for one reading."""
    found = settle(profile, as_of, decide, decision_parts, reads)
    if found is None:
        return decide(profile)
    d: Any = found.answers[found.shown]
    if found.split is None:
        if found.route_turn is not None and d.reasons:
            # the same answer by another route on another day of the month: the route (and a deadline that
            # may be the other route's) is said to turn on the date, beside the route line, not passed over
            dates, lasts, other = found.route_turn
            why = route_turns_on(dates, lasts, found.answers[0].route_name or "no route",
                                 found.answers[other].route_name or "no route")
            d = replace(d, reasons=(*d.reasons[:1], why, *d.reasons[1:]))
        if found.opens_turn is not None and d.reasons:
            dates, lasts, early = found.opens_turn
            # (the reading shown opens alone: its "a route opens on" is not the answer's)
            kept = [r for r in d.reasons if found.opens is not None or r != opens_words(d.opens)]
            d = replace(d, reasons=(*kept[:1], opens_turn_on(dates, lasts, early, found.opens), *kept[1:]))
        if d.deadline == found.deadline and d.opens == found.opens:
            return d
        return replace(d, deadline=found.deadline, opens=found.opens)
    return as_review(d, found.split, found.route is not None, found.deadline)


def as_review(d: D, why: str, same_route: bool, deadline: date | None = None) -> D:
    """The engine.Decision `d` (one reading's) as the review the readings' split makes of it: `why` its
    reason; its route kept when every reading chose it (with the safe-side `deadline`)."""
    reasons = (why,) if d.reasons else ()  # type: ignore[attr-defined]  # (a decision without its trace has no words)
    if not same_route:
        return replace(d, status=REVIEW, route=None, route_name=None, reasons=reasons, deadline=None,
                       opens=None, deadline_says="apply by")
    return replace(d, status=REVIEW, reasons=reasons, deadline=deadline, opens=None)


def answer(profile: Profile, as_of: date, decide: Callable[[Profile], tuple[Any, ...]],
           reads: Collection[str] | None = None) -> tuple[Any, ...]:
    """A compiled answer (status, route or None, deadline, opens) over the readings."""
    found = settle(profile, as_of, decide, answer_parts, reads)
    if found is None:
        return decide(profile)
    return _merged(found)


def _merged(found: Any) -> tuple[Any, ...]:
    """The compiled answer the readings settle on: a review from their split opens on no day (as_review)."""
    return (found.status, found.route, found.deadline, found.opens if found.split is None else None)


def row_answer(profile: Profile, as_of: date, decide: Callable[[Profile], tuple[Any, ...]],
               last_day: Callable[[Profile, tuple[Any, ...]], date | None],
               why: Callable[[Profile, tuple[Any, ...]], str | None], reads: Collection[str] | None = None
               ) -> tuple[tuple[Any, ...], date | None, str | None]:
    """A roster row's (answer, eligible until, why line) over the readings (batch.py): an eligible answer
    lasts until the earliest last day of any reading; a review from a split says why; another answer
    is worded from the reading whose dates it shows."""
    found = settle(profile, as_of, decide, answer_parts, reads)
    if found is None:
        decided = decide(profile)
        if decided[0] == ELIGIBLE:
            return decided, last_day(profile, decided), None
        return decided, None, why(profile, decided)
    merged = _merged(found)
    if found.split is not None:
        return merged, None, found.split
    if found.status == ELIGIBLE:
        days = [last_day(p, a) for p, a in zip(found.people, found.answers)]
        known = [d for d in days if d is not None]
        return merged, min(known) if known else None, None
    return merged, None, why(found.people[found.shown], found.answers[found.shown])
