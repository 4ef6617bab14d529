"""The eligibility engine: profile + rule set + as-of date -> one Decision per credential.

Pure: no printing, no files, no CLI. Every answer carries its trace (each route, each
condition, the fact looked at, the source that says so), unless the caller asks for the
decision fields only (`trace=False`, what `batch` does): the same rules reach the same answer
either way, the untraced path just builds none of the words and objects of the trace.

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

from datetime import date
from typing import Any, Callable

from ma_cli.base.frozen import record
from ma_cli.inputs.profile import Profile
from ma_cli.language.conditions import FAIL, PASS, UNKNOWN, Check, Context
from ma_cli.language.kinds import credential_reads, runner
from ma_cli.language.rule_records import Condition, Credential, Route
from ma_cli.language.verdicts import (
    ELIGIBLE,
    FINE,
    HARD,
    HOLDS,
    NOT_ELIGIBLE,
    REVIEW,
    chosen,
    confidence_of,
    doubt,
    issue,
    low_source_words,
    opens_in_time,
    opens_words,
    records,
    route_key,
    route_status,
)


@record
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


@record
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
    doubt: int = 0  # for a review: what makes it one (verdicts.doubt); only ranks reviews against each other


@record
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
    routes: tuple[RouteResult, ...] = ()
    requires: tuple[ConditionResult, ...] = ()
    deadline_says: str = "apply by"  # the chosen route's words for its deadline (rules: deadline_says)
    source_info: tuple[Any, ...] = ()  # the credential's rules.Source records: how good each source is (traced answers only)


def condition_result(cred: Credential, cond: Condition, check: Check) -> ConditionResult:
    """A condition's traced answer as the trace shows it."""
    confidence, note = confidence_of(cond, check)
    return ConditionResult(cond.id, says(cond), check.status, check.observed, confidence,
                           cred.source_url(cond.meta.source), cond.meta.quote, note, passed_on_assumption(check))


def passed_on_assumption(check: Check) -> bool:
    """A condition result's `assumed`: it passed on a fact the profile does not give (an any_of: every
    alternative that holds did)."""
    return check.assumed or (check.status == PASS and bool(check.subchecks)
                             and all(ch.assumed for _, ch in check.subchecks if ch.status == PASS))


def _state(cond: Condition, check: Check) -> tuple[tuple[str, str], str]:
    """A condition's (status, confidence) as its traced answer has them, and what the trace calls it."""
    return (check.status, confidence_of(cond, check)[0]), says(cond)


def says(cond: Condition) -> str:
    """What the trace calls a condition: its rule's words, or its id."""
    return cond.meta.says or cond.id


def _judge(route: Route, results: list[ConditionResult]) -> tuple[str, list[str]]:
    status = route_status(route, max((issue(r.status, r.confidence) for r in results), default=FINE))
    if status == NOT_ELIGIBLE:
        return status, [f"{r.says}: {r.observed}" for r in results if issue(r.status, r.confidence) == HARD]
    soft = []
    for r in results:
        if r.status == FAIL:
            soft.append(f"{r.says}: {r.observed} (low-confidence rule: check with the certifying body)")
        elif r.status == UNKNOWN:
            soft.append(f"{r.says}: {r.observed} (needs a person to check)")
        elif r.confidence == "low":
            soft.append(low_source_words(r.says, r.note, r.observed if r.assumed else None))
    if route.review:
        soft.append(route.review)
    if route.meta.confidence == "low" and not any("low-confidence" in s for s in soft):
        soft.append(f"{route.name}: the sources for this route are low-confidence; verify with the certifying body")
    if status == REVIEW:
        return status, soft
    return status, [f"assumed: {r.says} ({r.observed})" for r in results if r.assumed]


def failing(checks: list[tuple[Condition, Check]]) -> list[tuple[Check, bool]]:
    """The checks that do not pass, each with whether it fails for sure (hard: a FAIL of a rule not of
    low confidence), what `_opens` asks of a route's failures."""
    return [(ch, ch.status == FAIL and c.meta.confidence != "low") for c, ch in checks if ch.status != PASS]


