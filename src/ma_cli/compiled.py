"""Decision-only evaluation, compiled once per (credential, as-of day): what `batch` runs per row.

`engine.Prepared` resolves which rules are in force on the day; `compile_decider(prepared)`
turns them into one function `profile -> (status, route, deadline, opens)` that gives exactly
the decision fields of the traced engine (engine.Prepared._traced), built from closures over the
same condition vocabulary (conditions.py), with everything that depends on the rules and the
day alone worked out once:

- each condition becomes a closure returning a bare outcome (status, opens, closes, low)
  instead of a Check with words; field readers are looked up once (conditions.reader), the
  alternatives of an `any_of` in force on the day are picked once, a window's or a limit's
  dates are remembered per date looked at (a roster repeats dates; the memo is bounded);
- work sums (the costly kinds) share the traced tests' measuring functions, and a question
  asked by several routes is one closure answering once a person;
- the order in which the conditions of a route are tried does not change its outcome (every
  outcome is a min/max/count over them), so cheap ones go first, and a route over one record
  stops at the first failure that rules it out for good (hard, with no date it opens);
- routes are tried in rule-file order, the answer kept as they come (engine._chosen), and
  trying stops once no later route could be preferred: at an eligible route without a deadline,
  or, when no later route can be eligible at all (every one low-confidence or a `review`),
  at an eligible route, or a review without a deadline.

What is not compiled goes through the traced machinery unchanged: a condition with a test
function of its own (not in conditions.TESTS) or `any_program` runs its Check, and a route
whose records share one label is judged by the traced comparison (engine.Prepared._route).

Stopping early skips conditions whose outcome cannot matter; it could only change anything
if a skipped condition would raise (calendar arithmetic past year 9999), which the date bounds
of every input (dates.FIRST_YEAR..LAST_YEAR) rule out. tests/test_compiled.py holds this path
equal to the traced one on generated profiles and days, window boundaries included.
"""

from __future__ import annotations

import operator
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from ma_cli import conditions as cd
from ma_cli.conditions import FAIL, PASS, UNKNOWN, Context, reader, runner

if TYPE_CHECKING:
    from ma_cli.engine import Prepared
    from ma_cli.rules import Condition

Outcome = tuple  # (status, opens, closes, low): low = a holding any_of only as sure as a low-confidence alternative

_MEMO_MAX = 4096  # dates remembered per window or limit; cleared when full (pure values, so never stale)

_PASS = (PASS, None, None, False)
_FAIL = (FAIL, None, None, False)
_UNKNOWN = (UNKNOWN, None, None, False)

# how costly a kind is to ask (cheap first within a route); unknown kinds last
_COST = {"one_of": 0, "at_least": 0, "at_most": 0, "is": 0, "present": 0, "unsettled": 0, "held": 1,
         "window": 2, "not_before": 2, "any_of": 3, "work_hours_after": 4, "work_hours_within": 4,
         "work_years": 5}


def _missing(cond: "Condition") -> Outcome:
    """conditions._if_missing without the words."""
    missing = cond.params.get("if_missing", UNKNOWN)
    return _PASS if missing == PASS else _FAIL if missing == FAIL else _UNKNOWN


def _record_attribute(path: str) -> str | None:
    """The attribute a field of the record looked at is read from, when conditions.reader reads it
    plainly (None if item is None else getattr(item, name, None); `end` is a property of both kinds
    of record); None for every other field."""
    head, _, rest = path.partition(".")
    if head in ("program", "military") and rest != "total_hours":
        return rest
    return None


def _comparison(cond, key, ok, as_of, wanted=None):
    path, missing = cond.params["field"], _missing(cond)
    if wanted is None:
        wanted = cond.params[key]
    name = _record_attribute(path)
    if name is not None:  # the most common condition: one call, not two
        def run(profile, item, day):
            value = None if item is None else getattr(item, name, None)
            if value is None:
                return missing
            return _PASS if ok(value, wanted) else _FAIL

        return run
    read = reader(path)

    def run(profile, item, day):
        value = read(profile, item, day)
        if value is None:
            return missing
        return _PASS if ok(value, wanted) else _FAIL

    return run


