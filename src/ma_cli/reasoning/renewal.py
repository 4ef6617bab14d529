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

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ma_cli.base.bounds import adding, amount, amount_of, amount_text, exactly
from ma_cli.base.dates import Offset, PartialDate, end_of_month
from ma_cli.base.errors import InputError
from ma_cli.base.frozen import record
from ma_cli.inputs.celog import kind_words
from ma_cli.ruleset.renewal_rules import ANCHOR_WORDS, Param, RenewalRules

if TYPE_CHECKING:
    from decimal import Decimal

    from ma_cli.inputs.celog import CeEntry

CURRENT, DUE_SOON, GRACE, LAPSED, REVIEW = "current", "due_soon", "grace", "lapsed", "review"
STATUSES = (CURRENT, DUE_SOON, GRACE, LAPSED, REVIEW)
DEFAULT_WARN_DAYS = 90


@record
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
    quality: str = ""  # the source's: official | secondary | low ("" when the rule file does not say)


@record
class Requirement:
    id: str  # total | a category | approved | unapproved
    name: str  # for people: the category, or the rule's label for approved credits
    says: str
    required: float | None  # a minimum; None for a cap
    counted: float | None  # None without a CE log
    missing: float | None
    maximum: float | None = None


@record
class NotCounted:
    entry: CeEntry
    credits: float  # the part of the entry that does not count
    reason: str


@record
class Counted:
    entry: CeEntry
    credits: float  # the part of the entry that counts
    category: str | None  # after the kind's rule (a CPR card is clinical)
    approved: bool


@record
class CeProgress:
    unit: str
    required: float
    counted: float | None
    missing: float | None
    by_requirement: tuple[Requirement, ...]
    not_counted: tuple[NotCounted, ...]
    window: tuple[date, date]  # entries count when earned inside this (inclusive)
    counted_entries: tuple[Counted, ...] = ()


@record
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


def due_date(period: Param, start: date, anchor: str | None = None) -> date:
    """The last day of the period that starts on `start` (ending as `anchor` says, else as the period's)."""
    end = period["length"].apply(start)
    anchor = anchor or period["anchor"]
    if anchor == "end_of_month":
        return end_of_month(end)
    return end - timedelta(days=1) if anchor == "before_anniversary" else end


def renew(rules: RenewalRules, since: PartialDate, as_of: date, warn_days: int = DEFAULT_WARN_DAYS,
          log: Sequence[CeEntry] | None = None) -> RenewalStatus:
    """Where a credential stands on `as_of`, for a period that began on `since`."""
    if since.first > as_of:
        raise InputError(f"the certification date {since.text} is after the as-of date {as_of}")
    return Renewer(rules, as_of, warn_days).renew(since, log)