def _opens(failures: list[tuple[Check, bool]]) -> date | None:
    """A route that fails on windows not open yet opens when the last of them does. Ruled out today (a
    hard failure), every failure for sure must have a day it opens: one that only doubts it (a fact not
    given, a low-confidence rule failing) leaves the route a review when it opens, and does not keep it
    shut. A review today opens on a day only when each of its doubts has one."""
    days = [ch.opens for ch, _ in failures if ch.opens]
    if not days:
        return None
    if any(hard for _, hard in failures):
        return max(days) if all(ch.opens for ch, hard in failures if hard) else None
    return max(days) if len(days) == len(failures) else None


class Prepared:
    """One credential's rules resolved for one as-of day: which routes and conditions are in force.

    Made once per evaluation by `evaluate_credential`, and once per run by a batch (the rules
    and the day are the same for every row). `decide(profile)` answers with the full trace, or
    with `trace=False` only the decision fields (status, route, deadline, earliest), from the
    same rules compiled for the day into closures that build no words (compiled.py; `answer` and
    `decider` are what batch calls). Tests hold the two paths equal.
    """

    def __init__(self, cred: Credential, as_of: date):
        self.cred, self.as_of = cred, as_of
        self.requires = tuple((c, _deferred(c)) for c in cred.requires if c.in_force(as_of))
        # (route, its conditions in force with their test functions; None when the route is not in force)
        self.routes = tuple((r, tuple((c, _deferred(c)) for c in r.conditions if c.in_force(as_of))
                             if r.meta.in_force(as_of) else None) for r in cred.routes)
        self._decider: Callable[..., tuple[Any, ...]] | None = None  # compiled by the first untraced decision (compiled.py)

    def decide(self, profile: Profile, trace: bool = True) -> Decision:
        """The answer for `profile`, with its trace, or with `trace=False` the decision fields only; for a
        profile with dates given only to the month, the answer on every day they can mean (readings.py)."""
        if profile.vague:
            from ma_cli.reasoning import readings

            return readings.decision(profile, self.as_of, lambda person: self._decide_one(person, trace),
                                     credential_reads(self.cred))
        return self._decide_one(profile, trace)

    def _decide_one(self, profile: Profile, trace: bool) -> Decision:
        if trace:
            return self._traced(*self.traced_parts(profile))
        return self._untraced(profile)

    # --- with the trace -----------------------------------------------------------------

    def traced_parts(self, profile: Profile) -> tuple[list[ConditionResult], list[RouteResult]]:
        """The requirements' traced results and each route's traced answer: the whole trace, before
        the answer is chosen from it and put in words."""
        ctx = Context(profile, self.as_of)
        require_checks = [(c, run(ctx)) for c, run in self.requires]
        requires = [condition_result(self.cred, c, ch) for c, ch in require_checks]
        failing_requires = failing(require_checks)
        return requires, [self.route_result(route, conds, requires, failing_requires, profile)
                          for route, conds in self.routes]

    def _traced(self, requires: list[ConditionResult], routes: list[RouteResult]) -> Decision:
        cred, as_of = self.cred, self.as_of
        live = [r for r in routes if r.status != "not_in_force"]
        index = chosen([(r.status, r.deadline, max(r.doubt, doubt(requires))) for r in live])
        if index is None:
            status = NOT_ELIGIBLE
            # the nearest miss explains the "no": fewest failed conditions, and a route that opens later
            near = sorted(live, key=_nearness)
            reasons = [f"{c.says}: {c.observed}" for c in requires if c.status == FAIL and c.confidence != "low"]
            # one line per route, nearest miss first: the first thing that rules each route out
            # (a requirement every route shares, such as CMA's failed attempts, is said once, above)
            stated = set(reasons)
            reasons.extend(f"{r.name}: {r.reasons[0]}" for r in near if r.reasons and r.reasons[0] not in stated)
            if not live:  # a "no" must always say why, even when the rule set gives no way in
                reasons.append(f"the rule set has no eligibility route for {cred.name} in force on {as_of}")
            opens = min((r.opens for r in live if r.opens), default=None)
            if opens:  # (the day a route opens: it may open as a review, which `plan` says)
                reasons.append(opens_words(opens))
            sources = _sources(cred, near[:1], requires)
            return Decision(cred.id, cred.name, status, None, None, tuple(reasons), sources, None, opens,
                            tuple(routes), tuple(requires), source_info=tuple(cred.sources.values()))
        picked = live[index]
        reasons = [f"{picked.name}" + (f" ({picked.looked_at})" if picked.looked_at else "")]
        reasons += list(picked.reasons)
        says = next(r.deadline_says for r, conds in self.routes if conds is not None and r.id == picked.id)
        # (no `opens`: the route picked is open, if only as a review; a doubt that clears on a day does not
        # make it a route not yet open)
        return Decision(cred.id, cred.name, picked.status, picked.id, picked.name, tuple(reasons),
                        _sources(cred, [picked], requires, held=True), picked.deadline, None, tuple(routes),
                        tuple(requires), says, tuple(cred.sources.values()))

    def route_result(self, route: Route, conds: tuple[Any, ...] | None, requires: list[ConditionResult],
                     failing_requires: list[tuple[Check, bool]], profile: Profile) -> RouteResult:
        """One route's traced answer: the best of its records (see _route_key), given the requirements' results."""
        cred, as_of = self.cred, self.as_of
        url = cred.source_url(route.meta.source)
        if conds is None:
            return RouteResult(route.id, route.name, "not_in_force", (), None, (f"not in force on {as_of}",), url)
        items = records(route, profile)
        if not items:
            return RouteResult(route.id, route.name, NOT_ELIGIBLE, (), None, (f"no {route.over} in the profile",), url)
        best: RouteResult | None = None
        best_key: tuple[Any, ...] | None = None
        for item in items:
            ctx = Context(profile, as_of, item)
            checks = [(c, run(ctx)) for c, run in conds]
            results = [condition_result(cred, c, ch) for c, ch in checks]
            status, reasons = _judge(route, requires + results)
            closes = [ch.closes for _, ch in checks if ch.status == PASS and ch.closes]
            # a requirement that opens later (e.g. a high-school date) delays the route too; a route whose
            # own window closes before then never opens (verdicts.opens_in_time)
            opens = opens_in_time(_opens(failing_requires + failing(checks)),
                                  min(closes) if closes else None)
            candidate = RouteResult(route.id, route.name, status, tuple(results),
                                    item.label() if item is not None else None, tuple(reasons), url,
                                    deadline=min(closes) if closes and status != NOT_ELIGIBLE else None,
                                    opens=opens, doubt=doubt(results) if status == REVIEW else HOLDS)
            key = _route_key(candidate, item)
            if best_key is None or key < best_key:
                best, best_key = candidate, key
        assert best is not None  # (records() gave at least one)
        return best

    # --- decision fields only -------------------------------------------------------------

    def _untraced(self, profile: Profile) -> Decision:
        """The same answer as `_traced` (status, route, deadline, earliest) from the rules compiled
        for this day into closures that build no words or trace objects (see compiled.py)."""
        return untraced(self.cred, self.decider()(profile))

    def answer(self, profile: Profile) -> tuple[Any, ...]:
        """The decision fields only, as (status, route or None, deadline, opens): what batch writes (over
        the readings of dates given only to the month, as `decide`)."""
        if profile.vague:
            from ma_cli.reasoning import readings

            return readings.answer(profile, self.as_of, self.decider(), credential_reads(self.cred))
        return self.decider()(profile)

    def decider(self) -> Callable[..., tuple[Any, ...]]:
        """`answer` as one function of the profile, compiled once (batch calls it per row)."""
        decider = self._decider
        if decider is None:
            from ma_cli.reasoning.compiled import compile_decider
            decider = self._decider = compile_decider(self)
        return decider

    def traced_route(self, profile: Profile, route: Route) -> tuple[RouteResult, list[ConditionResult]]:
        """One route's traced answer on as_of, and the requirements' results it was judged with."""
        ctx = Context(profile, self.as_of)
        checks = [(c, run(ctx)) for c, run in self.requires]
        requires = [condition_result(self.cred, c, ch) for c, ch in checks]
        conds = next(conds for r, conds in self.routes if r is route)
        return self.route_result(route, conds, requires, failing(checks), profile), requires

    def statuses(self, profile: Profile, route: Route) -> dict[Any, tuple[tuple[str, str], str]]:
        """The state of each condition of `route` (of the record its traced answer looks at) and of each
        requirement, on as_of, keyed by the condition's id (a requirement's by ("requires", id)), with
        what the trace calls it: `traced_route`'s statuses and confidences without the trace's other
        words, which only ranking two records or more needs. A state is (status, confidence): a group
        that goes on holding by a surer alternative (a diploma after a provisional window) has changed
        as much as one that starts to hold, and the answer may turn on it (review to eligible)."""
        conds = next(conds for r, conds in self.routes if r is route)
        items = records(route, profile) if conds is not None else ()
        if len(items) > 1:
            result, requires = self.traced_route(profile, route)
            return ({c.id: ((c.status, c.confidence), c.says) for c in result.conditions}
                    | {("requires", c.id): ((c.status, c.confidence), c.says) for c in requires})
        found: dict[Any, tuple[tuple[str, str], str]] = {}
        if items:
            ctx = Context(profile, self.as_of, items[0])
            found = {c.id: _state(c, run(ctx)) for c, run in conds or ()}
        ctx = Context(profile, self.as_of)
        return found | {("requires", c.id): _state(c, run(ctx)) for c, run in self.requires}

    def route_outcome(self, profile: Profile, day: date, route: Route) -> tuple[Any, ...]:
        """A route's (status, deadline, opens, doubt) judged the traced way on `day` (a day on which the
        same rules are in force as on as_of): what the decision-only path asks when only the trace's
        words can rank two records."""
        prepared = self if day == self.as_of else Prepared(self.cred, day)
        same = next(r for r, _ in prepared.routes if r.id == route.id)
        r, _ = prepared.traced_route(profile, same)
        return (r.status, r.deadline, r.opens, r.doubt)