def _one_of(cond, as_of):
    values = cond.params["values"]
    if len(values) == 1 and values[0] is not None:  # one value (a program's field, say): plain equality, in C
        return _comparison(cond, "values", operator.eq, as_of, values[0])
    return _comparison(cond, "values", cd._is_in, as_of)


def _at_least(cond, as_of):
    return _comparison(cond, "value", operator.ge, as_of)


def _at_most(cond, as_of):
    return _comparison(cond, "value", operator.le, as_of)


def _is(cond, as_of):
    return _comparison(cond, "value", operator.eq, as_of)


def _present(cond, as_of):
    name = _record_attribute(cond.params["field"])
    if name is not None:
        def run(profile, item, day):
            return _PASS if (None if item is None else getattr(item, name, None)) not in (None, False) else _FAIL

        return run
    read = reader(cond.params["field"])

    def run(profile, item, day):
        return _PASS if read(profile, item, day) not in (None, False) else _FAIL

    return run


def _window(cond, as_of):
    read = reader(cond.params["field"])
    name = _record_attribute(cond.params["field"])
    start_offset, end_offset = cond.params.get("start"), cond.params.get("end")
    missing = _missing(cond) if "if_missing" in cond.params else _FAIL  # (a window fails on a missing date by default)
    memo: dict = {}

    def run(profile, item, day):
        value = read(profile, item, day) if name is None else None if item is None else getattr(item, name, None)
        if value is None:
            return missing
        edges = memo.get(value)
        if edges is None:  # (start, end, the outcome before start, the outcome while open)
            start = start_offset.apply(value) if start_offset is not None else None
            end = end_offset.apply(value) if end_offset is not None else None
            edges = (start, end, (FAIL, start, None, False), (PASS, None, end, False))
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[value] = edges
        start, end, before, open_ = edges
        if start is not None and day < start:
            return before
        if end is not None and day > end:
            return _FAIL
        return open_

    return run


def _not_before(cond, as_of):
    read, read_other = reader(cond.params["field"]), reader(cond.params["other"])
    offset, missing = cond.params.get("offset", cd._NO_OFFSET), _missing(cond)
    limits: dict = {}
    name, other_name = _record_attribute(cond.params["field"]), _record_attribute(cond.params["other"])

    def run(profile, item, day):
        if item is not None and name is not None and other_name is not None:
            value, other = getattr(item, name, None), getattr(item, other_name, None)
        else:
            value, other = read(profile, item, day), read_other(profile, item, day)
        if value is None or other is None:
            return missing
        limit = limits.get(other)
        if limit is None:
            if len(limits) >= _MEMO_MAX:
                limits.clear()
            limit = limits[other] = offset.apply(other)
        return _PASS if value >= limit else _FAIL

    return run


def _held(cond, as_of):
    wanted = cond.params["credentials"]

    def run(profile, item, day):
        for h in profile.held:
            if h.credential in wanted:
                return _PASS
        return _FAIL

    return run


def _unsettled(cond, as_of):
    return lambda profile, item, day: _UNKNOWN


def _work_years(cond, as_of):
    measure = cd.work_years_measure(cond)

    def run(profile, item, day):
        return _PASS if measure(profile.work, day, False)[0] == PASS else _FAIL

    return run


def _work_hours_after(cond, as_of):
    read, need = reader(cond.params["field"]), cond.params["hours"]
    roles = tuple(cond.params.get("roles", ("medical-assistant",)))

    def run(profile, item, day):
        after = read(profile, item, day)
        if after is None:
            return _FAIL
        return _PASS if cd.hours_worked_after(profile.work, after, day, roles) >= need else _FAIL

    return run


def _work_hours_within(cond, as_of):
    measure = cd.work_hours_within_measure(cond)

    def run(profile, item, day):
        return _PASS if measure(profile.work, day)[0] == PASS else _FAIL

    return run


