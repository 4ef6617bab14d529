"""The renewal engine: renewal rules + (re)certification date + as-of date (+ CE log) -> status.

Pure: no printing, no files, no CLI. Credential names never appear here; every number comes
from the compiled `renewal:` parameters (renewal_rules.py), and every parameter used is cited
in the answer.

Which version of a parameter applies:
- `period` (cycle length and anchor): the version in force on the period start;
- every other parameter: the version in force on the due date, except
- `ce_kinds`: the version in force on the day the entry was earned.

Status: `current` before the due date and more than warn-days away; `due_soon` within
warn-days; `grace` after the due date but inside the grace window; `lapsed` after it (or at
once when the sources give no grace); `review` when the sources do not settle the answer
(unknown grace, a low-confidence rule, no rule in force for the period).
A date known only to the month or year gives a range of due dates; the plan uses the earliest
due date and counts CE only from the latest possible period start (both the safe side).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from ma_cli.celog import CeEntry
from ma_cli.dates import Offset, PartialDate, end_of_month
from ma_cli.errors import InputError
from ma_cli.renewal_rules import Param, RenewalRules

CURRENT, DUE_SOON, GRACE, LAPSED, REVIEW = "current", "due_soon", "grace", "lapsed", "review"
STATUSES = (CURRENT, DUE_SOON, GRACE, LAPSED, REVIEW)
DEFAULT_WARN_DAYS = 90


@dataclass(frozen=True)
class Citation:
    param: str
    says: str | None
    source: str | None  # source id in the rule file
    url: str | None
    quote: str | None
    confidence: str
    effective: date | None
    until: date | None
    note: str | None


@dataclass(frozen=True)
class Requirement:
    id: str  # total | a category | approved | unapproved
    name: str  # for people: the category, or the rule's label for approved credits
    says: str
    required: float | None  # a minimum; None for a cap
    counted: float | None  # None without a CE log
    missing: float | None
    maximum: float | None = None


@dataclass(frozen=True)
class NotCounted:
    entry: CeEntry
    credits: float  # the part of the entry that does not count
    reason: str


@dataclass(frozen=True)
class Counted:
    entry: CeEntry
    credits: float  # the part of the entry that counts
    category: str | None  # after the kind's rule (a CPR card is clinical)
    approved: bool


@dataclass(frozen=True)
class CeProgress:
    unit: str
    required: float
    counted: float | None
    missing: float | None
    by_requirement: tuple[Requirement, ...]
    not_counted: tuple[NotCounted, ...]
    window: tuple[date, date]  # entries count when earned inside this (inclusive)
    counted_entries: tuple[Counted, ...] = ()


@dataclass(frozen=True)
class RenewalStatus:
    credential: str
    name: str
    status: str
    as_of: date
    since: str  # the date as given
    precision: str  # day | month | year
    period_start: date
    due: date | None  # None: no rule in force to compute it
    due_range: tuple[date, date] | None
    days_left: int | None
    grace_end: date | None
    fee_due: tuple[date, ...]  # first day of each month a fee is due in this period
    next_fee: date | None
    ce: CeProgress | None
    actions: tuple[str, ...]
    notes: tuple[str, ...]
    citations: tuple[Citation, ...]

    @property
    def sources(self) -> list[str]:
        urls: list[str] = []
        for c in self.citations:
            if c.url and c.url not in urls:
                urls.append(c.url)
        return urls


def due_date(period: Param, start: date) -> date:
    """The last day of the period that starts on `start`."""
    end = period["length"].apply(start)
    return end_of_month(end) if period["anchor"] == "end_of_month" else end


def renew(rules: RenewalRules, since: PartialDate, as_of: date, warn_days: int = DEFAULT_WARN_DAYS,
          log: Sequence[CeEntry] | None = None) -> RenewalStatus:
    """Where a credential stands on `as_of`, for a period that began on `since`."""
    if since.first > as_of:
        raise InputError(f"the certification date {since.text} is after the as-of date {as_of}")
    if warn_days < 0:
        raise InputError(f"--warn-days: {warn_days} is negative (expected 0 or more days)")
    used = _Used(rules)
    notes: list[str] = []
    if since.precision != "day":
        notes.append(f"The certification date is known only to the {since.precision} ({since.text}).")
    period = used.add(rules.version("period", since.first))
    if period is None:
        reason = f"The rules have no renewal cycle in force for a period starting {since.first}."
        return RenewalStatus(rules.credential, rules.name, REVIEW, as_of, since.text, since.precision, since.first,
                             None, None, None, None, (), None, None,
                             ("Check the renewal date with the certifying body.",), tuple(notes + [reason]), ())
    if since.last > as_of:  # a certification cannot lie after the as-of date
        since = PartialDate(since.first, as_of, since.precision, since.text)
    due, latest_due = due_date(period, since.first), due_date(period, since.last)
    if latest_due != due:
        notes.append(f"Due between {due} and {latest_due}; planning on the earliest, {due}.")
    days_left = (due - as_of).days
    status, grace_end, after = _status(rules, used, due, as_of, days_left, warn_days, notes)
    if latest_due != due:
        other = _status(rules, _Used(rules), latest_due, as_of, (latest_due - as_of).days, warn_days, [])[0]
        if other != status:
            notes.append(f"If the date was later in {since.text}, the answer could be {other.replace('_', ' ')} "
                         f"(due as late as {latest_due}).")
    ce = _ce_progress(rules, used, since, due, log)
    if ce is None and log is not None:
        notes.append("The rules give no CE requirement for this credential; the CE log was not used.")
    fee_due = _fee_dates(used.add(rules.version("fees", due)), since.first, due)
    next_fee = next((d for d in fee_due if end_of_month(d) >= as_of), None)
    status = _doubt(used, status, grace_end, as_of, notes)
    actions = _actions(rules, used, status, as_of, due, grace_end, after, ce, next_fee)
    return RenewalStatus(rules.credential, rules.name, status, as_of, since.text, since.precision, since.first,
                         due, (due, latest_due), days_left, grace_end, fee_due, next_fee, ce, tuple(actions),
                         tuple(notes), used.citations())


def exit_code(statuses: Iterable[RenewalStatus]) -> int:
    """1 if any credential has lapsed, else 3 if any needs action or review, else 0."""
    found = {s.status for s in statuses}
    if LAPSED in found:
        return 1
    if found & {DUE_SOON, GRACE, REVIEW}:
        return 3
    return 0


# --- the pieces ------------------------------------------------------------------------------

class _Used:
    """The parameter versions an answer rests on, in the order they were used."""

    def __init__(self, rules: RenewalRules):
        self.rules = rules
        self.params: list[Param] = []

    def add(self, param: Param | None) -> Param | None:
        if param is not None and param not in self.params:
            self.params.append(param)
        return param

    def citations(self) -> tuple[Citation, ...]:
        return tuple(Citation(p.name + (f" {p.key}" if p.key else ""), p.meta.says, p.meta.source,
                              self.rules.source_url(p.meta.source), p.meta.quote, p.meta.confidence,
                              p.meta.effective, p.meta.until, p.meta.note) for p in self.params)


def _status(rules, used, due, as_of, days_left, warn_days, notes):
    """(status, grace_end, what happens after the grace window) from the dates alone."""
    if as_of <= due:
        return (DUE_SOON if days_left <= warn_days else CURRENT), None, None
    grace = used.add(rules.version("grace", due))
    if grace is None:
        notes.append("The rules do not say what happens after the due date.")
        return REVIEW, None, None
    length = grace["length"]
    if length == "unknown":
        notes.append(grace.meta.note or "The sources do not settle what happens after the due date.")
        return REVIEW, None, grace["then"]
    if length == "none":
        return LAPSED, None, grace["then"]
    grace_end = length.apply(due)
    return (GRACE if as_of <= grace_end else LAPSED), grace_end, grace["then"]


def _doubt(used: _Used, status: str, grace_end: date | None, as_of: date, notes: list[str]) -> str:
    """Low-confidence rules make the answer a review; a window already closed stays closed."""
    doubtful = []
    for p in used.params:
        if p.meta.confidence != "low":
            continue
        if p.name == "grace" and status == LAPSED:
            continue  # even the doubtful window has ended
        doubtful.append(p)
    if not doubtful or (status == LAPSED and all(p.name != "period" for p in doubtful)):
        return status
    for p in doubtful:
        what = (p.meta.says or p.name.replace("_", " ")).rstrip(".")
        if p.meta.note and p.meta.note in notes:
            notes.remove(p.meta.note)  # said once, with its reason
        notes.append(f"Low confidence: {what}" + (f" - {p.meta.note.rstrip('.')}" if p.meta.note else "") + ".")
    return REVIEW


def _fee_dates(fees: Param | None, start: date, due: date) -> tuple[date, ...]:
    if fees is None:
        return ()
    every: Offset = fees["every"]
    if every == Offset():
        return ()
    out = []
    k = 1
    while True:
        day = Offset(every.years * k, every.months * k, every.days * k).apply(start)
        if day > due:
            break
        out.append(day.replace(day=1))  # "due in the anniversary month": plan on its first day
        k += 1
    return tuple(out)


def _num(x: float) -> str:
    return f"{x:g}"


def _ce_progress(rules: RenewalRules, used: _Used, since: PartialDate, due: date,
                 log: Sequence[CeEntry] | None) -> CeProgress | None:
    total = used.add(rules.version("ce_total", due))
    minimums = used.add(rules.version("ce_minimums", due))
    approved = used.add(rules.version("ce_approved", due))
    unapproved = used.add(rules.version("ce_unapproved", due))
    if not (total or minimums or approved):
        return None
    unit = (total["unit"] if total else None) or "credits"
    mins: dict[str, float] = dict(minimums["credits"]) if minimums else {}
    required = total["credits"] if total else sum(mins.values())
    label = (approved["label"] if approved else None) or "approved"
    window = (since.last, due)
    counted_entries: list[Counted] = []
    not_counted: list[NotCounted] = []
    if log is not None:
        counted_entries, not_counted = _count(rules, used, log, window, since, unapproved)
    have = log is not None

    def req(rid: str, name: str, says: str, need: float, got: float) -> Requirement:
        return Requirement(rid, name, says, need, got if have else None, max(0.0, need - got) if have else None)

    by_req = [req("total", unit, f"{_num(required)} {unit} in total", required,
                  sum(c.credits for c in counted_entries))]
    for cat, need in mins.items():
        by_req.append(req(cat, cat, f"at least {_num(need)} {cat}", need,
                          sum(c.credits for c in counted_entries if c.category == cat)))
    if approved:
        by_req.append(req("approved", label, f"at least {_num(approved['minimum'])} {label}", approved["minimum"],
                          sum(c.credits for c in counted_entries if c.approved)))
    if unapproved:
        got = sum(c.credits for c in counted_entries if not c.approved)
        by_req.append(Requirement("unapproved", f"not {label}", f"at most {_num(unapproved['maximum'])} not {label}", None,
                                  got if have else None, 0.0 if have else None, unapproved["maximum"]))
    counted = by_req[0].counted
    missing = None
    if have:
        # one new approved credit in a short category closes the total, its category and the approved gap at once
        missing = max(by_req[0].missing, sum(r.missing for r in by_req if r.id in mins),
                      next((r.missing for r in by_req if r.id == "approved"), 0.0))
    return CeProgress(unit, required, counted, missing, tuple(by_req), tuple(not_counted), window,
                      tuple(counted_entries))


def _count(rules, used, log, window, since, unapproved):
    start, due = window
    counted: list[Counted] = []
    skipped: list[NotCounted] = []
    items: dict[str, int] = {}
    unapproved_sum = 0.0
    for entry in sorted(log, key=lambda e: e.date):
        if entry.date < start:
            why = f"earned {entry.date}, before the period start {start}"
            if entry.date >= since.first:
                why += f" (the certification date is known only to the {since.precision}; the latest start is used)"
            skipped.append(NotCounted(entry, entry.credits, why))
            continue
        if entry.date > due:
            skipped.append(NotCounted(entry, entry.credits, f"earned {entry.date}, after the due date {due}"))
            continue
        credits, category, approved = entry.credits, entry.category, bool(entry.approved)
        rule = rules.keyed("ce_kinds", entry.date).get(entry.kind or "")
        if rule is not None:
            used.add(rule)
            if rule["counts"] is False:
                why = rule.meta.says or f"{entry.kind} entries do not count"
                skipped.append(NotCounted(entry, entry.credits, f"{why} (earned {entry.date})"))
                continue
            if rule["credits_each"] is not None:
                credits = rule["credits_each"]
            category = rule["category"] or category
            if rule["approved"] is not None:
                approved = rule["approved"]
            if rule["max_items"] is not None:
                items[entry.kind] = items.get(entry.kind, 0) + 1
                if items[entry.kind] > rule["max_items"]:
                    skipped.append(NotCounted(entry, credits, f"over the cap of {rule['max_items']} "
                                                              f"{entry.kind} entries per period"))
                    continue
        if not approved and unapproved is not None:
            room = max(0.0, unapproved["maximum"] - unapproved_sum)
            if credits > room:
                skipped.append(NotCounted(entry, credits - room, f"over the cap of {_num(unapproved['maximum'])} "
                                                                 f"credits that are not approved"))
                credits = room
                if credits == 0:
                    continue
            unapproved_sum += credits
        counted.append(Counted(entry, credits, category, approved))
    return counted, skipped


def _actions(rules, used, status, as_of, due, grace_end, after, ce, next_fee) -> list[str]:
    actions: list[str] = []
    ce_text = _ce_action(ce, due)
    if status in (CURRENT, DUE_SOON):
        actions.append(ce_text or f"Renew by {due}.")
        exam = used.add(rules.version("exam", due))
        if exam is not None:
            pass_by = exam["pass_before"].before(due) if exam["pass_before"] else due
            if exam["allowed"] and pass_by < as_of:
                actions.append(f"Recertifying by exam without a lapse needed a pass by {pass_by}; that date has gone.")
            elif exam["allowed"]:
                text = f"Or recertify by exam without a lapse: pass by {pass_by}"
                if exam["apply_before"]:
                    text += f" (application received by {exam['apply_before'].before(due)})"
                actions.append(text + ".")
            else:
                actions.append("Retaking the exam is not a way to renew.")
    elif status == GRACE:
        grace = rules.version("grace", due)
        text = f"Expired {due}; until {grace_end} you may still renew"
        text += f" ({grace['allows']})" if grace and grace["allows"] else ""
        actions.append(text + "." + (f" {ce_text}" if ce_text else ""))
        if after:
            actions.append(f"After {grace_end}: {after}.")
    elif status == LAPSED:
        actions.append(f"Expired {due}" + (f"; the grace window ended {grace_end}" if grace_end else "") + ".")
        if after:
            actions.append(f"Now: {after}.")
    else:
        actions.append("Check with the certifying body: the sources do not settle this answer.")
        if as_of <= due:
            actions.append(ce_text or f"Renew by {due}.")
        elif grace_end is not None:
            actions.append(f"Expired {due}; a grace window may run until {grace_end}.")
        else:
            actions.append(f"Expired {due}.")
    if next_fee is not None and status in (CURRENT, DUE_SOON, REVIEW):
        actions.append(f"Pay the annual fee in {next_fee:%B %Y}.")
    for also in rules.keyed("also", due).values():
        used.add(also)
        actions.append(f"Also: {also.meta.says}.")
    return actions


def _ce_action(ce: CeProgress | None, due: date) -> str | None:
    if ce is None:
        return None
    start = ce.window[0]
    if ce.counted is None:
        parts = [f"{_num(r.required)} {r.name}" for r in ce.by_requirement[1:] if r.required]
        extra = f" ({', '.join(parts)})" if parts else ""
        return f"Earn {_num(ce.required)} {ce.unit} between {start} and {due}{extra}."
    if not ce.missing:
        return f"CE complete: {_num(ce.counted)} {ce.unit} counted; submit them by {due}."
    parts = [f"{_num(r.missing)} {r.name}" for r in ce.by_requirement[1:] if r.missing]
    extra = f", of them {', '.join(parts)}" if parts else ""
    return f"Earn {_num(ce.missing)} more {ce.unit} by {due}{extra}."
