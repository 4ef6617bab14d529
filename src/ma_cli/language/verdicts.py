"""The verdicts, defined once: how conditions' outcomes make a route's answer, how routes are ranked
and which is reported. The traced engine (engine.py) and the decision-only path (compiled.py) both
judge with these, so the two cannot drift apart.

- A condition's outcome does one of three things to a route (its *issue*): nothing (FINE), makes it
  a review (SOFT: a fact not given, a low-confidence rule, or a failure of one) or rules it out (HARD:
  a failure of a high- or medium-confidence rule).
- What makes a route a review ranks reviews (its *doubt*): every condition holds and only the sources
  are in doubt (HOLDS), before a fact the profile does not give (UNKNOWN_FACT), before a failure of a
  low-confidence rule (FAILS_LOW). A route whose conditions hold is never passed over for one that
  fails a rule.
- The credential's answer is the chosen route's: an eligible one, else a review; among equals the one
  with the least doubt, then the one that stays open longest, then the first in rule-file order.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from ma_cli.language.conditions import FAIL, PASS, UNKNOWN

ELIGIBLE, NOT_ELIGIBLE, REVIEW = "eligible", "not_eligible", "review"
RANK = {ELIGIBLE: 0, REVIEW: 1, NOT_ELIGIBLE: 2}

SURENESS = {"low": 0, "med": 1, "high": 2}
FINE, SOFT, HARD = 0, 1, 2  # a condition's issue: nothing, a review, the route ruled out
HOLDS, UNKNOWN_FACT, FAILS_LOW = 0, 1, 2  # a review's doubt, least first


def confidence_of(cond: Any, check: Any) -> tuple[str, str | None]:
    """How sure a condition's outcome is (and the note that says why not): a holding any_of is only
    as sure as its surest holding alternative, and its note then names that alternative ("Three or more
    failed attempts, the limit reached ...: <its note>"): the any_of's own words say only what it
    checks, not which reading it holds by. So is one of its own confidence without a note of its own,
    when that alternative has one (two low readings: the note says which one holds)."""
    confidence, note = cond.meta.confidence, cond.meta.note
    if check.subchecks and check.status == PASS:
        passing = [c for c, ch in check.subchecks if ch.status == PASS]
        surest = max(passing, key=lambda c: SURENESS[c.meta.confidence]) if passing else None
        if surest is not None and (SURENESS[surest.meta.confidence] < SURENESS[confidence] or (
                note is None and surest.meta.note and surest.meta.confidence == confidence)):
            said = surest.meta.says or surest.id
            confidence, note = surest.meta.confidence, f"{said}: {surest.meta.note}" if surest.meta.note else said
    return confidence, note


def low_source_words(says: str, note: str | None, assumed_seen: str | None = None) -> str:
    """A review's line for a condition that holds only as surely as a low-confidence source (the note says
    why): not "met", since what holds may be a limit reached (an any_of's low reading). One that holds on an
    assumed fact says what it saw (its "assumed; confirm"), as an eligible answer's `assumed:` line does."""
    seen = f" ({assumed_seen})" if assumed_seen else ""
    return f"{says}{seen}: rests on a low-confidence source ({note or 'verify before relying on it'})"


def opens_words(day: Any) -> str:
    """A "no" answer's last reason when a route opens later by its dates (it may open as a review)."""
    return f"a route opens on {day} if nothing else changes"


def opens_in_time(opens: Any, closes: Any) -> Any:
    """The day a route not open yet opens (the last of its windows and requirements to open), or None when a
    condition of the route that holds now closes before then: its dates alone never open it (a retest wait
    ending after the training window has closed)."""
    return None if opens is not None and closes is not None and opens > closes else opens


def issue(status: str, confidence: str) -> int:
    """What a condition's outcome (of a rule this sure) does to its route."""
    if status == FAIL:
        return SOFT if confidence == "low" else HARD
    return SOFT if status == UNKNOWN or confidence == "low" else FINE


def doubt(results: Iterable[Any]) -> int:
    """The worst of a route's condition results (requirements included) as a review ranks it."""
    worst = HOLDS
    for r in results:
        if r.status == FAIL:
            return FAILS_LOW  # (a review route: any failure is a low-confidence one)
        if r.status == UNKNOWN:
            worst = UNKNOWN_FACT
    return worst


def route_status(route: Any, worst_issue: int) -> str:
    """A route's answer from the worst issue among its conditions (requirements included)."""
    if worst_issue == HARD:
        return NOT_ELIGIBLE
    if worst_issue == SOFT or route.review or route.meta.confidence == "low":
        return REVIEW
    return ELIGIBLE


def route_key(status: str, fails: int, deadline: date | None, opens: date | None, doubt: int = 0) -> tuple[Any, ...]:
    """How good one record's answer for a route is (smaller is better): an eligible route, then a
    review (least doubt first), each staying open longest first; a miss by its fewest failed
    conditions, then the one that opens soonest."""
    if status == NOT_ELIGIBLE:
        return (RANK[status], fails, opens is None, opens or date.max)
    return (RANK[status], doubt, False, date.max - (deadline or date.max))


def choice_key(deadline: date | None, doubt: int) -> tuple[int, Any]:
    """Among routes of one status: least doubt, then the latest deadline (none counts as the latest)."""
    return (doubt, date.max - (deadline or date.max))


def chosen(outcomes: list[tuple[str, date | None, int]]) -> int | None:
    """Which route to report, from (status, deadline, doubt) per route in rule-file order: an eligible
    one, else a review, by choice_key, the first such; None when no route is eligible or a review."""
    for wanted in (ELIGIBLE, REVIEW):
        index = None
        for i, (status, deadline, route_doubt) in enumerate(outcomes):
            if status != wanted:
                continue
            if index is None or choice_key(deadline, route_doubt) < choice_key(*outcomes[index][1:]):
                index = i
        if index is not None:
            return index
    return None


def label_of(item: Any) -> str:
    """The words for the record a route looked at ('' for a route about the person)."""
    return item.label() if item is not None else ""


_PLACES = {"program": 1, "military": 2}


def record_place(route: Any) -> int:
    """Which of a person's records a route looks at, as a place: 0 the person alone, 1 the programs, 2 the
    military records (records() by index: the decision and `why` keep a row's records in that order)."""
    return _PLACES.get(route.over, 0)


def records(route: Any, profile: Any) -> tuple[Any, ...]:
    """The records a route looks at: the programs, the military records, or the person alone (None)."""
    place = record_place(route)
    found: tuple[Any, ...] = (None,) if place == 0 else profile.programs if place == 1 else profile.military
    return found