class Renewer:
    """One credential's renewal rules prepared for one as-of day and warn-days: `renew` for person
    after person (a roster), and `standing` for the answer without its explanation.

    Everything that depends only on the certification date (the period, due dates, status before
    CE, the parameter versions in force) is worked out once per date and kept (`_Dated`), as are the
    CE kind rules in force on a day and each parameter's citation. These are pure functions of the
    rules, the as-of day and warn-days, all fixed for the object's life, so nothing kept can go
    stale; the memos are cleared when they grow past _MEMO_LIMIT, so memory stays bounded.
    """

    def __init__(self, rules: RenewalRules, as_of: date, warn_days: int = DEFAULT_WARN_DAYS):
        if warn_days < 0:
            raise InputError(f"--warn-days: {warn_days} is negative (expected 0 or more days)")
        self.rules, self.as_of, self.warn_days = rules, as_of, warn_days
        self.credential, self.name = rules.credential, rules.name
        self._keyed: dict[tuple[str, date], dict[str, Param]] = {}
        self._near: dict[str, tuple[Param, ...]] = {}  # near_kinds, by kind: the rules of any day
        self._dated: dict[PartialDate, _Dated] = {}
        self._ce_specs: dict[tuple[int, ...], _CeSpec | None] = {}  # by the ids of the CE parameter versions
        self._citations: dict[int, Citation] = {}  # by id(): a Param holds a dict, so it has no hash

    def version(self, name: str, day: date) -> Param | None:
        return self.rules.version(name, day)  # asked once per certification date (_Dated), so not kept

    def keyed(self, name: str, day: date) -> dict[str, Param]:
        """As RenewalRules.keyed; the dict is shared, so callers only read it."""
        key = (name, day)
        try:
            return self._keyed[key]
        except KeyError:
            _bound(self._keyed)
            found = self._keyed[key] = self.rules.keyed(name, day)
            return found

    def near_kinds(self, day: date, kind: str) -> tuple[Param, ...]:
        """The `ce_kinds` rules in force on `day` that do not name `kind` but share a word with it (`cpr`
        and `cpr-card`): an entry of such a kind may be what the rule counts, written otherwise. The rule
        files' kinds are the vocabulary: no word is known here but theirs."""
        near = self._near.get(kind)
        if near is None:  # the rules of any day that share a word, worked out once a kind (a log repeats its kinds)
            words = set(kind_words(kind))
            _bound(self._near)
            near = self._near[kind] = tuple(p for p in self.rules.params.get("ce_kinds", ())
                                            if p.key != kind and not words.isdisjoint(kind_words(p.key or "")))
        if not near:
            return near
        in_force = self.keyed("ce_kinds", day)
        return tuple(p for p in near if in_force.get(p.key or "") is p)

    def citation(self, p: Param) -> Citation:
        found = self._citations.get(id(p))
        if found is None:  # every Param comes from self.rules, which outlives this object: ids stay unique
            found = self._citations[id(p)] = Citation(
                p.name + (f" {p.key}" if p.key else ""), p.meta.says, p.meta.source, self.rules.source_url(p.meta.source),
                p.meta.quote, p.meta.confidence, p.meta.effective, p.meta.until, p.meta.note,
                getattr(self.rules.sources.get(p.meta.source or ""), "quality", ""))
        return found

    def renew(self, since: PartialDate, log: Sequence[CeEntry] | None = None) -> RenewalStatus:
        """The full answer (as `renew`): status, dates, CE progress, actions, notes and citations."""
        d = self._date_part(since)
        if d.final is not None:
            return d.final
        as_of = self.as_of
        used = _Used(self, d.used)
        notes = list(d.notes)
        read_as: list[tuple] = []
        ce = _ce_progress(self, d, log, used, read_as)
        notes += [text for _, text, _ in read_as]
        if ce is None and log is not None:
            # (not "no requirement": a body may ask for CE the sources give no number for, said under `also`)
            notes.append("The rules state no number of CE credits to count for this credential, so the CE log was "
                         "not counted.")
        used.add(d.fees)
        status = _doubt(used, d.status, d.grace_end, as_of, notes)
        if any(doubtful for _, _, doubtful in read_as) and status in (CURRENT, DUE_SOON, GRACE):
            status = REVIEW  # (a low-confidence reading of an entry: _read_as)
        if d.window_open and ce is not None and ce.missing is None:
            used.add(d.late_ce)  # (the advice says late CE is an open question: its source is cited)
        elif d.window_open and ce is not None and ce.missing:
            status = _short_in_window(used, d, ce, notes, status)
        actions = _actions(self, used, status, as_of, (d.due, d.latest_due), d.grace_end, d.after, ce, d.next_fee,
                           d.day_unsettled, d.cycle_unsettled, d.window_open)
        return RenewalStatus(self.credential, self.name, status, as_of, since.text, since.precision, since.first,
                             d.due, (d.due, d.latest_due), d.days_left, d.grace_end, d.fee_due, d.next_fee, ce,
                             tuple(actions), tuple(notes), used.citations())

    def standing(self, since: PartialDate, log: Sequence[CeEntry] | None = None) -> tuple:
        """The answer without its explanation (no actions, notes or citations are built):
        (status, due, days_left, grace_end, ce required, ce counted, ce missing, ce unit), each as
        `renew` gives it (the CE values None when the rules give no CE requirement)."""
        d = self._date_part(since)
        if d.final is not None:
            return (d.final.status, None, None, None, None, None, None, None)
        spec = d.ce
        if spec is None:
            return (d.plain_status, d.due, d.days_left, d.grace_end, None, None, None, None)
        if log is None:
            return (d.plain_status, d.due, d.days_left, d.grace_end, spec.required, None, None, spec.unit)
        kinds: list[Param] = []
        read_as: list[tuple] = []
        counted = _count(self, kinds, log, d.window, d.since, spec, read_as)[0]
        got = _got(spec, counted)
        status = d.plain_status
        if kinds:
            status = _doubted(d.used + tuple(p for p in kinds if all(p is not q for q in d.used)) + d.after_ce,
                              d.status)
        missing = _missing(spec, got)
        if d.window_open and missing and status == GRACE:  # as renew (_short_in_window)
            status = REVIEW
        if any(doubtful for _, _, doubtful in read_as) and status in (CURRENT, DUE_SOON, GRACE):
            status = REVIEW  # as renew (_read_as)
        return (status, d.due, d.days_left, d.grace_end, spec.required, got[0], missing, spec.unit)

    def _date_part(self, since: PartialDate) -> _Dated:
        if since.first > self.as_of:
            raise InputError(f"the certification date {since.text} is after the as-of date {self.as_of}")
        found = self._dated.get(since)
        if found is None:
            _bound(self._dated)
            found = self._dated[since] = _Dated(self, since)
        return found


