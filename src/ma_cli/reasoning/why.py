"""One short line saying why an answer is not `eligible`, for batch (`<cred>_why`).

The line is one of the reasons `ma-cli eligible` gives (engine.Prepared._traced):

- `not_eligible`: a failed requirement ("says: what it read"), else the nearest missed route
  with the first condition that rules it out ("route: says: what it read"); the nearest route
  is the one that merely has not opened yet, then the fewest failed conditions, then the most
  that hold on facts given (not assumed), first in rule-file order (engine._nearness);
- `review`: the first thing to check on the route reported: a fact the profile does not give or
  a low-confidence rule that fails; else the route's own review note; else a low-confidence rule
  the answer rests on (the route's own before a requirement's). Among the trace's reasons, but
  not always its first: the trace lists requirements first, and "rests on a low-confidence source" for a
  requirement every route shares says little about what to check.

Batch gets it without the trace: which condition to name is found with the compiled conditions
(compiled.py), and only that one condition is run the traced way, for its words. Where the
compiled counts tie, the routes that tie are judged the traced way (engine.Prepared.route_result), so
the line is always the trace's. tests/test_compiled.py holds it equal to the line picked from the trace.

The decision batch makes just before (compiled.py) tried every route of a "no" and hands over which
routes open later and whether a requirement rules them all out (the decider's `missed`): the
requirements are then asked only to word the one that does, the first part of each route's rank is then known
without tracking the days its conditions open, a route that does not open is out of the running
when another does, and a route is left as soon as its failures outnumber the nearest's. Asked
without that decision, the ranking works it out itself, to the same line.

A roster repeats values, so a condition's words are remembered by the value of its kind's words key
(kinds.words_key: what the words depend on, with the day), per condition and bounded, and whether a
condition that holds did so on an assumed fact (the tie-break) by its assumed key (kinds.assumed_key:
often just whether the fact is missing); a question several routes ask of one record is asked once a row.
"""

from __future__ import annotations

from ma_cli.inputs.profile import Profile
from ma_cli.language.conditions import FAIL, PASS, UNKNOWN, Check, Context
from ma_cli.language.kinds import KINDS, assumed_key, is_group, may_assume, question, runner, sureness_key, words_key
from ma_cli.language.verdicts import confidence_of, low_source_words, record_place, records
from ma_cli.reasoning.engine import ELIGIBLE, NOT_ELIGIBLE, Prepared, passed_on_assumption, says

