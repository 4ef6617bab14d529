"""The Python API: the answers of `eligible`, `plan`, `renew` and `batch eligible` as Python values.

Each function returns exactly what the matching `--json` (or `batch eligible --format jsonl`, one
row at a time) prints, as dicts, lists, strings, numbers and None: the same document, built by
the same code, never printed and never turned into JSON text on the way. The CLI calls these
functions (or the steps they are made of); they never call the CLI.

Bad input raises `ma_cli.InputError` with the message the CLI would print after `ma-cli: error: `.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from ma_cli.base.bounds import LONGEST_WRITTEN, digits, read as read_number, too_long
from ma_cli.base.errors import PARAMETERS, Arguments, At, InputError

if TYPE_CHECKING:
    from ma_cli.inputs.profile import Profile
    from ma_cli.ruleset.rules import Credential, RuleSet

ProfileLike = Union[Mapping[str, Any], str, "os.PathLike[str]"]
DateLike = Union[date, str, None]
PathLike = Union[str, "os.PathLike[str]"]


# --- the pieces -------------------------------------------------------------------------------

def as_of_day(value: DateLike, what: str = "as_of") -> date:
    """A date, or ISO text (`YYYY-MM-DD` or `YYYY-MM`); None is today. A date object is held to the
    years text is (dates.FIRST_YEAR to LAST_YEAR): one reader, parse_date, for both."""
    from ma_cli.base.dates import parse_date, written_date

    if value is None:
        return date.today()
    value = _plain(value)
    if isinstance(value, (date, str)):  # (a datetime: midnight is that day, another time refused)
        return parse_date(written_date(value), what)
    raise InputError(f"{what}: {value!r} is not a date (expected a date or YYYY-MM-DD text)")


def ruleset(rules: Optional[PathLike] = None) -> "RuleSet":
    """The bundled rules, with a local folder (`rules`, or MA_CLI_RULES when not given) over them."""
    from ma_cli.ruleset.rules_validate import load_rules

    if rules is not None and not isinstance(rules, (str, os.PathLike)):
        raise InputError(f"rules: expected a folder path, not {type(rules).__name__}")
    if isinstance(rules, os.PathLike) and not isinstance(os.fspath(rules), str):
        raise InputError(f"rules: expected a folder path as text, not {type(os.fspath(rules)).__name__}")
    if rules is not None:
        _named_path(rules, "rules", "a folder of rule files, or None for the bundled rules")
    return load_rules(rules)


def _named_path(path: PathLike, what: str, expected: str) -> Path:
    """A file or folder name given in Python; an empty one is refused, as the CLI refuses one (Path('') is
    '.', the current folder, which would be read instead)."""
    if not os.fspath(path):
        raise InputError(f"'' is an empty name (expected {expected})", at=what)
    return Path(path)


def _names(credentials: Union[str, Iterable[str], None], what: str = "credentials") -> Optional[list[str]]:
    if credentials is None:
        return None
    from ma_cli.ruleset.rules import split_names

    if isinstance(credentials, str):
        return split_names([credentials], what)
    if not isinstance(credentials, Iterable) or isinstance(credentials, (bytes, Mapping)):
        raise InputError(f"expected a credential name or a list of them, not {type(credentials).__name__}", at=what)
    return split_names([_text(c) for c in credentials], what)


def _text(value: Any) -> str:
    """A value given in Python where text is read (a credential's name, a roster cell): an int by its
    digits however many (str() of one of more than 4,300 digits raises)."""
    return digits(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _asked(credentials: Any, name: str = "credentials") -> Any:
    """The public functions' `credentials`: None asks for every credential; an empty list asks for
    none, which is surely not what was meant (the CLI's missing --cert is None)."""
    if credentials is not None and not isinstance(credentials, str) and isinstance(credentials, (list, tuple, set,
                                                                                                 frozenset)):
        if not credentials:
            raise InputError(f"{name}: an empty list names no credential (expected credential ids such as "
                             f"['cma'], or None for every credential)")
    return credentials


def _flag(value: Any, name: str) -> bool:
    """A yes/no argument of the public functions: True or False only (`explain="no"` would be true)."""
    if not isinstance(value, bool):
        raise InputError(f"{name}: expected True or False, not {type(value).__name__}")
    return value


def _plain(value: Any) -> Any:
    """A value from Python (a mapping with dates as date objects, tuples) as the YAML loader would give it:
    the one place the API's values are read before any reader or message turns them into text. An int of
    more than LONGEST_WRITTEN digits is the text of its digits (bounds.too_long), as YAML keeps such
    digits: an `id` reads it as text, a number field refuses it, and no message converts it (str() of
    more than 4,300 digits raises a ValueError)."""
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and not -10 ** 29 < value < 10 ** 30:
        text = digits(value)
        return too_long(text) if len(text) > LONGEST_WRITTEN else value
    return value  # (a datetime stays one, as YAML's timestamp does: its reader takes an export's midnight, refuses other times)


def profile_file(path: PathLike, as_of: Optional[date] = None) -> "Profile":
    """A person from a profile file (`-`: standard input); with `as_of`, facts that cannot be true then are refused."""
    from ma_cli.inputs.profile import check_dates, parse_profile
    from ma_cli.inputs.yamlio import load_file, shown

    data = load_file(_named_path(path, "profile", "a profile file's path, or a mapping in the profile format"),
                     "profile")
    person = parse_profile(data, shown(path))
    if as_of is not None:
        check_dates(person, as_of, shown(path))
    return person


def person(profile: Any, as_of: Optional[date] = None) -> "Profile":
    """A person from a mapping in the profile format, a profile file's path, or a parsed Profile."""
    from ma_cli.inputs.profile import Profile, check_dates, parse_profile

    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, Mapping):
        who = parse_profile(_plain(profile), "profile")
        if as_of is not None:
            check_dates(who, as_of, "profile")
        return who
    if isinstance(profile, (str, os.PathLike)):
        return profile_file(profile, as_of)
    raise InputError(f"profile: expected a mapping in the profile format or a file path, not {type(profile).__name__}")


def known_credentials(who: "Profile", rule_set: "RuleSet") -> None:
    """Failed attempts at, or a held, credential the rule set does not know are refused
    (RuleSet.unknown_credential), named where the profile was read from."""
    from ma_cli.base.errors import At
    from ma_cli.inputs.profile import place

    found = rule_set.unknown_credential(who)
    if found:
        path, problem = found
        raise InputError(problem, at=At(place(who.read_from or "profile").source, path))


def decide(who: "Profile", day: date, credentials=None, rules=None,
           args: Arguments = PARAMETERS) -> tuple[list, str, list["Credential"]]:
    """The decisions (with their traces) for one person: (decisions, rules origin, credentials);
    `args` names the arguments in messages (the CLI's flags, or these parameters)."""
    from ma_cli.reasoning.engine import evaluate
    from ma_cli.ruleset.rules import describe_origin

    rule_set = ruleset(rules)
    known_credentials(who, rule_set)
    what = args("credentials")
    creds = rule_set.pick(_names(credentials, what), what, fields=True)
    return evaluate(who, creds, day), describe_origin(creds), creds


# --- the public functions ---------------------------------------------------------------------

def eligible(profile: ProfileLike, *, as_of: DateLike = None, credentials: Union[str, Iterable[str], None] = None,
             explain: bool = False, rules: Optional[PathLike] = None) -> dict:
    """What `ma-cli eligible --json [--explain]` prints for this person, as a dict."""
    from ma_cli.output.render import eligibility_doc

    day = as_of_day(as_of)
    explain = _flag(explain, "explain")
    who = person(profile, day)
    decisions, origin, creds = decide(who, day, _asked(credentials), rules)
    return eligibility_doc(day, decisions, origin, who.id, explain, last_days(who, creds, decisions, day))


def last_days(who: "Profile", creds, decisions, day: date) -> dict:
    """Per credential eligible today, the last day eligible by any route if nothing changes but time:
    the plan's own answer (planner.eligible_until, which is Plan.eligible_until without the rest of the
    plan; None when eligible through its horizon)."""
    from ma_cli.reasoning.engine import ELIGIBLE
    from ma_cli.reasoning.planner import eligible_until

    return {c.id: eligible_until(c, who, day) for c, d in zip(creds, decisions) if d.status == ELIGIBLE}


def plan_for(who: "Profile", day: date, credentials=None, assume: Iterable[str] = (), rules=None,
             args: Arguments = PARAMETERS):
    """(plans, rules origin, the what-ifs as given) for one person; `args` names the arguments in messages.
    (The as-of day needs no check that the plan's years ahead fit the calendar: every reader of one
    holds it to dates.LAST_YEAR.)"""
    from ma_cli.reasoning.planner import plan as make_plan
    from ma_cli.ruleset.rules import describe_origin

    name = args("assume")
    if isinstance(assume, str):
        assume = [assume]
    if assume is not None and (not isinstance(assume, Iterable) or isinstance(assume, (bytes, Mapping))):
        raise InputError(f"expected a what-if text or a list of them, not {type(assume).__name__}", at=name)
    given = list(assume or ())
    for i, text in enumerate(given):
        if not isinstance(text, str):  # (str(None) would be read as the what-if 'None')
            raise InputError(f"expected a what-if text such as 'work: full-time from 2027-01', not "
                             f"{type(text).__name__}", at=At(args, ("assume", i)))
    rule_set = ruleset(rules)
    known_credentials(who, rule_set)  # the person as given, named where they were read
    if given:  # (the what-if reader compiles its patterns on import: a plan without --assume skips it)
        from ma_cli.reasoning.assume import apply_assumption

        for text in given:
            before = len(who.held)
            who = apply_assumption(who, text, day, name)
            for held in who.held[before:]:  # a what-if's credential: named by the what-if that gave it
                if held.credential not in rule_set.credentials:
                    raise InputError(f"{name} '{text}': {rule_set.unknown_text(held.credential)}")
    what = args("credentials")
    creds = rule_set.pick(_names(credentials, what), what, fields=True)
    return make_plan(who, creds, day), describe_origin(creds), given


def plan(profile: ProfileLike, *, as_of: DateLike = None, credentials: Union[str, Iterable[str], None] = None,
         assume: Iterable[str] = (), explain: bool = False, rules: Optional[PathLike] = None) -> dict:
    """What `ma-cli plan --json [--assume ...] [--explain]` prints for this person, as a dict."""
    from ma_cli.output.render_plan import plan_doc

    day = as_of_day(as_of)
    explain = _flag(explain, "explain")
    who = person(profile, day)
    plans, origin, given = plan_for(who, day, _asked(credentials), assume, rules)
    return plan_doc(day, plans, origin, who.id, given, explain)


def warn_days_checked(value: int, args: Arguments = PARAMETERS) -> int:
    """`warn_days` (`--warn-days N`): a whole number within bounds.BOUNDS (0 to 3,650: a bigger N put the
    reminder before the first calendar day)."""
    name = args("warn_days")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"expected a whole number of days as an int, got {_plain(value)!r}", at=name)
    return read_number(value, "warn_days", name)


