"""The floor: CMA (AAMA) eligibility hand-written in plain Python, for one profile.

The same answer as the engine with rules/cma.yaml (status, route, deadline, earliest), with
the rule numbers typed in and no trace, no sources, no reasons: the fastest honest version
of the same evaluation. bench/run.py checks it agrees with the engine on every row before
timing either. Not used by ma-cli itself.
"""

from __future__ import annotations

from datetime import date, timedelta

from ma_cli.base.dates import add_months

ACCREDITED = ("caahep", "abhes")
RECOGNIZED = ("caahep", "abhes", "institutional")
AWARDS = ("diploma", "certificate", "associate")
_RANK = {"eligible": 0, "review": 1, "not_eligible": 2}
ONE_DAY = timedelta(days=1)


def _hours_after(profile, after: date, as_of: date) -> float:
    start, end = after + ONE_DAY, as_of + ONE_DAY
    hours = 0.0
    for job in profile.work:
        if job.role != "medical-assistant":
            continue
        hi = min(job.end + ONE_DAY if job.end else end, end)
        lo = max(job.start, start)
        if hi > lo:
            hours += (hi - lo).days / 7 * job.hours_per_week
    return hours


def cma(profile, as_of: date):
    """-> (status, route, deadline, earliest) exactly as the engine answers for CMA."""
    barred = profile.failed_attempts.get("cma", 0) > 2  # a hard fail shared by every route
    routes = []  # (route id, status, deadline, opens) in rule-file order
    for rid in ("cat1-student", "cat1-graduate", "cat2-nonrecent"):
        best = None
        for p in profile.programs:
            fails, opens, closes = 0, [], None
            if p.accreditation not in ACCREDITED:
                fails += 1
            end, since = p.end, p.accredited_since
            if end is not None and since is not None and end < add_months(since, -36):
                fails += 1
            if rid == "cat1-student":
                if p.expected is None:
                    fails += 2  # `present` and the window both fail
                else:
                    start = p.expected - timedelta(days=30)
                    if as_of < start:
                        fails, opens = fails + 1, opens + [start]
                    elif as_of > p.expected:
                        fails += 1
                    else:
                        closes = p.expected
            elif p.completed is None:
                fails += 1
            elif rid == "cat1-graduate":
                last = add_months(p.completed, 12)
                if as_of < p.completed:
                    fails, opens = fails + 1, opens + [p.completed]
                elif as_of > last:
                    fails += 1
                else:
                    closes = last
            else:
                start = add_months(p.completed, 12) + ONE_DAY
                if as_of < start:
                    fails, opens = fails + 1, opens + [start]
            status = "not_eligible" if fails or barred else "eligible"
            # a route opens later only if every failing condition (the shared requirement too) is a window not open yet
            route_opens = max(opens) if fails and len(opens) == fails and not barred else None
            cand = (rid, status, closes if status != "not_eligible" else None, route_opens, fails)
            if best is None or _better(cand, best):
                best = cand
        routes.append(best or (rid, "not_eligible", None, None, 99))
    held = any(h.credential == "cma" for h in profile.held)
    routes.append(("cat3-recertificant", "eligible" if held and not barred else "not_eligible", None, None,
                   0 if held else 1))
    best = None
    for p in profile.programs:
        hard = unknown = 0
        if p.accreditation not in RECOGNIZED:
            hard += 1
        if not (p.postsecondary or p.apprenticeship):
            hard += 1
        if p.completed is None:
            hard += 1
        for value, need, low in ((p.academic_hours, 560, False), (p.injections, 10, True),
                                 (p.venipunctures, 10, True)):
            if value is None:
                unknown += 1
            elif value < need:  # the skill counts are low-confidence rules: a shortfall is for a person to check
                if low:
                    unknown += 1
                else:
                    hard += 1
        if p.award is None:
            unknown += 1
        elif p.award not in AWARDS:
            hard += 1
        if p.externship_hours is not None and p.externship_hours >= 160:
            pass
        elif p.completed is not None and _hours_after(profile, p.completed, as_of) >= 1000:
            pass
        elif p.externship_hours is None:
            unknown += 1
        else:
            hard += 1
        # at best a review: an answer resting on the low-confidence skill counts is for a person to check
        status = "not_eligible" if hard or barred else "review"
        cand = ("cat4-alternative", status, None, None, hard + unknown)
        if best is None or _better(cand, best):
            best = cand
    routes.append(best or ("cat4-alternative", "not_eligible", None, None, 99))
    best = None  # a student whose expected date has passed: graduated or delayed, a person to ask
    for p in profile.programs:
        fails, opens = 0, None
        if p.accreditation not in ACCREDITED:
            fails += 1
        if p.expected is None:
            fails += 1
        elif as_of <= p.expected:
            fails, opens = fails + 1, p.expected + ONE_DAY
        status = "not_eligible" if fails or barred else "review"
        cand = ("cat1-student-date-passed", status, None, opens if fails == 1 and opens and not barred else None,
                fails)
        if best is None or _better(cand, best):
            best = cand
    routes.append(best or ("cat1-student-date-passed", "not_eligible", None, None, 99))
    for status in ("eligible", "review"):
        chosen = None
        for r in routes:
            if r[1] == status and (chosen is None or (r[2] or date.max) > (chosen[2] or date.max)):
                chosen = r
        if chosen:
            return status, chosen[0], chosen[2], None
    return "not_eligible", None, None, min((r[3] for r in routes if r[3]), default=None)


def _better(a, b) -> bool:
    if _RANK[a[1]] != _RANK[b[1]]:
        return _RANK[a[1]] < _RANK[b[1]]
    if a[1] == "not_eligible":
        return a[4] < b[4]
    return (a[2] or date.max) > (b[2] or date.max)
