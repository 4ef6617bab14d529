"""Decision-only evaluation, compiled once per (credential, as-of day): what `batch` runs per row.

`engine.Prepared` resolves which rules are in force on the day; `compile_decider(prepared)`
turns them into one function `profile -> (status, route, deadline, opens)` that gives exactly
the decision fields of the traced engine (engine.Prepared._traced), built from each condition kind's own
decision (kinds.py: the same decision the traced engine observes), judged by the same verdicts
(verdicts.py), with everything that depends on the rules and the day alone worked out once:

- each condition is its kind's decision, a closure returning a bare outcome (status, opens,
  closes, low); a question asked by several routes (a work sum) is one closure answering once
  a person;
- the order in which the conditions of a route are tried does not change its outcome (every
  outcome is a min/max/count over them), so cheap ones go first, and a route over one record
  stops at the first failure that rules it out for good (hard, with no date it opens);
- routes are tried in rule-file order, the answer kept as they come (verdicts.chosen), and
  trying stops once no later route could be preferred: at an eligible route without a deadline,
  or, when no later route can be eligible at all (every one low-confidence or a `review`),
  at an eligible route, or a review without a deadline.

A "no" keeps, for the person it was last given to, which routes open later and whether a requirement
rules every route out (`decide.missed`): why.py ranks the missed routes with it rather than asking the
requirements and tracking opening days again.

A route whose records share one label is judged by the traced comparison (engine.Prepared.route_result):
only the trace's words can break that tie.

Stopping early skips conditions whose outcome cannot matter; it could only change anything
if a skipped condition would raise (calendar arithmetic past year 9999), which the date bounds
of every input (dates.FIRST_YEAR..LAST_YEAR) rule out. tests/test_compiled.py holds this path
equal to the traced one on generated profiles and days, window boundaries included.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from ma_cli.language.conditions import FAIL, PASS
from ma_cli.language.kinds import KINDS, OUT_FAIL, OUT_PASS, Decide, Outcome, question
from ma_cli.language.verdicts import (
    ELIGIBLE,
    FAILS_LOW,
    FINE,
    HARD,
    HOLDS,
    NOT_ELIGIBLE,
    REVIEW,
    SOFT,
    UNKNOWN_FACT,
    label_of,
    opens_in_time,
    record_place,
    route_key,
)

if TYPE_CHECKING:
    from ma_cli.language.rule_records import Condition


def compile_condition(cond: "Condition", as_of: date, shared: dict[Any, Decide] | None = None) -> Decide:
    """The condition's decision (profile, record, day) -> outcome on that day (`as_of`, or another
    day on which the same rules are in force).

    `shared` (question -> function) holds the costly questions several routes ask: they get one
    function, which answers once a person and record.
    """
    kind = KINDS[cond.kind]
    if shared is None:
        return kind.decide(cond, as_of)
    key = (cond.meta.confidence, question(cond))
    run = shared.get(key)
    if run is None:
        run = shared[key] = _remember_last(kind.decide(cond, as_of))
    return run


def _costly(cond: "Condition") -> bool:
    """Work sums, and any_of questions holding one: worth answering once a person (see _remember_last)."""
    if KINDS[cond.kind].sums_work:
        return True
    return cond.kind == "any_of" and any(_costly(c) for c in cond.params["conditions"])


def _remember_last(run: Decide) -> Decide:
    """Answer a costly question once per person and record: several routes ask it.

    Only the last (profile, record) is kept, by identity; both are immutable, so the answer
    cannot go stale, and the reference held keeps the identity from being reused.
    """
    last: tuple[Any, Any, Any, Any] = (None, None, None, None)

    def remembered(profile: Any, item: Any, day: date) -> Outcome:
        nonlocal last
        seen = last
        if seen[0] is profile and seen[1] is item and seen[0] is not None and seen[3] == day:
            out: Outcome = seen[2]
            return out
        out = run(profile, item, day)
        last = (profile, item, out, day)
        return out

    return remembered


def compile_decider(prepared: Any) -> Any:  # prepared: an engine.Prepared; returns decide, with .parts
    """prepared's rules as one function profile -> (status, route, deadline, opens); route is the Route or None."""
    as_of = prepared.as_of
    LAST = date.max  # verdicts.chosen: no deadline counts as the latest

    # a costly question (work sums) asked by more than one route is answered once a person and record;
    # each condition's question, for the costly ones (by identity: each is held by `prepared`)
    every = [c for c, _ in prepared.requires] + [c for _, conds in prepared.routes if conds is not None for c, _ in conds]
    costly = {id(c): question(c) for c in every if _costly(c)}
    asked = Counter(costly[id(c)] for c in every if id(c) in costly)
    shared: dict[Any, Decide] = {}

    parts: dict[Any, tuple[Any, ...]] = {}  # route id (None: the requirements) -> ((condition, run), ...) in rule-file order

    def compiled(conds: list[Any], key: Any) -> tuple[Any, ...]:
        # (run, own confidence is low) in cost order (stable: rule-file order among equals); a costly
        # question is remembered for the last person asked, so why.py and until.py, asking after the
        # decision, get its answer without working it out again
        out = [(compile_condition(c, as_of) if id(c) not in costly else
                _remember_last(compile_condition(c, as_of)) if asked[costly[id(c)]] == 1 else
                compile_condition(c, as_of, shared),
                c.meta.confidence == "low", KINDS[c.kind].cost, i)
               for i, c in enumerate(conds)]
        parts[key] = tuple((c, run) for c, (run, _, _, _) in zip(conds, out))
        out.sort(key=lambda t: (t[2], t[3]))
        return tuple((run, low) for run, low, _, _ in out)

    def never_eligible(conds: Any) -> bool:
        # a low-confidence or unsettled condition leaves at least a review, whatever the person
        return any(c.meta.confidence == "low" or c.kind == "unsettled" for c in conds)

    requires = compiled([c for c, _ in prepared.requires], None)
    in_force = [(route, conds) for route, conds in prepared.routes if conds is not None]
    can_be_eligible = [not (route.review or route.meta.confidence == "low" or never_eligible(c for c, _ in conds))
                       for route, conds in in_force]
    if never_eligible(c for c, _ in prepared.requires):
        can_be_eligible = [False] * len(in_force)

    def gate(conds: tuple[Any, ...]) -> Any:
        # a route's first (cheapest) condition, when it is not low-confidence: tried in place, so a route
        # it rules out costs no call of one(), and one() does not ask it again when it plainly holds
        return conds[0][0] if conds and not conds[0][1] else None

    routes = tuple(
        (i, route, record_place(route), conds, gate(conds), conds[1:],
         bool(route.review) or route.meta.confidence == "low",  # at best a review
         any(can_be_eligible[i + 1:]))  # a later route could still be eligible
        for i, (route, conds) in enumerate((route, compiled([c for c, _ in conds], route.id))
                                           for route, conds in in_force))
    nothing = (NOT_ELIGIBLE, None, None, None)

    def one(profile: Any, item: Any, day: date, conds: Any, settled: bool, issue: int, soonest: Any,
            blocked: bool) -> Any:
        """A route's (status, deadline, opens, doubt) for one record (or the person), from the requirements'
        outcome; doubt ranks a review (verdicts.doubt). An eligible or review route is open: no opening day
        (the decision names none, engine._traced)."""
        closes = None
        doubt = HOLDS
        for run, low in conds:
            out = run(profile, item, day)
            if not low:  # the plain outcomes most conditions give, settled without unpacking them
                if out is OUT_PASS:
                    continue  # (no closing day, as sure as the route)
                if out is OUT_FAIL:
                    return ruled_out  # failed for good: opening never
            c_status, c_opens, c_closes, alt_low = out
            if c_status == PASS:
                if c_closes and (closes is None or c_closes < closes):
                    closes = c_closes
                if issue == FINE and (low or alt_low):
                    issue = SOFT
            else:
                if c_opens is not None:
                    if soonest is None or c_opens > soonest:
                        soonest = c_opens  # (the route opens when its last window does)
                elif c_status == FAIL and not low:
                    blocked = True  # (only a failure for sure keeps it shut; a doubt leaves a review then)
                if c_status == FAIL and not low:
                    issue = HARD
                    if blocked:
                        return ruled_out  # opening never: nothing below changes the outcome
                else:
                    if c_status == FAIL:
                        doubt = FAILS_LOW
                    elif doubt == HOLDS:
                        doubt = UNKNOWN_FACT
                    if issue == FINE:
                        issue = SOFT
                    elif issue == HARD and blocked:
                        return ruled_out
        if issue == HARD:
            return (NOT_ELIGIBLE, None, None if blocked else opens_in_time(soonest, closes), HOLDS)
        return (REVIEW if issue == SOFT or settled else ELIGIBLE, closes, None, doubt)

    ruled_out = (NOT_ELIGIBLE, None, None, HOLDS)

    def several(profile: Any, items: Any, day: date, route: Any, conds: Any, settled: bool,
                r_issue: int, r_opens: Any, r_blocked: bool, r_undated: bool) -> Any:
        """A route over several records: the best record's outcome (verdicts.route_key)."""
        if len({label_of(i) for i in items}) < len(items):
            # two records with one label: only their reasons and texts break a tie (verdicts.route_key)
            return prepared.route_outcome(profile, day, route)
        best: Any = None
        best_key: Any = None
        best_label: Any = None
        for item in items:
            issue, fails, closes, soonest, blocked, undated = r_issue, 0, None, r_opens, r_blocked, r_undated
            doubt = HOLDS
            for run, low in conds:  # every condition: the number of failures ranks a record that misses
                out = run(profile, item, day)
                if out is OUT_PASS and not low:
                    continue  # (see one())
                c_status, c_opens, c_closes, alt_low = out
                if c_status == PASS:
                    if c_closes and (closes is None or c_closes < closes):
                        closes = c_closes
                    if issue == FINE and (low or alt_low):
                        issue = SOFT
                else:
                    fails += 1
                    if c_opens is not None:
                        if soonest is None or c_opens > soonest:
                            soonest = c_opens
                    elif c_status == FAIL and not low:
                        blocked = True  # (see one())
                    else:
                        undated = True  # (a review's opening day ranks its records, as engine._opens has it)
                    if c_status == FAIL and not low:
                        issue = HARD
                    else:
                        doubt = FAILS_LOW if c_status == FAIL else max(doubt, UNKNOWN_FACT)
                        if issue == FINE:
                            issue = SOFT
            if issue == HARD:
                outcome = (NOT_ELIGIBLE, None, None if blocked else opens_in_time(soonest, closes), HOLDS)
            else:
                status = REVIEW if issue == SOFT or settled else ELIGIBLE
                outcome = (status, closes, None if undated else opens_in_time(soonest, closes),
                           doubt if status == REVIEW else HOLDS)
            key = route_key(outcome[0], fails, outcome[1], outcome[2], outcome[3])
            label = label_of(item)
            if best_key is None or key < best_key or (key == best_key and label < best_label):
                best, best_key, best_label = outcome, key, label
        return best

    def decide(profile: Any, day: date = as_of) -> Any:
        """The answer on `as_of`, or on another `day` on which the same rules are in force (until.py)."""
        # the requirements: every route carries their outcome
        r_opens: Any = None
        r_issue, r_blocked, r_undated, r_doubt = FINE, False, False, HOLDS
        for run, low in requires:
            out = run(profile, None, day)
            if out is OUT_PASS and not low:
                continue  # (see one())
            status, opens, _, alt_low = out
            if status == PASS:
                if low or alt_low:
                    r_issue = max(r_issue, SOFT)
            else:
                if opens is not None:
                    if r_opens is None or opens > r_opens:
                        r_opens = opens
                elif status == FAIL and not low:
                    r_blocked = True  # (see one())
                else:
                    r_undated = True
                r_issue = HARD if status == FAIL and not low else max(r_issue, SOFT)
                r_doubt = max(r_doubt, FAILS_LOW if status == FAIL else UNKNOWN_FACT)
        if r_issue == HARD and r_blocked:
            return nothing  # every route is ruled out, and none opens later
        # verdicts.chosen, kept as the routes come in rule-file order: the first eligible route that stays
        # open longest, else the review with the least doubt, then likewise; with neither, the soonest
        # day a route opens
        eligible = review = None
        eligible_until: Any = None
        review_key: Any = None
        first_opens = None
        # what a route looks at, by its `over` (0: the person, 1: programs, 2: military): the records,
        # and the record when there is just one (a route over several is judged by several())
        programs, military = profile.programs, profile.military
        records = (None, programs, military)
        single = (None, programs[0] if len(programs) == 1 else None, military[0] if len(military) == 1 else None)
        opening: tuple[int, ...] = ()  # the routes (their places) that open later (see missed())
        for index, route, over, conds, first, rest, settled, later in routes:
            item = single[over]
            if item is None and over:
                items = records[over]
                if not items:
                    continue  # not eligible, opens never
                status, deadline, opens, doubt = several(profile, items, day, route, conds, settled,
                                                         r_issue, r_opens, r_blocked, r_undated)
            elif first is not None:  # the first condition, in place
                out = first(profile, item, day)
                if out is OUT_FAIL:
                    continue  # failed for good (see one()): not eligible, opens never
                status, deadline, opens, doubt = one(profile, item, day, rest if out is OUT_PASS else conds,
                                                     settled, r_issue, r_opens, r_blocked)
            else:
                status, deadline, opens, doubt = one(profile, item, day, conds, settled, r_issue, r_opens,
                                                     r_blocked)
            if status == NOT_ELIGIBLE:
                if opens:
                    opening += (index,)
                    if first_opens is None or opens < first_opens:
                        first_opens = opens
                continue
            until = deadline or LAST
            if status == ELIGIBLE:
                if eligible is None or until > eligible_until:
                    eligible, eligible_until = (status, route, deadline, None), until
                if deadline is None:
                    break  # no later route can be preferred
            else:
                key = (max(doubt, r_doubt), LAST - until)  # verdicts.choice_key
                if review is None or key < review_key:
                    review, review_key = (status, route, deadline, None), key  # (open, as a review: engine._traced)
            if r_issue != FINE or not later:  # no later route can be eligible: only an eligible or review here counts
                # (a review open for good, with no doubt a later one could lack, cannot be bettered)
                if eligible is not None or (status == REVIEW and deadline is None and doubt <= r_doubt):
                    break
        if eligible is not None:
            return eligible
        if review is not None:
            return review
        if day == as_of:
            last_no[0] = (profile, (opening, r_issue == HARD))
        return (NOT_ELIGIBLE, None, None, first_opens)

    # the last person found not eligible on as_of, with the routes that open later: every route was tried
    # (only an eligible or review route stops the trying), each to its own outcome. Kept by identity, as
    # _remember_last keeps a costly answer: the profile is immutable and the reference held keeps its
    # identity from being reused
    last_no: list[Any] = [(None, None)]

    def missed(profile: Any) -> tuple[tuple[int, ...], bool] | None:
        """For the person the decision just found not eligible on as_of: (the places, in the order of the
        routes in force, of the routes that open later; whether a requirement fails for sure, ruling every
        route out). None for anyone else (not asked, or not not eligible there)."""
        seen, found = last_no[0]
        return found if seen is profile and profile is not None else None

    decide.missed = missed  # type: ignore[attr-defined]  # (why.py ranks the missed routes with it)
    decide.parts = parts  # type: ignore[attr-defined]  # (what why.py and until.py ask after the decision)
    return decide