_MEMO_LIMIT = 4096  # entries per memo (a roster's distinct dates, some KB each); a full memo is emptied and refilled


def _bound(memo: dict) -> None:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()


def _cycles_in_force(versions: Any) -> str:
    """When the rules' renewal cycles do apply, and what the first says (a certification before the PBT's CMP
    of 2004 is not under it), to end the sentence saying none applies to a certification date."""
    spans = [v.meta.span_words() for v in versions if v.meta.effective or v.meta.until]
    if not spans:
        return "."
    said = versions[0].meta.says
    return f": the cycle they give is in force {', or '.join(spans)}" + (f" ({said})." if said else ".")


class _Dated:
    """The part of an answer that depends only on the certification date, not on the CE log."""

    __slots__ = ("final", "since", "due", "latest_due", "days_left", "status", "day_unsettled", "cycle_unsettled",
                 "grace_end", "after", "window_open", "late_ce",
                 "notes", "ce",
                 "window", "used", "fees", "after_ce", "plain_status", "fee_due", "next_fee", "blank_ce")

    def __init__(self, r: Renewer, since: PartialDate):
        as_of, warn_days = r.as_of, r.warn_days
        self.final: RenewalStatus | None = None  # the whole answer, when it cannot depend on the log
        used = _Used(r)
        notes: list[str] = []
        if since.precision != "day":
            notes.append(f"The certification date is known only to the {since.precision} ({since.text}).")
        period = used.add(r.version("period", since.first))
        if period is None:
            reason = f"The rules have no renewal cycle in force for a period starting {since.first}" + _cycles_in_force(
                r.rules.params.get("period", ()))
            self.final = RenewalStatus(r.credential, r.name, REVIEW, as_of, since.text, since.precision, since.first,
                                       None, None, None, None, (), None, None,
                                       ("Check the renewal date with the certifying body.",), tuple(notes + [reason]),
                                       ())
            return
        if since.last > as_of:  # a certification cannot lie after the as-of date
            since = PartialDate(since.first, as_of, since.precision, since.text)
        self.since = since
        due, latest_due = due_date(period, since.first), due_date(period, since.last)
        other_anchor = period["other_anchor"]
        cycle_open = False  # the sources leave open which of two days ends the cycle, and they differ
        if other_anchor:
            other_first, other_last = due_date(period, since.first, other_anchor), due_date(period, since.last, other_anchor)
            cycle_open = (other_first, other_last) != (due, latest_due)
            due, latest_due = min(due, other_first), max(latest_due, other_last)
        if latest_due != due:
            notes.append(f"Due {due_words(due, latest_due)}; planning on the earliest, {due}.")
        self.due, self.latest_due = due, latest_due
        self.days_left = (due - as_of).days
        self.status, self.grace_end, self.after = _status(r, used, due, as_of, self.days_left, warn_days, notes)
        # past the due date with a grace window still open on some reading: CE earned after the due date
        # is an open question there (a shortfall answers review: _short_in_window)
        grace = r.version("grace", due) if as_of > due and self.grace_end is not None else None
        self.window_open = grace is not None and as_of <= grace_ends(grace, due)[1]
        self.late_ce: Param | None = grace["late_ce"] if grace is not None else None
        # whether the answer turns on the day of a date given only to the month or year: past a due date on
        # one reading and not (or differently) on another is no answer to give with confidence
        self.day_unsettled = self.cycle_unsettled = False
        if latest_due != due:
            other = _status(r, _Used(r), latest_due, as_of, (latest_due - as_of).days, warn_days, [])[0]
            if other != self.status:
                if cycle_open:
                    notes.append(f"The sources do not say whether the cycle ends on {ANCHOR_WORDS[period['anchor']]} "
                                 f"or on {ANCHOR_WORDS[other_anchor]}: on the later reading the answer could be "
                                 f"{other.replace('_', ' ')} (due as late as {latest_due}).")
                else:
                    notes.append(f"If the date was later in {since.text}, the answer could be {other.replace('_', ' ')} "
                                 f"(due as late as {latest_due}).")
                if self.status not in (CURRENT, DUE_SOON):  # (due soon on the earliest day: the safe side)
                    self.status = REVIEW
                    self.day_unsettled, self.cycle_unsettled = not cycle_open, cycle_open
        self.notes = tuple(notes)
        self.ce = _CeSpec.of(r, used, due)
        self.window = (since.last, due)  # CE entries count when earned inside this (inclusive)
        self.used = tuple(used.params)  # period, grace, the CE parameters: what the CE log's kinds follow
        self.fees = r.version("fees", due)
        self.after_ce = (self.fees,) if self.fees is not None and all(self.fees is not p for p in self.used) else ()
        self.plain_status = _doubted(self.used + self.after_ce, self.status)  # when no CE kind rule is used
        # fees run to the cycle's end: with a due day before the anniversary, the anniversary's fee is
        # paid with the points (QM10: "dues + CCP before 5/1/2009")
        self.fee_due = _fee_dates(self.fees, since.first,
                                  due + timedelta(days=1) if period["anchor"] == "before_anniversary" else due)
        self.next_fee = next((d for d in self.fee_due if end_of_month(d) >= as_of), None)
        self.blank_ce: CeProgress | None = None  # the CE progress without a log, made when first asked