def renewals(*, credential=None, since=None, profile=None, ce_log=None, as_of: DateLike = None, warn_days: int = 90,
             rules=None, encoding: Optional[str] = None, args: Arguments = PARAMETERS):
    """(as-of day, renewal statuses, rules origin, profile id): the steps of `renew`, for the CLI and `renew`.

    `encoding`: the CE log file's text encoding (--encoding, a Python codec name; None: UTF-8; a file's
    byte-order mark wins over either); `args` names the arguments in messages (the CLI's flags, or these
    parameters)."""
    from ma_cli.base.dates import parse_partial, written_date
    from ma_cli.reasoning.renewal import renew as renew_one
    from ma_cli.ruleset.renewal_rules import compile_renewal
    from ma_cli.ruleset.rules import describe_origin

    n = args  # each argument's name, as the caller wrote it
    day = as_of_day(as_of, n("as_of"))
    warn_days = warn_days_checked(warn_days, n)
    codec = None
    if encoding is not None:  # checked even without a CE log: a misspelt codec is never passed over
        from ma_cli.inputs.roster import check_encoding

        codec = check_encoding(encoding, n("encoding"))
    cert = _names(credential, n("credential"))
    person_id = None
    rule_set: Optional["RuleSet"] = None
    if since is not None:
        if profile is not None:
            raise InputError(f"{n('since')} and {n('profile')}: give one or the other (the profile's held: entries "
                             f"carry their own dates)")
        if not cert:
            raise InputError(f"{n('since')} needs exactly one {n('credential')}, e.g. "
                             f"{n.example(('credential', 'cma'), ('since', '2022-03-15'))}")
        # one credential named twice is that credential, as --cert reads for eligible, plan and batch
        # (RuleSet.pick); two are refused: --since is the date of one certification
        first = cert[0].strip().lower()
        other = next((c for c in cert if c.strip().lower() != first), None)
        if other is not None:
            raise InputError(f"{n('credential')} names two credentials ('{cert[0]}', then '{other}'); expected one "
                             f"{n('credential')} with {n('since')} (the date of one credential's certification)")
        start = parse_partial(written_date(_plain(since)), n("since"), allow_year=True)
        if start.first > day:
            raise InputError(f"{n('since')} {start.text} is after the as-of date {day} (expected the date of "
                             f"certification or last recertification, on or before the as-of date)")
        wanted = [(cert[0], start)]
    elif profile is not None:
        from ma_cli.inputs.profile import parse_profile

        if isinstance(profile, Mapping):
            data, name = _plain(profile), "profile"
        elif isinstance(profile, (str, os.PathLike)):
            from ma_cli.inputs.yamlio import load_file, shown

            data, name = load_file(_named_path(profile, "profile", "a profile file's path, or a mapping in the "
                                               "profile format"), "profile"), shown(profile)
        else:
            raise InputError(f"profile: expected a mapping in the profile format or a file path, "
                             f"not {type(profile).__name__}")
        who = parse_profile(data, name)  # validates every field, as `eligible` does
        rule_set = ruleset(rules)
        known_credentials(who, rule_set)  # (named in the profile, not as a --cert never given)
        person_id = who.id
        only = {c.strip().lower() for c in cert or []}
        wanted = []
        first_entry: dict[str, int] = {}
        for i, held in enumerate(who.held):
            if only and held.credential not in only:
                continue
            if held.since is None:
                raise InputError(f"{name}: held[{i}] ({held.credential}) needs 'since' (the date of "
                                 f"certification or last recertification) to renew")
            # read the text again so that `since: 2022-03` keeps its month precision
            start = parse_partial(written_date(data["held"][i]["since"]), f"{name}: held[{i}].since", allow_year=True)
            if start.first > day:
                raise InputError(f"{name}: held[{i}].since {start.text} is after the as-of date {day} (expected "
                                 f"the date of certification or last recertification, on or before the as-of date)")
            if held.credential in first_entry:
                # two dates for one credential: which cycle is current is the person's to say, not the order's
                raise InputError(f"{name}: held[{i}] names {held.credential} again (held[{first_entry[held.credential]}] "
                                 f"has it); expected each credential once, with its latest certification date")
            first_entry[held.credential] = i
            wanted.append((held.credential, start))
        if not wanted:
            raise InputError(f"{name}: no held: credentials to renew"
                             + (f" among {n('credential')} {', '.join(sorted(only))}" if only else ""))
    elif n.flags:
        raise InputError("renew needs --cert CRED --since DATE, or --profile FILE with held: credentials")
    else:
        raise InputError("renew needs credential= and since=, or profile= with held: credentials")

    creds = (rule_set or ruleset(rules)).pick([name for name, _ in wanted], n("credential"))
    log = None
    if ce_log is not None:
        from ma_cli.inputs.celog import parse_ce_rows, read_ce_log

        if isinstance(ce_log, (str, os.PathLike)):
            log = read_ce_log(_named_path(ce_log, "ce_log", "a CE log file's path, or a list of entries"), day, codec, n)
        elif isinstance(ce_log, Iterable) and not isinstance(ce_log, (bytes, Mapping)):
            log = parse_ce_rows([_plain(entry) for entry in ce_log], "ce_log", day)
        else:
            raise InputError(f"ce_log: expected a file path or a list of entries, not {type(ce_log).__name__}")
    statuses = [renew_one(compile_renewal(cred), start, day, warn_days, log)
                for cred, (_, start) in zip(creds, wanted)]
    return day, statuses, describe_origin(creds), person_id


