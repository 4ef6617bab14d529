"""One short line saying why an answer is not `eligible`, for batch (`<cred>_why`).

The line is one of the reasons `ma-cli eligible` gives (engine.Prepared._traced):

- `not_eligible`: a failed requirement ("says: what it read"), else the nearest missed route
  with the first condition that rules it out ("route: says: what it read"); the nearest route
  is the one that merely has not opened yet, then the fewest failed conditions, then the most
  that hold on facts given (not assumed), first in rule-file order (engine._nearness);
- `review`: the first thing to check on the route reported: a fact the profile does not give or
  a low-confidence rule that fails; else the route's own review note; else a low-confidence rule
  the answer rests on (the route's own before a requirement's). Among the trace's reasons, but
  not always its first: the trace lists requirements first, and "met, but low-confidence" for a
  requirement every route shares says little about what to check.

Batch gets it without the trace: which condition to name is found with the compiled conditions
(compiled.py), and only that one condition is run the traced way, for its words. Where the
compiled counts tie, the routes that tie are judged the traced way (engine.Prepared.route_result), so
the line is always the trace's. tests/test_compiled.py holds it equal to the line picked from the trace.
"""

from __future__ import annotations

from ma_cli.inputs.profile import Profile
from ma_cli.language.conditions import FAIL, PASS, UNKNOWN, Context, reader
from ma_cli.language.kinds import KINDS, may_assume, runner
from ma_cli.language.verdicts import records
from ma_cli.reasoning.engine import ELIGIBLE, NOT_ELIGIBLE, Prepared, condition_result


