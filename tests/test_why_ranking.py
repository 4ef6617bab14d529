"""Why ranks the nearest miss of a "no" in the order batch asks: the decision first, then the line, person
after person with one decider and one Why per credential and day.

Routes over one record are ranked by their compiled outcomes and those over several records by their
traced results, all into one least key and the routes tied at it; people with several programs or
military records mix the two. The line is the trace's first reason either way.
"""

from hypothesis import given, settings, strategies as st

import test_compiled
from ma_cli.reasoning.engine import ELIGIBLE, Prepared, evaluate_credential
from test_compiled import CREDS, day_and_profile, traced_why


@settings(max_examples=80, deadline=None)
@given(st.lists(day_and_profile(), min_size=2, max_size=6))
def test_a_stream_decided_then_worded_gets_the_traced_lines(cases):
    from ma_cli.reasoning.why import Why

    as_of = cases[0][0]
    test_compiled.d_day[0] = as_of  # (traced_why reads the day the rules are in force)
    made = [(cred, prepared.decider(), Why(prepared)) for cred, prepared in ((c, Prepared(c, as_of)) for c in CREDS)]
    for _, profile in cases + cases[::-1]:
        for cred, decide, why in made:
            answer = decide(profile)  # (the decision just made hands over what it found to the line)
            line = why.line(profile, answer) if answer[0] != ELIGIBLE else None
            assert line == traced_why(evaluate_credential(cred, profile, as_of), cred), cred.id


def test_a_large_roster_words_each_value_once(monkeypatch):
    """Why remembers a condition's words by its words key for a roster's worth of values: 450 people, each
    with a program completed on a day of their own, worded a second time ask no condition the traced way
    again (a bound of 256 values cleared the words of the first before they came round again)."""
    from datetime import date, timedelta

    import ma_cli.reasoning.why as why_module
    from ma_cli.inputs.profile import Profile, Program
    from ma_cli.language.kinds import words_key

    as_of = date(2026, 11, 23)
    traced = [0]
    plain_runner = why_module.runner

    def counted(cond):
        run = plain_runner(cond)

        def counting(ctx):
            traced[0] += words_key(cond) is not None  # (a condition without a key is always asked)
            return run(ctx)

        return counting

    monkeypatch.setattr(why_module, "runner", counted)
    people = [Profile(age=30, programs=(Program("caahep", completed=date(2015, 1, 1) + timedelta(days=n)),))
              for n in range(450)]
    worded = 0
    for cred in CREDS:
        prepared = Prepared(cred, as_of)
        decide, why = prepared.decider(), why_module.Why(prepared)
        before = traced[0]
        first = [why.line(p, decide(p)) for p in people]
        asked = traced[0]
        worded = max(worded, asked - before)
        assert [why.line(p, decide(p)) for p in people] == first, cred.id
        assert traced[0] == asked, cred.id
    assert worded >= 450  # (a credential whose line quotes each person's own date)