class _CeSpec:
    """The CE requirement in force on a due date: numbers and wording, without any log (one for each
    combination of parameter versions, shared by every date it applies to)."""

    __slots__ = ("unit", "required", "mins", "label", "approved", "unapproved", "says")

    @classmethod
    def of(cls, r: Renewer, used: _Used, due: date) -> _CeSpec | None:
        total = used.add(r.version("ce_total", due))
        minimums = used.add(r.version("ce_minimums", due))
        approved = used.add(r.version("ce_approved", due))
        unapproved = used.add(r.version("ce_unapproved", due))
        key = (id(total), id(minimums), id(approved), id(unapproved))  # versions of r.rules: ids stay unique
        if key not in r._ce_specs:
            r._ce_specs[key] = cls._make(total, minimums, approved, unapproved)
        return r._ce_specs[key]

    @classmethod
    def _make(cls, total, minimums, approved, unapproved) -> _CeSpec | None:
        if not (total or minimums or approved):
            return None
        spec = cls()
        spec.unit = unit = (total["unit"] if total else None) or "credits"
        spec.mins = mins = dict(minimums["credits"]) if minimums else {}
        spec.required = required = total["credits"] if total else sum(mins.values())
        spec.label = label = (approved["label"] if approved else None) or "approved"
        spec.approved, spec.unapproved = approved, unapproved
        spec.says = ([f"{amount_of(required, unit)} in total"]
                     + [f"at least {amount_text(need)} {cat}" for cat, need in mins.items()]
                     + ([f"at least {amount_text(approved['minimum'])} {label}"] if approved else [])
                     + ([f"at most {amount_text(unapproved['maximum'])} not {label}"] if unapproved else []))
        return spec


def _got(spec: _CeSpec, counted: list[tuple]) -> list:
    """Credits counted toward each requirement, in the order of spec.says: total, each category minimum,
    approved, not approved (the last two when the rules have them)."""
    # each sum taken exactly (bounds.exactly, in bounds.adding's digits), in one pass
    zero = exactly(0)
    total = approved = unapproved = zero
    per = dict.fromkeys(spec.mins, zero)
    add = adding().add
    for _, credits, category, is_approved in counted:
        credits = exactly(credits)
        total = add(total, credits)
        if category in per:
            per[category] = add(per[category], credits)
        if is_approved:
            approved = add(approved, credits)
        else:
            unapproved = add(unapproved, credits)
    got = [total, *per.values()]
    if spec.approved:
        got.append(approved)
    if spec.unapproved:
        got.append(unapproved)
    return [amount(g) for g in got]


def _shortfall(need: float, got: float) -> "Decimal":
    """How much `got` falls short of `need` (0 when it does not), exactly: 60 less 59.996 is 0.004."""
    return max(exactly(0), adding().subtract(exactly(need), exactly(got)))


def _short(need: float, got: float) -> float | int:
    """_shortfall as the number the answer carries."""
    return amount(_shortfall(need, got))


def _missing(spec: _CeSpec, got: list) -> float | int:
    # one new approved credit in a short category closes the total, its category and the approved gap at once
    n = len(spec.mins)
    categories, add = exactly(0), adding().add
    for need, g in zip(spec.mins.values(), got[1:1 + n]):
        categories = add(categories, _shortfall(need, g))
    approved = _shortfall(spec.approved["minimum"], got[1 + n]) if spec.approved else exactly(0)
    return amount(max(_shortfall(spec.required, got[0]), categories, approved))


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

    def __init__(self, renewer: Renewer, params: Sequence[Param] = ()):
        self.renewer = renewer
        self.params: list[Param] = list(params)

    def add(self, param: Param | None) -> Param | None:
        # by identity: each version is one object of the compiled rules (comparing them by value
        # compared their values and metadata, field by field, several times a row)
        if param is not None and all(p is not param for p in self.params):
            self.params.append(param)
        return param

    def citations(self) -> tuple[Citation, ...]:
        return tuple(map(self.renewer.citation, self.params))