def untraced(cred: Credential, answer: tuple[Any, ...]) -> Decision:
    """The Decision, without its trace, of a compiled answer (status, route or None, deadline, opens)."""
    status, route, deadline, opens = answer
    if route is None:
        return Decision(cred.id, cred.name, status, None, None, (), (), None, opens)
    return Decision(cred.id, cred.name, status, route.id, route.name, (), (), deadline, opens,
                    deadline_says=route.deadline_says)


def _deferred(cond: Condition) -> Callable[[Context], Check]:
    """The condition's traced test (kinds.runner), made on its first use: a plan asks most credentials
    only for decisions (compiled.py), and making every test up front was about a tenth of its own work."""
    return lambda ctx: runner(cond)(ctx)


def _route_key(r: RouteResult, item: Any) -> tuple[Any, ...]:
    """How one record's answer for a route ranks (smaller is better): the better answer; among equals,
    the later deadline (more time to act), then the newest record (the one that ends last: of two
    programs whose windows have both closed, the one that closed last is the miss a person asks about,
    not the older one), then the record's label.

    A total order (ties broken by the record looked at, then by its reasons and what its conditions
    saw, since two records with the same label may differ in detail), so the answer never depends on
    the order of programs or military records in the profile.
    """
    fails = sum(c.status != PASS for c in r.conditions)
    end = item.end if item is not None else None
    # last: what each condition saw, since two records with one label can differ in their details
    return route_key(r.status, fails, r.deadline, r.opens, r.doubt) + (
        -end.toordinal() if end else 0, r.looked_at or "", r.reasons,
        tuple((c.status, c.observed) for c in r.conditions))


