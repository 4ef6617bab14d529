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