def _status(rules, used, due, as_of, days_left, warn_days, notes):
    """(status, grace_end, what happens after the grace window) from the dates alone."""
    if as_of <= due:
        return (DUE_SOON if days_left <= warn_days else CURRENT), None, None
    grace = rules.version("grace", due)
    if grace is None:
        notes.append("The rules do not say what happens after the due date.")
        return REVIEW, None, None
    length = grace["length"]
    if length == "unknown":
        used.add(grace)
        notes.append(grace.meta.note or "The sources do not settle what happens after the due date.")
        return REVIEW, None, grace["then"]
    if length == "none":
        used.add(grace)
        return LAPSED, None, grace["then"]
    readings = grace_readings(grace, due)
    grace_end, latest_end = readings[0][0], readings[-1][0]
    # the window's end shown is the earliest reading's: that reading is cited first, and every reading
    # whose end the answer names (a later end: review up to it, or "ended by" it) with it
    for _, p in readings:
        used.add(p)
    if as_of <= grace_end or as_of > latest_end:
        if as_of <= grace_end and latest_end != grace_end:
            notes.append(_readings_differ(grace, due))
        return (GRACE if as_of <= grace_end else LAPSED), grace_end, grace["then"]
    # one source's window is still open and the other's has closed: not ours to settle
    notes.append(_readings_differ(grace, due))
    return REVIEW, grace_end, grace["then"]


def grace_end_of(reading: Param, due: date) -> tuple[date, date]:
    """The last day of a grace window of a span's length after `due` on this reading: (earliest, latest),
    one day unless the reading has `month_end_reading` and `due` is a month's last day, when months
    counted from it may end on the same day of the month or on the month's last day."""
    length: Offset = reading["length"]
    end = length.apply(due)
    return (end, length.apply_keeping_month_end(due)) if reading["month_end_reading"] else (end, end)


def grace_readings(grace: Param, due: date) -> tuple[tuple[date, Param], ...]:
    """(last day of the window, the reading that gives it) for each end a reading of a grace of a span's
    length can have, the earliest first (at a tie, the grace's own reading first)."""
    other = grace["other_reading"]
    params = (grace,) if other is None else (grace, other)
    ends = sorted({(end, i) for i, p in enumerate(params) for end in grace_end_of(p, due)})
    return tuple((end, params[i]) for end, i in ends)


def grace_ends(grace: Param, due: date) -> tuple[date, date]:
    """(the last day every reading's grace window is open, the last day some reading's is) for a grace
    of a span's length; one day when the rules give no other reading."""
    readings = grace_readings(grace, due)
    return readings[0][0], readings[-1][0]


def _readings_differ(grace: Param, due: date) -> str:
    """Why the days between the readings' window ends are a review: each source with its end (or ends)."""
    def reading(p: Param) -> str:
        first, last = grace_end_of(p, due)
        return (f"{p.meta.source}" + (f" ({p.meta.quote})" if p.meta.quote else "") + f" until {first}"
                + (f" or {last}" if last != first else ""))
    allows = f" {grace['allows']}" if grace["allows"] else ""
    other = grace["other_reading"]
    if other is None:
        return (f"The sources do not settle how long after {due} renewal{allows} stays open: {reading(grace)}; "
                f"between those days the certifying body decides.")
    return (f"The sources disagree on how long after {due} renewal{allows} stays open: {reading(grace)}, "
            f"{reading(other)}; between those days the certifying body decides.")


def _short_in_window(used: _Used, d: _Dated, ce: CeProgress, notes: list[str], status: str) -> str:
    """Short of CE inside a grace window: credits earned after the due date are not counted (the period
    ends on it), and whether they would count is a question the rules leave open (`late_ce` says why, with
    its source), so a grace answer becomes review, with that reason."""
    late = used.add(d.late_ce)
    why = (late.meta.says if late is not None and late.meta.says
           else f"The rules do not say whether {ce.unit} earned after the due date count").rstrip(".")
    more = f" - {late.meta.note.rstrip('.')}" if late is not None and late.meta.note else ""
    notes.append(f"{amount_of(ce.missing, ce.unit)} short at the due date {d.due}. {why}{more}.")
    return REVIEW if status == GRACE else status


def _doubtful(params: Sequence[Param], status: str) -> list[Param]:
    """The low-confidence rules that make the answer a review ([]: the status stands); a window
    already closed stays closed."""
    doubtful = [p for p in params if p.meta.confidence == "low" and not (p.name == "grace" and status == LAPSED)]
    if not doubtful or (status == LAPSED and all(p.name != "period" for p in doubtful)):
        return []
    return doubtful


def _doubted(params: Sequence[Param], status: str) -> str:
    return REVIEW if _doubtful(params, status) else status


def _doubt(used: _Used, status: str, grace_end: date | None, as_of: date, notes: list[str]) -> str:
    """_doubted, saying why in the notes."""
    doubtful = _doubtful(used.params, status)
    if not doubtful:
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