def evaluate_credential(cred: Credential, profile: Profile, as_of: date, trace: bool = True) -> Decision:
    """The answer for one credential; `trace=False` leaves out the trace (routes, reasons, sources)."""
    return Prepared(cred, as_of).decide(profile, trace)


def _nearness(r: RouteResult) -> tuple[bool, int, int]:
    """Sort key for missed routes: one that merely has not opened yet, then fewest failures, most passes."""
    fails = sum(c.status != PASS for c in r.conditions) if r.conditions else 99
    passes = sum(c.status == PASS and not c.assumed for c in r.conditions)  # assumed facts prove nothing
    return (r.opens is None, fails, -passes)


def _sources(cred: Credential, routes: list[RouteResult], requires: Any = (), held: bool = False) -> tuple[str, ...]:
    """The sources an answer rests on: a requirement that fails, the route's and its conditions'; `held`
    (an answer by a route): then also a requirement that holds on a fact the profile gives (the CPT's skill
    counts, from NHA's own page, were left out of an eligible answer that rests on them), after the route's."""
    urls: list[str] = [c.source for c in requires if c.status != PASS and c.source]
    for r in routes:
        for u in [r.source] + [c.source for c in r.conditions]:
            if u and u not in urls:
                urls.append(u)
    if held:
        for c in requires:
            if c.status == PASS and not c.assumed and c.source and c.source not in urls:
                urls.append(c.source)
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