def renew(*, credential: Union[str, Iterable[str], None] = None, since: DateLike = None,
          profile: Optional[ProfileLike] = None, ce_log: Union[PathLike, Iterable[Mapping[str, Any]], None] = None,
          as_of: DateLike = None, warn_days: int = 90, rules: Optional[PathLike] = None,
          encoding: Optional[str] = None) -> dict:
    """What `ma-cli renew --json` prints, as a dict: `credential` and `since`, or a `profile` with held entries;
    `encoding` is the CE log file's (--encoding)."""
    from ma_cli.output.render_renew import renewal_doc

    day, statuses, origin, person_id = renewals(credential=_asked(credential, "credential"), since=since,
                                                profile=profile, ce_log=ce_log, as_of=as_of, warn_days=warn_days,
                                                rules=rules, encoding=encoding)
    return renewal_doc(day, statuses, origin, person_id)


class _MappingReader:
    """Rows given as mappings (column -> cell), read as the CSV reader reads a roster's lines.

    The first row's keys are the header; each row is one line (the header is line 1, as in a file).
    """

    def __init__(self, first: Mapping, rest: Iterator[Mapping]):
        self.header = [_text(k) for k in first if k is not None]
        self._keys = [k for k in first if k is not None]
        self._pending: Optional[Mapping] = first
        self._rest = rest
        self.line_num = 0

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        if self.line_num == 0:
            self.line_num = 1
            return list(self.header)
        row = self._pending if self._pending is not None else next(self._rest)
        self._pending = None
        self.line_num += 1
        if not isinstance(row, Mapping):
            raise InputError(f"rows: row {self.line_num - 1} is a {type(row).__name__}; expected a mapping of "
                             f"column to cell text")
        cells = [_cell(row.get(k)) for k in self._keys]
        more = [k for k in row if k not in self._keys and k is not None]
        if more:
            raise InputError(f"rows: row {self.line_num - 1} has column '{_text(more[0])}', which the first row lacks "
                             f"(expected the same columns in every row)")
        spill = row.get(None)  # csv.DictReader's place for the cells beyond the header
        if spill:
            cells += [_cell(c) for c in spill]
        return cells


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""  # an empty cell, however a data frame spells it
    if isinstance(value, date):
        # a datetime as written (with its time): the roster's reading of a date cell says what it makes of it
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if type(value).__name__ in ("NaTType", "NAType"):  # pandas' missing values, without importing pandas
        return ""
    return _text(value)  # (a CSV cell holds an int's digits, however many)