def _any_of(cond, as_of):
    from ma_cli.engine import _SURENESS

    own = _SURENESS[cond.meta.confidence]
    alternatives = tuple((compile_condition(c, as_of), _SURENESS[c.meta.confidence])
                         for c in cond.params["conditions"] if c.meta.in_force(as_of))

    settled = (PASS, None, None, own == 0)

    def run(profile, item, day):
        status = FAIL
        opens = closes = None
        open_ended = False
        surest = -1  # the surest holding alternative (engine._confidence)
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


def _traced_check(cond, as_of):
    """A kind without a compiled form (any_program, a test function of its own): its Check, as the engine sees it."""
    run_check = runner(cond)

    def run(profile, item, day):
        check = run_check(Context(profile, day, item))
        low = False
        if check.subchecks and check.status == PASS:
            from ma_cli.engine import _confidence
            low = _confidence(cond, check)[0] == "low"
        return (check.status, check.opens, check.closes, low)

    return run


_MAKERS: dict[Callable, Callable] = {
    cd.t_one_of: _one_of, cd.t_at_least: _at_least, cd.t_at_most: _at_most, cd.t_is: _is,
    cd.t_present: _present, cd.t_window: _window, cd.t_not_before: _not_before, cd.t_held: _held,
    cd.t_unsettled: _unsettled, cd.t_work_years: _work_years, cd.t_work_hours_after: _work_hours_after,
    cd.t_work_hours_within: _work_hours_within, cd.t_any_of: _any_of,
}
_WORK = {cd.t_work_years, cd.t_work_hours_after, cd.t_work_hours_within}


def compile_condition(cond: "Condition", as_of: date, shared: dict | None = None) -> Callable[[Any, Any, date], Outcome]:
    """The condition as a function (profile, record, day) -> outcome on that day (`as_of`, or another
    day on which the same rules are in force).

    `shared` (question -> function) holds the costly questions several routes ask: they get one
    function, which answers once a person and record.
    """
    make = _MAKERS.get(cond.test)
    if make is None:
        return _traced_check(cond, as_of)
    if shared is None:
        return make(cond, as_of)
    key = (cond.meta.confidence, _question(cond))
    run = shared.get(key)
    if run is None:
        run = shared[key] = _remember_last(make(cond, as_of))
    return run


def _costly(cond: "Condition") -> bool:
    """Work sums, and any_of questions holding one: worth answering once a person (see _remember_last)."""
    if cond.test in _WORK:
        return True
    return cond.test is cd.t_any_of and any(_costly(c) for c in cond.params["conditions"])


def _question(cond: "Condition") -> tuple:
    from ma_cli.engine import _question as question
    return question(cond)


def _remember_last(run: Callable[[Any, Any], Outcome]) -> Callable[[Any, Any], Outcome]:
    """Answer a costly question once per person and record: several routes ask it.

    Only the last (profile, record) is kept, by identity; both are immutable, so the answer
    cannot go stale, and the reference held keeps the identity from being reused.
    """
    last = (None, None, None, None)

    def remembered(profile, item, day):
        nonlocal last
        seen = last
        if seen[0] is profile and seen[1] is item and seen[0] is not None and seen[3] == day:
            return seen[2]
        out = run(profile, item, day)
        last = (profile, item, out, day)
        return out

    return remembered