def _ce_progress(r: Renewer, d: _Dated, log: Sequence[CeEntry] | None, used: _Used,
                 read_as: list) -> CeProgress | None:
    """The CE progress; how a kind's rule counted an entry otherwise than the log wrote it goes to `read_as`
    (_read_as)."""
    spec = d.ce
    if spec is None:
        return None
    if log is None:
        if d.blank_ce is None:
            reqs = [Requirement(rid, name, says, need, None, None, maximum)
                    for (rid, name, need, maximum), says in zip(_requirements(spec), spec.says)]
            d.blank_ce = CeProgress(spec.unit, spec.required, None, None, tuple(reqs), (), d.window, ())
        return d.blank_ce
    kinds: list[Param] = []
    counted, skipped = _count(r, kinds, log, d.window, d.since, spec, read_as)
    for p in kinds:
        used.add(p)
    got = _got(spec, counted)
    reqs = []
    for (rid, name, need, maximum), says, g in zip(_requirements(spec), spec.says, got):
        if need is None:  # a cap
            reqs.append(Requirement(rid, name, says, None, g, 0, maximum))
        else:
            reqs.append(Requirement(rid, name, says, need, g, _short(need, g)))
    return CeProgress(spec.unit, spec.required, got[0], _missing(spec, got), tuple(reqs),
                      tuple(NotCounted(*s) for s in skipped), d.window, tuple(Counted(*c) for c in counted))


def _requirements(spec: _CeSpec) -> list[tuple]:
    """(id, name, required, maximum) of each requirement, in the order of spec.says."""
    out: list[tuple] = [("total", spec.unit, spec.required, None)]
    out += [(cat, cat, need, None) for cat, need in spec.mins.items()]
    if spec.approved:
        out.append(("approved", spec.label, spec.approved["minimum"], None))
    if spec.unapproved:
        out.append(("unapproved", f"not {spec.label}", None, spec.unapproved["maximum"]))
    return out


def _count(r, kinds, log, window, since, spec, read_as=None):
    """(counted, skipped) as argument tuples of Counted and NotCounted; the ce_kinds rules used are
    appended to `kinds`, in the order first used (with those an entry's kind only shares a word with:
    Renewer.near_kinds), and each counted entry a kind's rule counted otherwise than the log wrote it, or
    that a rule may be meant for, to `read_as` (when given), as (entry, the words, low confidence)."""
    start, due = window
    unapproved = spec.unapproved
    counted: list[tuple] = []
    skipped: list[tuple] = []
    items: dict[str, int] = {}
    unapproved_sum: float | int = 0
    for entry in sorted(log, key=lambda e: e.date):
        if entry.date < start:
            why = f"earned {entry.date}, before the period start {start}"
            if entry.date >= since.first:
                why += f" (the certification date is known only to the {since.precision}; the latest start is used)"
            skipped.append((entry, entry.credits, why))
            continue
        if entry.date > due:
            skipped.append((entry, entry.credits, f"earned {entry.date}, after the due date {due}"))
            continue
        credits, category, approved = entry.credits, entry.category, bool(entry.approved)
        kind = entry.kind
        rule = r.keyed("ce_kinds", entry.date).get(kind) if kind is not None else None
        if rule is None and kind is not None:
            near = r.near_kinds(entry.date, kind)
            if near:  # counted as written, but not silently: whether a rule applies is the log's to say
                _used(kinds, *near)
                if read_as is not None:
                    _near_kind(read_as, entry, near)
        if rule is not None:
            _used(kinds, rule)
            if rule["counts"] is False:
                why = rule.meta.says or f"{entry.kind} entries do not count"
                skipped.append((entry, entry.credits, f"{why} (earned {entry.date})"))
                continue
            if rule["credits_each"] is not None:
                credits = rule["credits_each"]
            category = rule["category"] or category
            if rule["approved"] is not None:
                approved = rule["approved"]
            if rule["max_items"] is not None:
                items[entry.kind] = items.get(entry.kind, 0) + 1
                if items[entry.kind] > rule["max_items"]:
                    skipped.append((entry, credits, f"over the cap of {rule['max_items']} "
                                                    f"{entry.kind} entries per period"))
                    continue
            if read_as is not None:
                _read_as(read_as, entry, rule, spec, credits, category, approved)
        if not approved and unapproved is not None:
            room = _short(unapproved["maximum"], unapproved_sum)
            if credits > room:  # (as written: an Exact compares its digits, bounds.Exact)
                cap = amount_of(unapproved["maximum"], spec.unit)
                skipped.append((entry, _short(credits, room), f"over the cap of {cap} that are not {spec.label}"))
                credits = room
                if credits == 0:
                    continue
            unapproved_sum = amount(adding().add(exactly(unapproved_sum), exactly(credits)))
        counted.append((entry, credits, category, approved))
    return counted, skipped