def eligible_rows(rows: Iterable[Mapping[str, Any]], *, as_of: DateLike = None,
                  credentials: Union[str, Iterable[str], None] = None,
                  rules: Optional[PathLike] = None, columns: Optional[Mapping[str, str]] = None,
                  date_order: Optional[str] = None) -> Iterator[dict]:
    """For each row (a mapping of roster columns to cell text), what `batch eligible --format jsonl` prints
    for it, as a dict. The rules are compiled once; rows are read one at a time (memory stays flat).
    No rows, no answers (an empty partition of a data frame is not an error). `columns` maps a key onto
    a roster column (`{'Student ID': 'id'}`; onto '' to pass it through), as `--column` does; `date_order`
    ('mdy' or 'dmy') reads slash dates, as `--date-order` does."""
    from ma_cli.inputs.roster import ELIGIBILITY, ReadOptions, Roster, check_columns, check_date_order
    from ma_cli.output.render_batch import JsonLinesRows
    from ma_cli.reasoning.batch import eligible_job

    day = as_of_day(as_of)
    if columns is not None and not isinstance(columns, Mapping):
        raise InputError(f"expected a mapping of key to roster column, not {type(columns).__name__}", at="columns")
    read = ReadOptions(columns=check_columns(None, ELIGIBILITY, {_text(k): _text(v) for k, v in (columns or {}).items()}),
                       date_order=check_date_order(date_order, "date_order") if date_order is not None else None,
                       python=True)
    rule_set = ruleset(rules)
    creds = rule_set.pick(_names(_asked(credentials)), "credentials", fields=True)
    job = eligible_job(creds, day, rule_set)
    return _rows(rows, job, day, Roster, ELIGIBILITY, JsonLinesRows, read)


_NO_ROW = object()


def _rows(rows, job, day, Roster, kind, JsonLinesRows, read) -> Iterator[dict]:
    if not isinstance(rows, Iterable) or isinstance(rows, (str, bytes, Mapping)):
        raise InputError(f"rows: expected an iterable of mappings of column to cell text, not {type(rows).__name__}")
    it = iter(rows)
    first = next(it, _NO_ROW)
    if first is _NO_ROW:
        return
    if not isinstance(first, Mapping):
        raise InputError(f"rows: row 1 is a {type(first).__name__}; expected a mapping of column to cell text")
    roster = Roster(_MappingReader(first, it), "rows", kind, read)
    record = JsonLinesRows(None, job, roster.extra_names, day, "").record
    evaluate = job.evaluate
    for row in roster:
        yield record(evaluate(row))
