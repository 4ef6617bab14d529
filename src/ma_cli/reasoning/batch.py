"""Batch runs over a roster: one result per row, and the counts for the summary. Pure.

A `Job` says what a batch command asks of each row: `batch eligible` is `eligible_job`;
another question (renewal) is one more function returning a Job with its own fields.
The rule set is compiled by the caller once per run and closed over here, never per row.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from ma_cli.base.errors import At, InputError
from ma_cli.base.frozen import record
from ma_cli.inputs.profile import check_dates
from ma_cli.inputs.roster import RosterRow
from ma_cli.inputs.roster_columns import RosterLine
from ma_cli.reasoning.engine import ELIGIBLE, NOT_ELIGIBLE, REVIEW, Prepared
from ma_cli.ruleset.rules import Credential, RuleSet

OK, ERROR, SKIPPED = "ok", "error", "skipped"


@record
class RowResult:
    line: int
    id: str
    error: str | None  # why the row has no answers (an error, or why it was skipped)
    answers: dict[str, tuple]  # credential id -> values in the order of Job.fields
    extra: tuple[str, ...]
    skipped: bool = False
    # the credentials an error row asked about (a renewal row: its own, when it could be read); None:
    # every credential of the job (an eligibility row asks them all)
    asked: tuple[str, ...] | None = None

    @property
    def status(self) -> str:
        return SKIPPED if self.skipped else ERROR if self.error is not None else OK


@record
class Job:
    command: str                      # "eligible"
    credentials: tuple[str, ...]      # ids, in output order
    fields: tuple[str, ...]           # per credential; the first is the answer that is counted
    answers: tuple[str, ...]          # the values the first field can take, in report order
    hits: tuple[str, ...]             # the answers counted in the headline ...
    headline: str                     # ... how the headline says it ...
    hit_key: str                      # ... and the summary's name for that count
    evaluate: Callable[[RosterRow], RowResult]


def failed(row: RosterRow, message: str, asked: tuple[str, ...] | None = None) -> RowResult:
    return RowResult(row.line, row.id, message, {}, row.extra, asked=asked)


def eligible_job(credentials: list[Credential], as_of: date, rule_set: RuleSet | None = None) -> Job:
    """`batch eligible`: the answers for `credentials` on as_of; with the whole `rule_set`, a row whose
    failed attempts or held credentials name a credential it does not have is an error row
    (RuleSet.unknown_credential)."""
    from ma_cli.language.kinds import credential_reads
    from ma_cli.reasoning.readings import row_answer
    from ma_cli.reasoning.until import Until
    from ma_cli.reasoning.why import Why

    creds = tuple(credentials)
    # the rules in force on as_of, resolved and compiled once per run (the same answers as Prepared.decide);
    # how long an eligible answer lasts if nothing changes but time (until.py: the plan's last day); and
    # the trace's first reason for any other answer (why.py)
    prepared = tuple(Prepared(c, as_of) for c in creds)
    deciders = tuple((c.id, p.decider(), Until(c, as_of, decider=p.decider()).last_day, Why(p).line,
                      credential_reads(c)) for c, p in zip(creds, prepared))

    def evaluate(row: RosterRow) -> RowResult:
        if row.error:
            return failed(row, row.error)
        profile = row.subject
        try:  # a program 'completed' after the as-of date is a typo for 'expected', not an answer
            check_dates(profile, as_of, RosterLine(row.line))
        except InputError as err:
            return failed(row, str(err))
        if rule_set is not None and (profile.failed_attempts or profile.held):
            found = rule_set.unknown_credential(profile)
            if found:
                return failed(row, str(InputError(found[1], at=At(RosterLine(row.line), found[0]))))
        answers = {}
        vague = profile.vague  # dates given only to the month: answered on every day they can mean
        try:
            for cid, answer, last_day, why, reads in deciders:  # the decision fields only: no room for a trace
                if vague:
                    decision, until, line = row_answer(profile, as_of, answer, last_day, why, reads)
                    status, route, deadline, opens = decision
                else:
                    decision = answer(profile)
                    status, route, deadline, opens = decision
                    if status == ELIGIBLE:
                        until, line = last_day(profile, decision), None
                    else:
                        until, line = None, why(profile, decision)
                answers[cid] = (status, route.id if route is not None else None, deadline, opens, until,
                                route.deadline_says if deadline is not None else None, line)
        except (ValueError, OverflowError) as err:  # a date so far out that calendar arithmetic leaves 1..9999
            return failed(row, f"line {row.line}: cannot be evaluated ({err})")
        return RowResult(row.line, row.id, None, answers, row.extra)

    return Job("eligible", tuple(c.id for c in creds),
               ("answer", "route", "deadline", "earliest", "eligible_until", "deadline_says", "why"),
               (ELIGIBLE, REVIEW, NOT_ELIGIBLE), (ELIGIBLE,), "eligible for at least one credential", "eligible_any",
               evaluate)


def renew_job(credentials: list[Credential], as_of: date, warn_days: int) -> Job:
    """One credential a row (roster_renew): status, due date and CE still missing."""
    from ma_cli.reasoning.renewal import DUE_SOON, GRACE, LAPSED, REVIEW as RENEWAL_REVIEW, STATUSES, Renewer
    from ma_cli.ruleset.renewal_rules import compile_renewal

    # compiled and prepared once per run (a broken rule file stops here); each Renewer keeps what
    # depends only on a certification date, which a roster repeats row after row
    renewers = {c.id: Renewer(compile_renewal(c), as_of, warn_days) for c in credentials}

    def skipped(row: RosterRow, credential: str) -> RowResult:
        return RowResult(row.line, row.id, f"{credential} not asked (--cert)", {}, row.extra, True)

    def evaluate(row: RosterRow) -> RowResult:
        if row.error:
            # a row about a credential --cert left out is skipped whatever else is wrong in it, as a good
            # one is: it is not this run's business; only a credential cell that cannot be read (about is
            # None) leaves no way to tell, so that row stays an error
            if row.about is not None and row.about not in renewers:
                return skipped(row, row.about)
            return failed(row, row.error, (row.about,) if row.about is not None else ())
        request = row.subject
        renewer = renewers.get(request.credential)
        if renewer is None:
            return skipped(row, request.credential)
        try:  # the fields of renew()'s answer, without the actions and notes nobody reads here
            values = renewer.standing(request.since, request.log)
        except (ValueError, OverflowError) as err:  # InputError included: the row's own problem
            return failed(row, f"line {row.line}: cannot be evaluated ({err})", (request.credential,))
        return RowResult(row.line, row.id, None, {request.credential: values}, row.extra)

    return Job("renew", tuple(renewers), ("status", "due", "days_left", "grace_end", "ce_required", "ce_counted",
                                          "ce_missing", "ce_unit"),
               STATUSES, (DUE_SOON, GRACE, LAPSED, RENEWAL_REVIEW), "need action (due soon, grace, lapsed or review)",
               "action_any", evaluate)


class Tally:
    """Counts kept while streaming (memory does not grow with the roster); changed row by row, so a
    plain class, not a record."""

    def __init__(self, job: Job):
        self.job = job
        self.rows = self.errors = self.skipped = self.hits = 0
        self.counts: dict[str, dict[str, int]] = {c: dict.fromkeys(job.answers + (ERROR,), 0) for c in job.credentials}

    def add(self, result: RowResult) -> None:
        self.rows += 1
        if result.skipped:
            self.skipped += 1
            return
        if result.error is not None:
            # once in `errors`, and as the answer of each credential the row asked about: every credential
            # for an eligibility row, a renewal row's own (none when its credential cannot be read)
            self.errors += 1
            counts = self.counts
            for cred in self.job.credentials if result.asked is None else result.asked:
                per = counts.get(cred)
                if per is not None:  # (a credential --cert left out: the row is counted in `errors` alone)
                    per[ERROR] += 1
            return
        hit = False
        counts, hits = self.counts, self.job.hits
        for cred, values in result.answers.items():
            answer = values[0]
            per = counts[cred]
            per[answer] = per.get(answer, 0) + 1
            if not hit and answer in hits:
                hit = True
        self.hits += hit