def compile_decider(prepared: "Prepared") -> Callable[[Any], tuple]:
    """prepared's rules as one function profile -> (status, route, deadline, opens); route is the Route or None."""
    from ma_cli.engine import ELIGIBLE, NOT_ELIGIBLE, REVIEW, _label, _route_key_of
    from ma_cli.engine import _FAILS_LOW as FAILS_LOW, _HOLDS as HOLDS, _UNKNOWN_FACT as UNKNOWN_FACT
    from ma_cli.engine import _FINE as FINE, _HARD as HARD, _SOFT as SOFT

    as_of = prepared.as_of
    LAST = date.max  # engine._chosen: no deadline counts as the latest

    # a costly question (work sums) asked by more than one route is answered once a person and record
    asked = Counter(_question(c) for c, _ in prepared.requires)
    asked.update(_question(c) for _, conds in prepared.routes if conds is not None for c, _ in conds)
    shared: dict = {}

    parts: dict = {}  # route id (None: the requirements) -> ((condition, run), ...) in rule-file order

    def compiled(conds, key):
        # (run, own confidence is low) in cost order (stable: rule-file order among equals); a costly
        # question is remembered for the last person asked, so why.py and until.py, asking after the
        # decision, get its answer without working it out again
        out = [(_remember_last(compile_condition(c, as_of, shared if asked[_question(c)] > 1 else None))
                if _costly(c) and asked[_question(c)] == 1 else
                compile_condition(c, as_of, shared if _costly(c) and asked[_question(c)] > 1 else None),
                c.meta.confidence == "low", _COST.get(c.kind, 9), i)
               for i, c in enumerate(conds)]
        parts[key] = tuple((c, run) for c, (run, _, _, _) in zip(conds, out))
        out.sort(key=lambda t: (t[2], t[3]))
        return tuple((run, low) for run, low, _, _ in out)

    def never_eligible(conds) -> bool:
        # a low-confidence or unsettled condition leaves at least a review, whatever the person
        return any(c.meta.confidence == "low" or c.test is cd.t_unsettled for c in conds)

    requires = compiled([c for c, _ in prepared.requires], None)
    in_force = [(route, conds) for route, conds in prepared.routes if conds is not None]
    can_be_eligible = [not (route.review or route.meta.confidence == "low" or never_eligible(c for c, _ in conds))
                       for route, conds in in_force]
    if never_eligible(c for c, _ in prepared.requires):
        can_be_eligible = [False] * len(in_force)
    routes = tuple(
        (route, {"program": 1, "military": 2}.get(route.over, 0), compiled([c for c, _ in conds], route.id),
         bool(route.review) or route.meta.confidence == "low",  # at best a review
         any(can_be_eligible[i + 1:]),  # a later route could still be eligible
         conds)
        for i, (route, conds) in enumerate(in_force))
    nothing = (NOT_ELIGIBLE, None, None, None)

    def one(profile, item, day, conds, settled, issue, soonest, blocked) -> tuple:
        """A route's (status, deadline, opens, doubt) for one record (or the person), from the requirements'
        outcome; doubt ranks a review (engine._doubt)."""
        closes = None
        doubt = HOLDS
        for run, low in conds:
            c_status, c_opens, c_closes, alt_low = run(profile, item, day)
            if c_status == PASS:
                if c_closes and (closes is None or c_closes < closes):
                    closes = c_closes
                if issue == FINE and (low or alt_low):
                    issue = SOFT
            else:
                if c_opens is None:
                    blocked = True
                elif soonest is None or c_opens > soonest:
                    soonest = c_opens  # (the route opens when its last window does)
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
            return (NOT_ELIGIBLE, None, None if blocked else soonest, HOLDS)
        return (REVIEW if issue == SOFT or settled else ELIGIBLE, closes, None if blocked else soonest, doubt)

    ruled_out = (NOT_ELIGIBLE, None, None, HOLDS)

    def several(profile, items, day, route, conds, settled, traced_conds, r_issue, r_opens, r_blocked) -> tuple:
        """A route over several records: the best record's outcome (engine._route_key)."""
        if len({_label(i) for i in items}) < len(items):
            # two records with one label: only their reasons and texts break a tie (engine._route_key)
            return _by_trace(prepared, profile, day, route, traced_conds)[1:]
        best = best_key = best_label = None
        for item in items:
            issue, fails, closes, soonest, blocked = r_issue, 0, None, r_opens, r_blocked
            doubt = HOLDS
            for run, low in conds:  # every condition: the number of failures ranks a record that misses
                c_status, c_opens, c_closes, alt_low = run(profile, item, day)
                if c_status == PASS:
                    if c_closes and (closes is None or c_closes < closes):
                        closes = c_closes
                    if issue == FINE and (low or alt_low):
                        issue = SOFT
                else:
                    fails += 1
                    if c_opens is None:
                        blocked = True
                    elif soonest is None or c_opens > soonest:
                        soonest = c_opens
                    if c_status == FAIL and not low:
                        issue = HARD
                    else:
                        doubt = FAILS_LOW if c_status == FAIL else max(doubt, UNKNOWN_FACT)
                        if issue == FINE:
                            issue = SOFT
            if issue == HARD:
                outcome = (NOT_ELIGIBLE, None, None if blocked else soonest, HOLDS)
            else:
                status = REVIEW if issue == SOFT or settled else ELIGIBLE
                outcome = (status, closes, None if blocked else soonest, doubt if status == REVIEW else HOLDS)
            key = _route_key_of(outcome[0], fails, outcome[1], outcome[2], outcome[3])
            label = _label(item)
            if best_key is None or key < best_key or (key == best_key and label < best_label):
                best, best_key, best_label = outcome, key, label
        return best

    def decide(profile, day=as_of) -> tuple:
        """The answer on `as_of`, or on another `day` on which the same rules are in force (until.py)."""
        # the requirements: every route carries their outcome
        r_issue, r_opens, r_blocked, r_doubt = FINE, None, False, HOLDS
        for run, low in requires:
            status, opens, _, alt_low = run(profile, None, day)
            if status == PASS:
                if low or alt_low:
                    r_issue = max(r_issue, SOFT)
            else:
                if opens is None:
                    r_blocked = True
                elif r_opens is None or opens > r_opens:
                    r_opens = opens
                r_issue = HARD if status == FAIL and not low else max(r_issue, SOFT)
                r_doubt = max(r_doubt, FAILS_LOW if status == FAIL else UNKNOWN_FACT)
        if r_issue == HARD and r_blocked:
            return nothing  # every route is ruled out, and none opens later
        # engine._chosen, kept as the routes come in rule-file order: the first eligible route that stays
        # open longest, else the review with the least doubt, then likewise; with neither, the soonest
        # day a route opens
        eligible = review = None
        eligible_until = review_key = None
        first_opens = None
        for route, over, conds, settled, later, traced_conds in routes:
            if over:
                items = profile.programs if over == 1 else profile.military
                if len(items) != 1:
                    if not items:
                        continue  # not eligible, opens never
                    status, deadline, opens, doubt = several(profile, items, day, route, conds, settled,
                                                             traced_conds, r_issue, r_opens, r_blocked)
                else:
                    status, deadline, opens, doubt = one(profile, items[0], day, conds, settled, r_issue, r_opens,
                                                         r_blocked)
            else:
                status, deadline, opens, doubt = one(profile, None, day, conds, settled, r_issue, r_opens,
                                                     r_blocked)
            if status == NOT_ELIGIBLE:
                if opens and (first_opens is None or opens < first_opens):
                    first_opens = opens
                continue
            until = deadline or LAST
            if status == ELIGIBLE:
                if eligible is None or until > eligible_until:
                    eligible, eligible_until = (status, route, deadline, opens), until
                if deadline is None:
                    break  # no later route can be preferred
            else:
                key = (max(doubt, r_doubt), LAST - until)  # engine._choice_key
                if review is None or key < review_key:
                    review, review_key = (status, route, deadline, opens), key
            if r_issue != FINE or not later:  # no later route can be eligible: only an eligible or review here counts
                # (a review open for good, with no doubt a later one could lack, cannot be bettered)
                if eligible is not None or (status == REVIEW and deadline is None and doubt <= r_doubt):
                    break
        if eligible is not None:
            return eligible
        if review is not None:
            return review
        return (NOT_ELIGIBLE, None, None, first_opens)

    decide.parts = parts
    return decide


def _by_trace(prepared: "Prepared", profile, day, route, conds) -> tuple:
    from ma_cli.engine import Prepared, _condition_result

    if day != prepared.as_of:  # (the same rules in force: only the day differs)
        prepared = Prepared(prepared.cred, day)
        conds = dict((r.id, c) for r, c in prepared.routes)[route.id]
    ctx = Context(profile, prepared.as_of)
    require_checks = [(c, run(ctx)) for c, run in prepared.requires]
    r = prepared._route(route, conds, [_condition_result(prepared.cred, c, ch) for c, ch in require_checks],
                        [ch for _, ch in require_checks if ch.status != PASS], profile)
    return (route, r.status, r.deadline, r.opens, r.doubt)
