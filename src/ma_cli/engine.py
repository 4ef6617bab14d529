"""The eligibility engine: profile + rule set + as-of date -> one Decision per credential.

Pure: no printing, no files, no CLI. Every answer carries its trace (each route, each
condition, the fact looked at, the source that says so).

How an answer is reached:
- a route holds if every condition in force holds; a route `over: program` holds if some
  program in the profile meets all of its conditions (likewise military);
- a failed condition of high or medium confidence rules the route out; a failed condition
  of low confidence, a fact the profile lacks, a low-confidence route or a route marked
  `review` make the route a `review`, never a confident yes or no;
- the credential is `eligible` if any route is, else `review` if any route is, else
  `not_eligible`. Conditions under `requires` apply to every route;
- an `any_of` that holds is only as sure as the strongest alternative that holds: if only
  low-confidence alternatives hold (say, a rule only an older page version states), it counts
  as low confidence; one that fails is judged by its own confidence;
- a fact the profile lacks that a rule assumes (`if_missing: pass`) passes, and the answer
  lists it as "assumed" so the person can confirm it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ma_cli.conditions import FAIL, PASS, UNKNOWN, Check, Context
from ma_cli.frozen import quick_init
from ma_cli.profile import Profile
from ma_cli.rules import Condition, Credential, Route

ELIGIBLE, NOT_ELIGIBLE, REVIEW = "eligible", "not_eligible", "review"
_RANK = {ELIGIBLE: 0, REVIEW: 1, NOT_ELIGIBLE: 2}


@quick_init  # many are made per roster row: see frozen.py
@dataclass(frozen=True)
class ConditionResult:
    id: str
    says: str
    status: str  # pass | fail | unknown
    observed: str
    confidence: str
    source: str | None  # URL
    quote: str | None
    note: str | None = None
    assumed: bool = False  # passed on an assumed fact (if_missing: pass)


@quick_init
@dataclass(frozen=True)
class RouteResult:
    id: str
    name: str
    status: str  # eligible | not_eligible | review | not_in_force
    conditions: tuple[ConditionResult, ...]
    looked_at: str | None  # which program or military record decided the route
    reasons: tuple[str, ...]
    source: str | None
    deadline: date | None = None
    opens: date | None = None


@quick_init
@dataclass(frozen=True)
class Decision:
    credential: str
    name: str
    status: str
    route: str | None
    route_name: str | None
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    deadline: date | None
    opens: date | None
    routes: tuple[RouteResult, ...] = field(default=())
    requires: tuple[ConditionResult, ...] = field(default=())


_SURENESS = {"low": 0, "med": 1, "high": 2}


def _condition_result(cred: Credential, cond: Condition, check: Check) -> ConditionResult:
    confidence, note = cond.meta.confidence, cond.meta.note
    passing = [(c, ch) for c, ch in check.subchecks if ch.status == PASS] if check.subchecks else ()
    if check.status == PASS and passing:
        # a holding any_of is only as sure as its surest holding alternative
        surest_cond, _ = max(passing, key=lambda p: _SURENESS[p[0].meta.confidence])
        if _SURENESS[surest_cond.meta.confidence] < _SURENESS[confidence]:
            confidence, note = surest_cond.meta.confidence, surest_cond.meta.note or note
    assumed = check.assumed or (check.status == PASS and bool(passing)
                                and all(ch.assumed for _, ch in passing))
    return ConditionResult(cond.id, cond.meta.says or cond.id, check.status, check.observed,
                           confidence, cred.source_url(cond.meta.source), cond.meta.quote, note, assumed)


def _judge(route: Route, results: list[ConditionResult]) -> tuple[str, list[str]]:
    hard = [r for r in results if r.status == FAIL and r.confidence != "low"]
    if hard:
        return NOT_ELIGIBLE, [f"{r.says}: {r.observed}" for r in hard]
    soft = []
    for r in results:
        if r.status == FAIL:
            soft.append(f"{r.says}: {r.observed} (low-confidence rule: check with the certifying body)")
        elif r.status == UNKNOWN:
            soft.append(f"{r.says}: {r.observed} (needs a person to check)")
        elif r.confidence == "low":
            soft.append(f"{r.says}: met, but the source is low-confidence ({r.note or 'verify before relying on it'})")
    if route.review:
        soft.append(route.review)
    if route.meta.confidence == "low" and not any("low-confidence" in s for s in soft):
        soft.append(f"{route.name}: the sources for this route are low-confidence; verify with the certifying body")
    if soft:
        return REVIEW, soft
    return ELIGIBLE, [f"assumed: {r.says} ({r.observed})" for r in results if r.assumed]


def _evaluate_route(cred: Credential, route: Route, requires: list[ConditionResult], profile: Profile,
                    as_of: date, require_checks: tuple[Check, ...] = ()) -> RouteResult:
    url = cred.source_url(route.meta.source)
    if not route.meta.in_force(as_of):
        return RouteResult(route.id, route.name, "not_in_force", (), None,
                           (f"not in force on {as_of}",), url)
    conds = [c for c in route.conditions if c.in_force(as_of)]
    items = [None]
    if route.over == "program":
        items = list(profile.programs)
    elif route.over == "military":
        items = list(profile.military)
    if not items:
        return RouteResult(route.id, route.name, NOT_ELIGIBLE, (), None,
                           (f"no {route.over} in the profile",), url)
    best: RouteResult | None = None
    for item in items:
        ctx = Context(profile, as_of, item)
        checks = [(c, c.test(c, ctx)) for c in conds]
        results = [_condition_result(cred, c, ch) for c, ch in checks]
        status, reasons = _judge(route, requires + results)
        closes = [ch.closes for _, ch in checks if ch.status == PASS and ch.closes]
        # a requirement that opens later (e.g. a high-school date) delays the route too
        failing = [ch for ch in require_checks if ch.status != PASS] + [ch for _, ch in checks if ch.status != PASS]
        opens = None
        if failing and all(ch.opens for ch in failing):
            opens = max(ch.opens for ch in failing)
        candidate = RouteResult(route.id, route.name, status, tuple(results),
                                item.label() if item is not None else None, tuple(reasons), url,
                                deadline=min(closes) if closes and status != NOT_ELIGIBLE else None,
                                opens=opens)
        if best is None or _better(candidate, best):
            best = candidate
    return best


def _better(a: RouteResult, b: RouteResult) -> bool:
    """Prefer the better answer; among equals, the later deadline (more time to act).

    A total order (ties broken by the record looked at, then by its reasons and what its
    conditions saw, since two records with the same label may differ in detail), so the answer
    never depends on the order of programs or military records in the profile.
    """
    return _route_key(a) < _route_key(b)


def _route_key(r: RouteResult) -> tuple:
    if r.status == NOT_ELIGIBLE:
        # nearest miss: fewest failed conditions, then the one that opens soonest
        fails = sum(c.status != PASS for c in r.conditions)
        nearness = (fails, r.opens is None, r.opens or date.max)
    else:
        nearness = (0, False, date.max - (r.deadline or date.max))  # later deadline first
    # last: what each condition saw, since two records with one label can differ in their details
    return (_RANK[r.status],) + nearness + (r.looked_at or "", r.reasons,
                                            tuple((c.status, c.observed) for c in r.conditions))


def evaluate_credential(cred: Credential, profile: Profile, as_of: date) -> Decision:
    ctx = Context(profile, as_of)
    require_checks = [(c, c.test(c, ctx)) for c in cred.requires if c.in_force(as_of)]
    requires = [_condition_result(cred, c, ch) for c, ch in require_checks]
    routes = [_evaluate_route(cred, r, requires, profile, as_of, tuple(ch for _, ch in require_checks))
              for r in cred.routes]
    live = [r for r in routes if r.status != "not_in_force"]
    chosen = None
    for status in (ELIGIBLE, REVIEW):
        matching = [r for r in live if r.status == status]
        if matching:
            # the route that stays open longest is the one to report
            chosen = max(matching, key=lambda r: r.deadline or date.max)
            break
    if chosen is None:
        status = NOT_ELIGIBLE
        # the nearest miss explains the "no": fewest failed conditions, and a route that opens later
        near = sorted(live, key=_nearness)
        reasons = [f"{c.says}: {c.observed}" for c in requires if c.status == FAIL and c.confidence != "low"]
        # one line per route, nearest miss first: the first thing that rules each route out
        reasons.extend(f"{r.name}: {r.reasons[0]}" for r in near if r.reasons)
        if not live:  # a "no" must always say why, even when the rule set gives no way in
            reasons.append(f"the rule set has no eligibility route for {cred.name} in force on {as_of}")
        opens = min((r.opens for r in live if r.opens), default=None)
        if opens:
            reasons.append(f"eligible from {opens} if nothing else changes")
        sources = _sources(cred, near[:1], requires)
        return Decision(cred.id, cred.name, status, None, None, tuple(reasons), sources, None, opens,
                        tuple(routes), tuple(requires))
    reasons = [f"{chosen.name}" + (f" ({chosen.looked_at})" if chosen.looked_at else "")]
    reasons += list(chosen.reasons)
    return Decision(cred.id, cred.name, chosen.status, chosen.id, chosen.name, tuple(reasons),
                    _sources(cred, [chosen], requires), chosen.deadline, chosen.opens, tuple(routes), tuple(requires))


def _nearness(r: RouteResult) -> tuple:
    """Sort key for missed routes: one that merely has not opened yet, then fewest failures, most passes."""
    fails = sum(c.status != PASS for c in r.conditions) if r.conditions else 99
    passes = sum(c.status == PASS and not c.assumed for c in r.conditions)  # assumed facts prove nothing
    return (r.opens is None, fails, -passes)


def _sources(cred: Credential, routes: list[RouteResult], requires=()) -> tuple[str, ...]:
    urls: list[str] = [c.source for c in requires if c.status != PASS and c.source]
    for r in routes:
        for u in [r.source] + [c.source for c in r.conditions]:
            if u and u not in urls:
                urls.append(u)
    return tuple(urls)


def evaluate(profile: Profile, credentials: list[Credential], as_of: date) -> list[Decision]:
    return [evaluate_credential(c, profile, as_of) for c in credentials]


def exit_code(decisions: list[Decision]) -> int:
    """0 some credential eligible, 3 none eligible but some review, 1 none eligible."""
    statuses = {d.status for d in decisions}
    if ELIGIBLE in statuses:
        return 0
    if REVIEW in statuses:
        return 3
    return 1