def _read_as(read_as: list, entry: CeEntry, rule: Param, spec: _CeSpec, credits, category, approved) -> None:
    """Say how a kind's rule counts an entry whose log row says otherwise (a CPR card written as 2 points,
    or as general, counted as 4 clinical): never a silent rewrite. A rule that replaces the credits written
    reads the entry as the thing it counts (a two-year card), which the log cannot show: low confidence."""
    written = []
    if credits != entry.credits:
        written.append(amount_of(entry.credits, spec.unit))
    if entry.category and entry.category != category:
        written.append(entry.category)
    if entry.approved is not None and entry.approved != approved:
        written.append(spec.label if entry.approved else f"not {spec.label}")
    if not written:
        return
    doubtful = credits != entry.credits
    kind = f"{category} " if category else ""
    counted_as = amount_of(credits, kind + spec.unit) + (f", {spec.label}" if approved else f", not {spec.label}")
    cite = f" ({rule.meta.quote})" if rule.meta.quote else ""
    says = (rule.meta.says or f"the rule for {entry.kind} entries").rstrip(".")
    text = (f"{entry.where} ({entry.kind}, written as {', '.join(written)}) is counted as {counted_as}: {says}{cite}."
            + (" The log cannot show that the entry is what the rule counts: confirm it, or correct the row."
               if doubtful else ""))
    read_as.append((entry, ("Low confidence: " if doubtful else "") + text, doubtful))


def _used(kinds: list, *rules: Param) -> None:
    """Add each rule to `kinds`, the ce_kinds rules used, unless it is there (by identity: a Param holds a dict)."""
    for rule in rules:
        if all(rule is not p for p in kinds):
            kinds.append(rule)


def _near_kind(read_as: list, entry: CeEntry, near: Sequence[Param]) -> None:
    """Say that an entry whose kind no rule names but some rule's kind shares a word with (`BLS card` and
    `cpr-card`) is counted as written, and which rule it may be meant for: the log cannot show whether
    the rule applies, so the answer is a review (as a rule's reading the log cannot show, _read_as)."""
    ifs = []
    for p in near:
        cite = f" ({p.meta.quote})" if p.meta.quote else ""
        says = (p.meta.says or f"the rule for {p.key} entries").rstrip(".")
        ifs.append(f"if the rule for {p.key} is meant ({says}{cite}), write its kind as {p.key}")
    text = (f"{entry.where} (kind '{entry.kind_text or entry.kind}') is counted as written; {'; or '.join(ifs)}. "
            f"The log cannot show whether the rule applies: confirm it, or correct the row.")
    read_as.append((entry, text, True))


def due_words(due: date, latest_due: date) -> str:
    """The due date as far as it is known: one day, or the days it lies between when the certification
    date is known only to the month or year (the earliest alone would claim a day nobody knows)."""
    return str(due) if latest_due == due else f"between {due} and {latest_due}"


def _either(grace: Param | None, due: date, first: date, last: date) -> str:
    """The days a grace window may end on, each reading's: `first, or until last`, or with the days between
    (`2029-05-28, 2029-05-29 or 2029-05-31`: the 90 days end between the three months' two readings)."""
    ends = sorted({end for end, _ in grace_readings(grace, due)}) if grace is not None else []
    if len(ends) <= 2 or ends[0] != first or ends[-1] != last:
        return f"{first}, or until {last}"
    return f"{', '.join(map(str, ends[:-1]))} or {last}"


def _latest_grace_end(rules, due_range: tuple[date, date], grace_end: date) -> date:
    """The last day any grace window can be open when the due date is one of the days `due_range`
    spans (the certification date given only to the month or year): the window after its last day."""
    last = due_range[1]
    grace = rules.version("grace", last)
    return grace_ends(grace, last)[1] if grace is not None and isinstance(grace["length"], Offset) else grace_end


