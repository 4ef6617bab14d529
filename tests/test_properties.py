"""Engine invariants over generated profiles (dates pinned around 2026), with the bundled rules.

- adding work history never makes any route (experience routes above all) worse: an
  `eligible` never becomes `not_eligible`, nor a `review` a `not_eligible`;
- the answer does not depend on the order of programs, military records or work periods;
- evaluation is deterministic;
- every status is one of the three answers.
"""

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from ma_cli.base.frozen import replace
from ma_cli.inputs.profile import ACCREDITATIONS, AWARDS, STUDY_FIELDS, Held, Military, Profile, Program, Work
from ma_cli.reasoning.engine import ELIGIBLE, NOT_ELIGIBLE, REVIEW, evaluate
from ma_cli.ruleset.rules_validate import load_rules

RULES = load_rules(None)
CREDS = list(RULES.credentials.values())
RANK = {ELIGIBLE: 0, REVIEW: 1, NOT_ELIGIBLE: 2}
SETTINGS = settings(max_examples=150, deadline=None)

days = st.dates(min_value=date(2016, 1, 1), max_value=date(2027, 12, 31))
as_ofs = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
hours = st.one_of(st.none(), st.integers(min_value=0, max_value=1200))


@st.composite
def programs(draw):
    end = draw(days)
    finished = draw(st.booleans())
    return Program(
        accreditation=draw(st.sampled_from(ACCREDITATIONS)),
        completed=end if finished else None,
        expected=None if finished else end,
        accredited_since=draw(st.one_of(st.none(), days)),
        academic_hours=draw(hours),
        externship_hours=draw(hours),
        postsecondary=draw(st.booleans()),
        award=draw(st.one_of(st.none(), st.sampled_from(AWARDS))),
        injections=draw(st.one_of(st.none(), st.integers(0, 20))),
        venipunctures=draw(st.one_of(st.none(), st.integers(0, 20))),
        field=draw(st.sampled_from(("medical-assisting",) * 3 + STUDY_FIELDS[1:])),
        clinical=draw(st.sampled_from((None, True, False))),
    )


@st.composite
def militaries(draw):
    end = draw(days)
    return Military(completed=end) if draw(st.booleans()) else Military(expected=end)


@st.composite
def jobs(draw):
    start = draw(days)
    length = draw(st.integers(min_value=0, max_value=3000))
    return Work(
        role=draw(st.sampled_from(("medical-assistant", "medical-assistant", "instructor", "phlebotomy-technician",
                                   "ophthalmic-assistant", "medical-administrative", "ekg-technician"))),
        start=start,
        end=draw(st.sampled_from((None, start + timedelta(days=length)))),
        hours_per_week=float(draw(st.sampled_from((10, 20, 32, 40, 60)))),
        supervised=draw(st.sampled_from((None, True, False))),
    )


@st.composite
def profiles(draw):
    return Profile(
        age=draw(st.one_of(st.none(), st.integers(min_value=15, max_value=70))),
        high_school=draw(st.one_of(st.none(), st.booleans(), days)),
        programs=tuple(draw(st.lists(programs(), max_size=3))),
        military=tuple(draw(st.lists(militaries(), max_size=2))),
        work=tuple(draw(st.lists(jobs(), max_size=4))),
        held=tuple(Held(c) for c in draw(st.lists(st.sampled_from(("cma", "ccma", "rma")), max_size=1))),
        failed_attempts={"cma": draw(st.integers(min_value=0, max_value=3))},
    )


def answers(decisions):
    """What a user relies on: status, route, the dates that matter."""
    return [(d.credential, d.status, d.route, d.deadline, d.opens) for d in decisions]


@SETTINGS
@given(profiles(), st.lists(jobs(), min_size=1, max_size=3), as_ofs)
def test_more_work_never_makes_a_route_worse(profile, extra, as_of):
    before = evaluate(profile, CREDS, as_of)
    after = evaluate(replace(profile, work=profile.work + tuple(extra)), CREDS, as_of)
    for b, a in zip(before, after):
        assert RANK[a.status] <= RANK[b.status], (b.credential, b.reasons, a.reasons)
        for rb, ra in zip(b.routes, a.routes):
            assert RANK[ra.status] <= RANK[rb.status], (b.credential, rb.id, rb.reasons, ra.reasons)


@SETTINGS
@given(profiles(), as_ofs, st.randoms(use_true_random=False))
def test_order_of_programs_military_and_work_does_not_matter(profile, as_of, rnd):
    shuffled = [list(profile.programs), list(profile.military), list(profile.work)]
    for items in shuffled:
        rnd.shuffle(items)
    other = replace(profile, programs=tuple(shuffled[0]), military=tuple(shuffled[1]), work=tuple(shuffled[2]))
    assert answers(evaluate(other, CREDS, as_of)) == answers(evaluate(profile, CREDS, as_of))


@SETTINGS
@given(profiles(), as_ofs)
def test_evaluation_is_deterministic_and_answers_are_one_of_three(profile, as_of):
    first = evaluate(profile, CREDS, as_of)
    assert first == evaluate(profile, CREDS, as_of)
    assert [d.credential for d in first] == list(RULES.credentials)
    for d in first:
        assert d.status in (ELIGIBLE, NOT_ELIGIBLE, REVIEW)
        assert (d.route is None) == (d.status == NOT_ELIGIBLE)
        assert d.reasons