class Why:
    """`line(profile, answer)` for one credential and as-of day; made once per batch run."""

    def __init__(self, prepared: Prepared):
        self.prepared, self.cred, self.as_of = prepared, prepared.cred, prepared.as_of
        # the compiled conditions batch's decision asked (a costly one answers again from memory)
        parts = prepared.decider().parts
        self.requires = parts[None]
        self.routes = tuple((r, parts[r.id]) for r, conds in prepared.routes if conds is not None)
        # per route, its compiled conditions, whether each can pass on a fact the profile does not give
        # (engine: `assumed`; the tie-break below) and its place in the rule file, cheap ones first (as the
        # decision asks them): a route left early is left before its costly questions
        self._route_runs = tuple(sorted(((cond, run, may_assume(cond), n) for n, (cond, run) in enumerate(conds)),
                                        key=lambda t: (KINDS[t[0].kind].cost, t[3]))
                                 for _, conds in self.routes)
        self._words: dict = {}  # (condition, the values it read) -> its traced result (bounded)
        self._reads: dict = {}  # id(condition) -> the readers of the values its words depend on alone, or ()

    def line(self, profile: Profile, answer: tuple) -> str | None:
        status, route = answer[0], answer[1]
        if status == ELIGIBLE:
            return None
        if status == NOT_ELIGIBLE:
            return self._no(profile)
        return self._review(profile, route)

    # --- words for one condition, as the trace has them --------------------------------------

    def _result(self, cond, item=None, profile: Profile = None):
        key = None
        reads = self._reads.get(id(cond))
        if reads is None:
            reads = self._reads[id(cond)] = _reads(cond)
        if reads:  # its words depend on the values it reads (and the day) alone
            as_of = self.as_of
            key = (id(cond),) + tuple(_hashable(read(profile, item, as_of)) for read in reads)
            known = self._words.get(key)
            if known is not None:
                return known
        result = condition_result(self.cred, cond, runner(cond)(Context(profile, self.as_of, item)))
        if key is not None:
            if len(self._words) >= 1024:
                self._words.clear()
            self._words[key] = result
        return result

    # --- not eligible ------------------------------------------------------------------------

    def _no(self, profile: Profile) -> str:
        day = self.as_of
        failing_requires: list = []
        for cond, run in self.requires:
            status, opens, _, _ = run(profile, None, day)
            if status != PASS:
                failing_requires.append(opens)
                if status == FAIL and cond.meta.confidence != "low":
                    r = self._result(cond, None, profile)
                    return f"{r.says}: {r.observed}"
        if not self.routes:
            return f"the rule set has no eligibility route for {self.cred.name} in force on {day}"
        # the nearest miss (engine._nearness), first by what the compiled conditions tell
        # a route is left once it surely ranks behind the nearest so far: its failures only add up, and a
        # failure that opens on no date keeps it from opening later (its key can only grow)
        keyed = []
        nearest = None  # the least key so far among the routes ranked here
        for i, (route, _) in enumerate(self.routes):
            items = records(route, profile)
            if not items:
                keyed.append(((True, 99), i, None))
                if nearest is None or (True, 99) < nearest:
                    nearest = (True, 99)
                continue
            if len(items) > 1:
                keyed.append((None, i, None))  # several records: judged the traced way below
                continue
            fails, opens_all, latest = 0, True, None
            for opens in failing_requires:
                if opens is None:
                    opens_all = False
                elif latest is None or opens > latest:
                    latest = opens
            first_hard, first_at = None, -1  # the first (in rule-file order) that rules the route out
            held, assumable = 0, []  # conditions met: surely, and those perhaps on an assumed fact (the tie-break)
            for cond, run, assumes, at in self._route_runs[i]:
                status, opens, _, _ = run(profile, items[0], day)
                if status == PASS:
                    if assumes:
                        assumable.append(cond)
                    else:
                        held += 1
                    continue
                fails += 1
                if opens is None:
                    opens_all = False
                elif latest is None or opens > latest:
                    latest = opens
                if nearest is not None and (not opens_all, fails) > nearest:
                    break
                if status == FAIL and (first_hard is None or at < first_at) and cond.meta.confidence != "low":
                    first_hard, first_at = cond, at
            else:
                opens_later = opens_all and (failing_requires or fails) and latest is not None
                key = (not opens_later, fails)
                keyed.append((key, i, (items[0], first_hard, held, assumable)))
                if nearest is None or key < nearest:
                    nearest = key
        traced = {}
        for k, (key, i, _) in enumerate(keyed):
            if key is None:  # several records: the trace's own route result
                r = self._traced_route(profile, i)
                traced[i] = r
                keyed[k] = ((r.opens is None, _fails(r)), i, None)
        best = min(key for key, _, _ in keyed)
        tied = [(i, found) for key, i, found in keyed if key == best]
        if len(tied) > 1:  # the trace breaks the tie by the conditions met on facts given
            def passes(i, found):
                if i in traced or found is None:
                    r = traced.get(i) or self._traced_route(profile, i)
                    traced[i] = r
                    return -sum(c.status == PASS and not c.assumed for c in r.conditions)
                item, _, held, assumable = found
                # a fact the profile does not give but the rule assumes proves nothing
                return -(held + sum(not self._result(cond, item, profile).assumed for cond in assumable))

            tied.sort(key=lambda t: (passes(*t), t[0]))
        i, found = tied[0]
        route = self.routes[i][0]
        if i in traced:
            r = traced[i]
            return f"{route.name}: {r.reasons[0]}"
        if found is None:
            return f"{route.name}: no {route.over} in the profile"
        item, cond, _, _ = found
        r = self._result(cond, item, profile)
        return f"{route.name}: {r.says}: {r.observed}"

    def _traced_route(self, profile: Profile, index: int, with_requires: bool = False):
        r, requires = self.prepared.traced_route(profile, self.routes[index][0])
        return (r, requires) if with_requires else r

    # --- review ------------------------------------------------------------------------------

    def _review(self, profile: Profile, route) -> str | None:
        index = next(i for i, (r, _) in enumerate(self.routes) if r is route)
        items = records(route, profile)
        if len(items) > 1:  # several records: the trace's own route result, read as below
            r, requires = self._traced_route(profile, index, with_requires=True)
            return _pick(route, requires, r.conditions)
        item = items[0]
        day = self.as_of
        # first a fact to give or a low-confidence rule that fails; then the route's own review note;
        # then a low-confidence rule the answer rests on, the route's before the requirements'
        met_low = {}  # requirements (0) and the route's own (1): the first low-confidence rule met
        for part, (conds, on) in enumerate(((self.requires, None), (self.routes[index][1], item))):
            for cond, run in conds:
                status, _, _, alt_low = run(profile, on, day)
                if status == PASS:
                    if (alt_low or cond.meta.confidence == "low") and part not in met_low:
                        met_low[part] = (cond, on)
                    continue
                r = self._result(cond, on, profile)
                if r.status == FAIL:
                    return f"{r.says}: {r.observed} (low-confidence rule: check with the certifying body)"
                return f"{r.says}: {r.observed} (needs a person to check)"
        if route.review:
            return route.review
        if met_low:
            r = self._result(*met_low.get(1, met_low.get(0)), profile=profile)
            return f"{r.says}: met, but the source is low-confidence ({r.note or 'verify before relying on it'})"
        return f"{route.name}: the sources for this route are low-confidence; verify with the certifying body"


def _pick(route, requires, conditions) -> str:
    """The review line from traced condition results (the order Why._review follows)."""
    for c in list(requires) + list(conditions):
        if c.status == FAIL:
            return f"{c.says}: {c.observed} (low-confidence rule: check with the certifying body)"
        if c.status == UNKNOWN:
            return f"{c.says}: {c.observed} (needs a person to check)"
    if route.review:
        return route.review
    for c in list(conditions) + list(requires):
        if c.confidence == "low":
            return f"{c.says}: met, but the source is low-confidence ({c.note or 'verify before relying on it'})"
    return f"{route.name}: the sources for this route are low-confidence; verify with the certifying body"


def _reads(cond) -> tuple:
    """The readers of the values a condition's words depend on alone (with the day), or () when its
    words depend on more."""
    if not KINDS[cond.kind].reads_fields_only:
        return ()
    return tuple(reader(f) for f in (cond.params["field"], cond.params.get("other")) if f)


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _fails(r) -> int:
    return sum(c.status != PASS for c in r.conditions) if r.conditions else 99


__all__ = ["Why"]