def _actions(rules, used, status, as_of, due_range, grace_end, after, ce, next_fee,
             day_unsettled: bool = False, cycle_unsettled: bool = False, window_open: bool = False) -> list[str]:
    """What to do, in the answer's words. `day_unsettled`: the answer is a review because it turns on the
    day of a certification date given only to the month or year; `cycle_unsettled`: on which of two days
    the sources leave open the cycle ends (_Dated); `window_open`: past the due date, a grace window is
    open on some reading."""
    actions: list[str] = []
    due = due_range[0]  # the earliest: what to plan on
    was_due = due_words(*due_range)  # what is known of the day that has passed
    ce_text = _ce_action(ce, due, as_of)
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
        text = f"Expired {was_due}; until {grace_end} you may still renew"
        text += f" ({grace['allows']})" if grace and grace["allows"] else ""
        actions.append(text + "." + (f" {ce_text}" if ce_text else ""))
        if after:  # (after the latest reading's end: the days before it are a review, as a note says)
            actions.append(f"After {grace_ends(grace, due)[1] if grace else grace_end}: {after}.")
    elif status == LAPSED:
        text = f"Expired {was_due}"
        if grace_end:  # (lapsed: every reading's window has closed, for every day the due date may be)
            ended = _latest_grace_end(rules, due_range, grace_end)
            text += f"; the grace window ended {grace_end}" if ended == grace_end else f"; the grace window ended by {ended}"
        actions.append(text + ".")
        if after:
            actions.append(f"Now: {after}.")
    elif day_unsettled:
        actions.append(f"Give the date of certification to the day: due {was_due}, so whether renewal is still open "
                       f"on {as_of} depends on it.")
    elif cycle_unsettled:
        actions.append(f"Check with the certifying body: due {was_due} (the sources do not say which day ends the "
                       f"cycle), so whether renewal is still open on {as_of} is theirs to say.")
    else:
        actions.append("Check with the certifying body: the sources do not settle this answer.")
        if as_of <= due:
            actions.append(ce_text or f"Renew by {due}.")
        elif grace_end is not None:
            grace = rules.version("grace", due)
            latest_end = grace_ends(grace, due)[1] if grace is not None else grace_end
            if grace_end < as_of <= latest_end:  # past the shorter reading's end, inside the longer one's
                actions.append(f"Expired {was_due}; the sources "
                               + ("disagree" if grace and grace["other_reading"] else "do not settle") + " whether renewal"
                               + (f" {grace['allows']}" if grace and grace["allows"] else "")
                               + f" is still open (until {_either(grace, due, grace_end, latest_end)}).")
            else:  # (due on a day not known: the window of the latest such day runs longest)
                latest_end = _latest_grace_end(rules, due_range, grace_end)
                if as_of > latest_end:  # past even that: say so, and what the sources say follows
                    actions.append(f"Expired {was_due}; the grace window the sources give ended {latest_end}"
                                   + (f" (then: {after})." if after else "."))
                elif as_of <= grace_end and grace is not None and grace.meta.confidence != "low" and \
                        latest_end == grace_ends(grace, due)[1]:  # (a review for another reason: short of CE)
                    actions.append(f"Expired {was_due}; renewal" + (f" {grace['allows']}" if grace["allows"] else "")
                                   + f" is open until {grace_end}"
                                   + (f" (on one reading until {latest_end})." if latest_end != grace_end else "."))
                else:
                    actions.append(f"Expired {was_due}; a grace window may run until {latest_end}.")
            if window_open and ce_text:
                actions.append(ce_text)
        elif (grace := rules.version("grace", due)) is not None and grace["length"] == "unknown":
            # (not "expired": the sources say non-compliance ends it, not when after the due date)
            actions.append(f"Was due {was_due}; the sources do not settle what follows (a late renewal, a lapse, when).")
        else:
            actions.append(f"Expired {was_due}.")
    if next_fee is not None and status in (CURRENT, DUE_SOON, REVIEW):
        actions.append(f"Pay the annual fee in {next_fee:%B %Y}.")
    for also in rules.keyed("also", due).values():
        used.add(also)
        actions.append(f"Also: {also.meta.says}.")
    return actions


def _ce_action(ce: CeProgress | None, due: date, as_of: date) -> str | None:
    """The CE part of the advice. Past the due date it names no day gone by as one to earn credits by: it
    says what counted by the due date, and that credits earned after it are an open question."""
    if ce is None:
        return None
    start = ce.window[0]
    past = as_of > due
    late = f"whether {ce.unit} earned after {due} count is an open question for the certifying body"
    if ce.counted is None:
        parts = [f"{amount_text(r.required)} {r.name}" for r in ce.by_requirement[1:] if r.required]
        extra = f" ({', '.join(parts)})" if parts else ""
        if past:
            return f"Renewing by CE takes {amount_of(ce.required, ce.unit)} earned between {start} and {due}{extra}; {late}."
        return f"Earn {amount_of(ce.required, ce.unit)} between {start} and {due}{extra}."
    if not ce.missing:
        if past:
            return f"CE complete: {amount_of(ce.counted, ce.unit)} counted, earned by {due}."
        return f"CE complete: {amount_of(ce.counted, ce.unit)} counted; submit them by {due}."
    parts = [f"{amount_text(r.missing)} {r.name}" for r in ce.by_requirement[1:] if r.missing]
    extra = f", of them {', '.join(parts)}" if parts else ""
    if past:
        return f"{amount_of(ce.missing, ce.unit)} short at the due date{extra}; {late}."
    return f"Earn {amount_of(ce.missing, 'more ' + ce.unit)} by {due}{extra}."