# traced results remembered per condition, cleared when full (never stale: pure values). Room for a large
# roster's values: a condition's words key holds the day and a date, and at 256 a 20,000-row roster
# cleared the words of a window's dates before they came round again (over a quarter of the misses). Not
# more: at 4,096 a 100,000-row run peaked at 35 MiB, over issue 16's 30 (512: 28 MiB, as at 256)
_MEMO_MAX = 512
_NEVER = 1 << 30  # more failures than any route has
_UNSET = object()  # not remembered (a remembered note may be None)
_NO_SUBCHECKS = Check(PASS, "")  # what confidence_of reads of a condition that is not a group's answer


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
        # decision asks them): a route left early is left before its costly questions; with its own confidence
        # low, and the number of its question: routes over the same record asking the same question (of the
        # same confidence, as compiled.py shares them) get the same outcome, asked once a row (_no)
        questions: dict = {}
        self._decided = prepared.decider().missed  # (see _no)
        # the conditions that can pass on a fact not given (engine: `assumed`): the tie-break below, and only
        # their review line may say what was assumed
        self._may_assume = {id(c) for c, _ in self.requires + tuple(c for _, cs in self.routes for c in cs)
                            if may_assume(c)}
        self._route_runs = tuple(sorted(((cond, run, id(cond) in self._may_assume, n, cond.meta.confidence == "low",
                                          questions.setdefault((r.over, cond.meta.confidence, question(cond)),
                                                               len(questions)))
                                         for n, (cond, run) in enumerate(conds)),
                                        key=lambda t: (KINDS[t[0].kind].cost, t[3]))
                                 for r, conds in self.routes)
        self._questions = len(questions)
        # the order _no ranks routes in: the fewest conditions first, so the nearest miss so far is soon a
        # close one and the routes after it are left early (a tie is broken by rule-file order all the same);
        # each as (its place, its compiled conditions as _route_runs has them, and which of a person's records it
        # looks at as compiled.py's decision tells them: 0 the person alone, 1 the programs, 2 the military
        # records; verdicts.records without a call per route and row)
        self._visit = tuple((i, self._route_runs[i], record_place(self.routes[i][0]))
                            for i in sorted(range(len(self.routes)), key=lambda i: len(self.routes[i][1])))
        # per route, what _review asks in order: the requirements, then the route's own conditions (own), with
        # whether each is of low confidence
        self._review_runs = tuple(tuple((c, run, False, c.meta.confidence == "low") for c, run in self.requires)
                                  + tuple((c, run, True, c.meta.confidence == "low") for c, run in conds)
                                  for _, conds in self.routes)
        self._index = {id(r): i for i, (r, _) in enumerate(self.routes)}  # route -> its place (by identity)
        self._require_runs = tuple((cond, run, cond.meta.confidence == "low") for cond, run in self.requires)
        # per condition (by identity: each is held by `prepared`), its words key (kinds.words_key) and, by its
        # value, the (status, words) of its traced result; its `assumed` key (kinds.assumed_key: often coarser,
        # whether a fact is missing) and, by its value, the `assumed` of its traced result; and a group's sureness
        # key (kinds.sureness_key: which alternatives hold) and, by its value, the note of how sure it holds. Each
        # bounded on its own: a condition whose values rarely repeat (a date) does not push out the words of one
        # whose values do
        self._memo = {id(c): (words_key(c), {}, assumed_key(c), {},
                              sureness_key(c, self.as_of) if is_group(c) else None, {})
                      for c, _ in self.requires + tuple(c for _, cs in self.routes for c in cs)}

    def line(self, profile: Profile, answer: tuple) -> str | None:
        status, route = answer[0], answer[1]
        if status == ELIGIBLE:
            return None
        if status == NOT_ELIGIBLE:
            return self._no(profile)
        return self._review(profile, route)

    # --- words for one condition, as the trace has them --------------------------------------

    def _said(self, cond, item, profile: Profile) -> tuple:
        """(status, what it looked at in words): the condition's traced result as the line quotes it."""
        key_of, said, _, _, _, _ = self._memo[id(cond)]
        if key_of is None:
            check = runner(cond)(Context(profile, self.as_of, item))
            return check.status, check.observed
        key = key_of(profile, item, self.as_of)  # its words depend on this value (and the day) alone
        known = said.get(key)
        if known is None:
            check = runner(cond)(Context(profile, self.as_of, item))
            known = check.status, check.observed
            if len(said) >= _MEMO_MAX:
                said.clear()
            said[key] = known
        return known

    def _assumed(self, cond, item, profile: Profile) -> bool:
        """Whether the condition passed on a fact the profile does not give (the traced result's
        `assumed`): its outcome, without its words."""
        _, _, key_of, assumed, _, _ = self._memo[id(cond)]
        if key_of is None:
            return passed_on_assumption(runner(cond)(Context(profile, self.as_of, item)))
        key = key_of(profile, item, self.as_of)
        known = assumed.get(key)
        if known is None:
            known = passed_on_assumption(runner(cond)(Context(profile, self.as_of, item)))
            if len(assumed) >= _MEMO_MAX:
                assumed.clear()
            assumed[key] = known
        return known

    def _note(self, cond, item, profile: Profile) -> str | None:
        """The note confidence_of gives a condition that holds: for a group (any_of), read from its traced
        result (how sure its holding alternatives are), remembered by its sureness key; for any other, its
        rule's own (no sub-answers, so its traced answer is not asked)."""
        if not is_group(cond):
            return confidence_of(cond, _NO_SUBCHECKS)[1]
        _, _, _, _, key_of, notes = self._memo[id(cond)]
        if key_of is None:
            return confidence_of(cond, runner(cond)(Context(profile, self.as_of, item)))[1]
        key = key_of(profile, item, self.as_of)
        note = notes.get(key, _UNSET)  # (a note may be None)
        if note is not _UNSET:
            return note
        note = confidence_of(cond, runner(cond)(Context(profile, self.as_of, item)))[1]
        if len(notes) >= _MEMO_MAX:
            notes.clear()
        notes[key] = note
        return note

    # --- not eligible ------------------------------------------------------------------------

    def _no(self, profile: Profile) -> str:
        day = self.as_of
        failing_requires = False  # a requirement fails (only doubting the routes: a hard failure is the line)
        latest = None  # the latest day a failing requirement opens
        # the decision just made for this person (batch asks it first): which routes open later, and whether
        # a requirement fails for sure (else none is worth asking: which open later is known)
        missed = self._decided(profile)
        opening = None if missed is None else missed[0]
        if missed is None or missed[1]:
            for cond, run, low in self._require_runs:
                status, opens, _, _ = run(profile, None, day)
                if status != PASS:
                    if status == FAIL and not low:
                        return f"{says(cond)}: {self._said(cond, None, profile)[1]}"
                    failing_requires = True  # (a doubt, which keeps no route shut: engine._opens)
                    if opens is not None and (latest is None or opens > latest):
                        latest = opens
        if not self.routes:
            return f"the rule set has no eligibility route for {self.cred.name} in force on {day}"
        # the nearest miss (engine._nearness), first by what the compiled conditions tell
        # a route is left once it surely ranks behind the nearest so far: its failures only add up, and a
        # failure that opens on no date keeps it from opening later (its key can only grow)
        # with the decision's routes that open later, a route's key starts known: a route that does not open
        # is out of the running when another does, and a route is left once its failures outnumber the nearest's.
        # Every route ranked here then shares the key's first part, so the failures alone are compared (least)
        nearest = None  # the least key so far among the routes ranked here ...
        tied: list = []  # ... and those at it, (place, what to word), in the order ranked
        least = _NEVER  # with the decision's routes: nearest's failures
        several = []  # routes over several records: judged the traced way below
        # a question several routes ask of the one record they look at is asked once (see _route_runs)
        outcomes: list = [None] * self._questions
        looked_at = ((None,), profile.programs, profile.military)  # by _visit's place
        for i, runs, over in self._visit:
            if opening is not None:
                known: bool | None = i not in opening  # the key's first part: the route does not open later
                if known and opening:
                    continue  # ranks behind every route that opens later
            else:
                known = None
            items = looked_at[over]
            if not items:
                key: tuple | None = (True, 99)
                found = None
            elif len(items) > 1:
                several.append(i)
                continue
            else:
                item = items[0]
                key = None  # (left early: ranks behind the nearest)
                fails, opens_all, route_latest = 0, True, latest
                first_hard, first_at = None, -1  # the first (in rule-file order) that rules the route out
                held, assumable = 0, ()  # conditions met: surely, and those perhaps on an assumed fact (the tie-break)
                for cond, run, assumes, at, low, asked in runs:
                    outcome = outcomes[asked]
                    if outcome is None:
                        outcome = outcomes[asked] = run(profile, item, day)
                    status = outcome[0]
                    if status == PASS:
                        if assumes:
                            assumable += (cond,)
                        else:
                            held += 1
                        continue
                    fails += 1
                    if known is None:
                        opens = outcome[1]
                        if opens is not None:
                            if route_latest is None or opens > route_latest:
                                route_latest = opens
                        elif status == FAIL and not low:
                            opens_all = False  # (a failure for sure with no day: engine._opens)
                        if nearest is not None and (not opens_all, fails) > nearest:
                            break
                    elif fails > least:
                        break
                    if status == FAIL and (first_hard is None or at < first_at) and not low:
                        first_hard, first_at = cond, at
                else:
                    if known is None:
                        key = (not (opens_all and (failing_requires or fails) and route_latest is not None), fails)
                    else:
                        key = (known, fails)
                    found = (item, first_hard, held, assumable)
                if key is None:
                    continue
            if nearest is None or key < nearest:
                nearest, tied = key, [(i, found)]
                if known is not None:
                    least = key[1]
            elif key == nearest:
                tied.append((i, found))
        traced = {}
        for i in several:  # the trace's own route result
            r = traced[i] = self._traced_route(profile, i)
            key = (r.opens is None, _fails(r))
            if nearest is None or key < nearest:
                nearest, tied = key, [(i, None)]
            elif key == nearest:
                tied.append((i, None))
        if len(tied) > 1:  # the trace breaks the tie by the most conditions met on facts given, then rule-file order
            # (a loop rather than min() with a key function: a tie comes up in most "no" rows)
            best, best_key = tied[0], None
            for t in tied:
                i, found = t
                if i in traced or found is None:
                    r = traced.get(i) or self._traced_route(profile, i)
                    traced[i] = r
                    given = sum(c.status == PASS and not c.assumed for c in r.conditions)
                else:
                    item, _, given, assumable = found
                    if assumable:  # a fact the profile does not give but the rule assumes proves nothing
                        given += sum(not self._assumed(cond, item, profile) for cond in assumable)
                if best_key is None or (-given, i) < best_key:
                    best, best_key = t, (-given, i)
            tied[0] = best
        i, found = tied[0]
        route = self.routes[i][0]
        if i in traced:
            r = traced[i]
            return f"{route.name}: {r.reasons[0]}"
        if found is None:
            return f"{route.name}: no {route.over} in the profile"
        item, cond, _, _ = found
        return f"{route.name}: {says(cond)}: {self._said(cond, item, profile)[1]}"

    def _traced_route(self, profile: Profile, index: int, with_requires: bool = False):
        r, requires = self.prepared.traced_route(profile, self.routes[index][0])
        return (r, requires) if with_requires else r

    # --- review ------------------------------------------------------------------------------

    def _review(self, profile: Profile, route) -> str | None:
        index = self._index[id(route)]
        items = records(route, profile)
        if len(items) > 1:  # several records: the trace's own route result, read as below
            r, requires = self._traced_route(profile, index, with_requires=True)
            return _pick(route, requires, r.conditions)
        item = items[0]
        day = self.as_of
        # first a fact to give or a low-confidence rule that fails; then the route's own review note;
        # then a low-confidence rule the answer rests on, the route's before the requirements'
        met_low = met_low_own = None  # the first low-confidence rule met: of the requirements, of the route
        for cond, run, own, low in self._review_runs[index]:
            on = item if own else None
            status, _, _, alt_low = run(profile, on, day)
            if status == PASS:
                if alt_low or low:
                    if own:
                        if met_low_own is None:
                            met_low_own = cond
                    elif met_low is None:
                        met_low = cond
                continue
            status, observed = self._said(cond, on, profile)
            if status == FAIL:
                return f"{says(cond)}: {observed} (low-confidence rule: check with the certifying body)"
            return f"{says(cond)}: {observed} (needs a person to check)"
        if route.review:
            return route.review
        if met_low_own is not None or met_low is not None:
            cond, on = (met_low_own, item) if met_low_own is not None else (met_low, None)
            # (what it looked at is not said: only how sure its source is, which the outcome alone tells)
            note = self._note(cond, on, profile)
            seen = (self._said(cond, on, profile)[1]
                    if id(cond) in self._may_assume and self._assumed(cond, on, profile) else None)
            return low_source_words(says(cond), note, seen)
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
            return low_source_words(c.says, c.note, c.observed if c.assumed else None)
    return f"{route.name}: the sources for this route are low-confidence; verify with the certifying body"


def _fails(r) -> int:
    return sum(c.status != PASS for c in r.conditions) if r.conditions else 99


__all__ = ["Why"]
