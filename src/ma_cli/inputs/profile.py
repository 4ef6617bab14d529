"""The person being advised: a validated, typed profile built from YAML or from CLI flags.

The profile format is a public interface (README, "Profile format"); every check here
names the field that is wrong and the form that is expected.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, Mapping

from ma_cli.base.bounds import MAX_ENTRIES, decimal_as_text, read as read_number
from ma_cli.base.dates import DATE_FORMS, DateOutOfRange, parse_partial, parse_text, written_date
from ma_cli.base.errors import At, Fields, InputError, Source, given_twice
from ma_cli.base.frozen import asdict, field, record

ACCREDITATIONS = ("caahep", "abhes", "institutional", "none", "naacls", "coa-omp", "independent-study")
AWARDS = ("certificate", "diploma", "associate")
# what a program trains for; medical-assisting is the default, so a profile without `field` reads as before
STUDY_FIELDS = ("medical-assisting", "medical-administrative", "phlebotomy", "ekg", "ophthalmic")
ROLES = ("medical-assistant", "instructor", "medical-administrative", "phlebotomy-technician", "ekg-technician",
         "ophthalmic-assistant")
MA_ROLES = ("medical-assistant", "instructor")  # the work the five medical-assistant credentials count
SKILLS = ("venipunctures", "capillary_sticks", "ekgs")  # documented successful procedures on live people
FULL_TIME_HOURS = 40.0


@record
class Program:
    accreditation: str
    completed: date | None = None
    expected: date | None = None
    accredited_since: date | None = None
    academic_hours: float | None = None
    externship_hours: float | None = None
    postsecondary: bool = True
    award: str | None = None
    apprenticeship: bool = False
    injections: int | None = None
    venipunctures: int | None = None
    field: str = "medical-assisting"
    clinical: bool | None = None  # the program includes clinical training (COA pathways A1 and A2)

    @property
    def end(self) -> date | None:
        """The day the program ends (or is expected to)."""
        return self.completed or self.expected

    def label(self) -> str:
        when = f"completed {self.completed}" if self.completed else f"expected {self.expected}"
        kind = "" if self.field == "medical-assisting" else f" {self.field}"
        what = f"unaccredited{kind} program" if self.accreditation == "none" else f"{self.accreditation}{kind} program"
        return f"{what}, {when}"


@record
class Military:
    completed: date | None = None
    expected: date | None = None

    @property
    def end(self) -> date | None:
        return self.completed or self.expected

    def label(self) -> str:
        when = f"completed {self.completed}" if self.completed else f"expected {self.expected}"
        return f"military medical training, {when}"


@record
class Work:
    role: str
    start: date
    end: date | None  # None: still working ("present")
    hours_per_week: float = FULL_TIME_HOURS
    supervised: bool | None = None

    @property
    def fte(self) -> float:
        """Share of a full-time week; part-time work counts pro rata, never more than full time."""
        return min(1.0, self.hours_per_week / FULL_TIME_HOURS)

    def label(self) -> str:
        return f"{self.role} {self.start}..{self.end or 'present'} at {self.hours_per_week:g} h/week"


@record
class Held:
    credential: str
    since: date | None = None


@record
class Skills:
    """Documented successful procedures on live people (counts; None: not given)."""
    venipunctures: int | None = None
    capillary_sticks: int | None = None
    ekgs: int | None = None


NO_SKILLS = Skills()


@record
class Vague:
    """A date given only to the month: where it was read (its place, in the input's own words), the
    text as given, and the first and last days it can mean. The profile holds the first day (what
    every check reads); reasoning/readings.py answers on the last day too."""

    at: At
    text: str
    first: date
    last: date

    @property
    def path(self) -> tuple:
        return self.at.path


# where a birth date known only from an age comes from (planner.age_as_birth_span): readings names it so
AGE_GIVEN = Fields("the profile")


# a work period's ends as an input names them (from, to) and as the record holds them (start, end)
FIELD_OF_KEY = {"from": "start", "to": "end"}


@record
class Profile:
    id: str | None = None
    age: int | None = None
    birth_date: date | None = None
    high_school: bool | date | None = None  # a date: expected graduation
    programs: tuple[Program, ...] = ()
    military: tuple[Military, ...] = ()
    work: tuple[Work, ...] = ()
    held: tuple[Held, ...] = ()
    failed_attempts: Mapping[str, int] = field(factory=dict)
    # the day of the last failed attempt at a credential's exam (retest waits count from it)
    last_attempt: Mapping[str, date] = field(factory=dict)
    skills: Skills = NO_SKILLS
    # where the profile was read (a file's name, the flags): a check made later, against the rule set,
    # names the field there; not a fact about the person, so not compared
    read_from: Any = field(default=None, compare=False, repr=False)
    # the dates given only to the month (Vague), in the order read; empty for a profile given to the day,
    # which costs nothing more. How the facts were given, not facts: not compared, as read_from
    vague: tuple[Vague, ...] = field(default=(), compare=False, repr=False)

    def facts(self) -> dict[str, Any]:
        """The person's facts as plain values (records inside made dicts): what was given, not where it
        was read from; a date given only to the month as its text ("2026-10", not the day it is held as)."""
        out = asdict(self)
        del out["read_from"], out["vague"]
        for v in self.vague:
            *inside, key = v.path
            holder: Any = out
            for step in inside:
                holder = holder[step] if isinstance(holder, (list, tuple)) or step in holder else None
                if holder is None:
                    break
            key = FIELD_OF_KEY.get(key, key)
            if isinstance(holder, dict) and holder.get(key) == v.first:
                holder[key] = v.text
        return out

    def age_on(self, day: date) -> int | None:
        if self.birth_date:
            return years_old(self.birth_date, day)
        return self.age


def years_old(born: date, day: date) -> int:
    """A person's age on `day` in whole years, the birthday counted on the day it falls (a 29 February
    birthday on 1 March in a common year): what `age` means, the age on the as-of date."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- parsing -----------------------------------------------------------------------------
# Every reader below names the field it refuses by its place (errors.At: the input's front end and
# the field's path in the profile, such as ("programs", 0, "completed")); the front end words it
# (`p.yaml.programs[0].completed`, `--graduated`, `line 5, column completed`).

_PROFILE_KEYS = ("id", "age", "birth_date", "high_school", "programs", "military", "work", "held",
                 "failed_attempts", "last_attempt", "skills")
_PROGRAM_KEYS = ("accreditation", "completed", "expected", "accredited_since", "academic_hours",
                 "externship_hours", "postsecondary", "award", "apprenticeship", "injections",
                 "venipunctures", "field", "clinical")
_MILITARY_KEYS = ("completed", "expected")
_WORK_KEYS = ("role", "from", "to", "hours_per_week", "supervised")
_HELD_KEYS = ("credential", "since")


def place(where: At | Source | str) -> At:
    """A place to name in messages: text names a mapping read from a file (errors.Fields)."""
    if where.__class__ is At:
        return where
    return At(where) if isinstance(where, Source) else At(Fields(where))


def suggest(word: str, choices, cutoff: float = 0.5) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_keys(data: Mapping, allowed, at: At) -> None:
    for key in data:
        if key not in allowed:
            raise InputError(f"unknown key '{key}'{suggest(key, allowed)}; expected one of: {', '.join(allowed)}", at=at)


def _mapping(value: Any, at: At) -> Mapping:
    # the dict check first: isinstance against the Mapping ABC is slow, and rosters parse one profile a row
    if not isinstance(value, dict) and not isinstance(value, Mapping):
        raise InputError(f"expected a mapping of keys to values, got {_kind(value)}", at=at)
    return value


def _list(value: Any, at: At, limit: int | None = None) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"expected a list, got {_kind(value)}", at=at)
    if limit is not None and len(value) > limit:
        raise InputError(f"{len(value):,} entries; expected at most {limit}", at=at)
    return value


def _kind(value: Any) -> str:
    # isinstance, not type(): loaded mappings are yamlio.Marked, and a repr of one is no message
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"'{value}'"


def _date(value: Any, at: At, optional: bool = True, vague: list[Vague] | None = None) -> date | None:
    """The date (a month-only one: its first day); a month-only date is noted in `vague` when given."""
    if value is None:
        if optional:
            return None
        raise InputError(f"missing (expected a date, {DATE_FORMS})", at=at)
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise InputError(f"'{value}' is not a date (expected {DATE_FORMS})", at=at)
    if isinstance(value, (list, tuple, set, Mapping)):  # (its text would be Python's: [datetime.date(...)])
        raise InputError(f"expected a date ({DATE_FORMS}), got {_kind(value)}", at=at)
    parsed = parse_partial(written_date(value), at)  # (an export's midnight is the date; other times refused)
    if vague is not None and parsed.first != parsed.last:
        vague.append(Vague(at, parsed.text, parsed.first, parsed.last))
    return parsed.first


def _number(value: Any, at: At, field: str) -> float | int | None:
    """A number field, within its bounds (bounds.BOUNDS: one table for profiles, rosters and CE logs)."""
    if value is None:
        return None
    value = decimal_as_text(value)  # (a Python caller's Decimal: read as its digits, as eligible_rows reads it)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(f"expected a number, got {_kind(value)}", at=at)
    return read_number(value, field, at)


# The yes/no words of every table and file ma-cli reads: a roster's yes/no cells, a profile's true/false
# fields written as text, a CE log's `approved`, in a CSV cell or a YAML text alike. on/off are among them
# because YAML reads an unquoted on/off as true/false: without them, `approved: on` counted while
# `approved: 'on'` and a CSV cell `on` were refused.
YES = frozenset({"yes", "y", "true", "t", "1", "on"})
NO = frozenset({"no", "n", "false", "f", "0", "off"})


def yes_no(text: str) -> bool | None:
    """True or False for a yes/no word (any case), None for any other text."""
    low = text.lower()
    return True if low in YES else False if low in NO else None


def _word_yes_no(value: Any) -> bool | None:
    """A profile value that is not YAML's true/false but says yes or no as a roster's cell would: a yes/no
    word as text (`'yes'` quoted, a data frame's text) or 1/0 unquoted; None for anything else."""
    if isinstance(value, str):
        return yes_no(value.strip())
    if type(value) is int and value in (0, 1):
        return bool(value)
    return None


def _bool(value: Any, at: At, default: bool | None = None) -> bool | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    word = _word_yes_no(value)
    if word is None:
        raise InputError(f"expected true or false, got {_kind(value)}", at=at)
    return word


def _or(value: Any, default: Any) -> Any:
    """A field's value, or its default when not given (left out, or null)."""
    return default if value is None else value


def _choice(value: Any, at: At, choices) -> str:
    if value is None:
        raise InputError(f"missing (expected one of: {', '.join(choices)})", at=at)
    text = str(value).strip().lower()
    if text not in choices:
        raise InputError(f"'{value}' is not known{suggest(text, choices)}; expected one of: {', '.join(choices)}", at=at)
    return text


def _one_end(data: Mapping, at: At, vague: list[Vague] | None) -> tuple[date | None, date | None]:
    completed = _date(data.get("completed"), at / "completed", vague=vague)
    expected = _date(data.get("expected"), at / "expected", vague=vague)
    if completed and expected:
        raise InputError("give either 'completed' or 'expected', not both", at=at)
    if not completed and not expected:
        raise InputError("needs 'completed' (a past date) or 'expected' (a future date)", at=at)
    return completed, expected


def parse_program(data: Any, where: At | str, vague: list[Vague] | None = None) -> Program:
    """A program entry; its month-only dates are noted in `vague` when given (as for each reader below)."""
    at = place(where)
    data = _mapping(data, at)
    _check_keys(data, _PROGRAM_KEYS, at)
    completed, expected = _one_end(data, at, vague)
    award = data.get("award")
    return Program(
        accreditation=_choice(data.get("accreditation"), at / "accreditation", ACCREDITATIONS),
        completed=completed,
        expected=expected,
        accredited_since=_date(data.get("accredited_since"), at / "accredited_since", vague=vague),
        academic_hours=_number(data.get("academic_hours"), at / "academic_hours", "academic_hours"),
        externship_hours=_number(data.get("externship_hours"), at / "externship_hours", "externship_hours"),
        postsecondary=_bool(data.get("postsecondary"), at / "postsecondary", True),
        award=_choice(award, at / "award", AWARDS) if award is not None else None,
        apprenticeship=_bool(data.get("apprenticeship"), at / "apprenticeship", False),
        injections=_number(data.get("injections"), at / "injections", "injections"),
        venipunctures=_number(data.get("venipunctures"), at / "venipunctures", "venipunctures"),
        field=_choice(_or(data.get("field"), STUDY_FIELDS[0]), at / "field", STUDY_FIELDS),
        clinical=_bool(data.get("clinical"), at / "clinical"),
    )


def parse_skills(data: Any, where: At | str) -> Skills:
    if data is None:
        return NO_SKILLS
    at = place(where)
    data = _mapping(data, at)
    _check_keys(data, SKILLS, at)
    return Skills(**{k: _number(data.get(k), at / k, k) for k in SKILLS})


def parse_military(data: Any, where: At | str, vague: list[Vague] | None = None) -> Military:
    at = place(where)
    data = _mapping(data, at)
    _check_keys(data, _MILITARY_KEYS, at)
    completed, expected = _one_end(data, at, vague)
    return Military(completed=completed, expected=expected)


def hours_per_week(value: Any, where: At | str) -> float | None:
    return _number(value, where, "hours_per_week")


def _in_order(start: date, end: date, ends: list[Vague], at: At) -> tuple[date, date]:
    """A work period's first and last day, where either may be given to the month: refused only when
    no day of TO comes on or after a day of FROM. A month shared by both is read on its days that
    keep the period in order (2024-01-15..2024-01: TO is one of January's days from the 15th on),
    the readings of each month-only end moved in (`ends` rewritten in place)."""
    by_key = {v.path[-1]: v for v in ends}
    first_from, last_to = start, by_key["to"].last if "to" in by_key else end
    if last_to < first_from:
        said = {key: by_key[key].text if key in by_key else str(day) for key, day in (("from", start), ("to", end))}
        raise InputError(f"'to' ({said['to']}) is before 'from' ({said['from']}) (expected 'to' on or after 'from', "
                         f"or present)", at=at)
    for i, v in enumerate(ends):
        if v.path[-1] == "to" and v.first < first_from:
            ends[i] = Vague(v.at, v.text, first_from, v.last)
            end = first_from
        elif v.path[-1] == "from" and v.last > last_to:
            ends[i] = Vague(v.at, v.text, v.first, last_to)
    return start, end


def parse_work(data: Any, where: At | str, vague: list[Vague] | None = None) -> Work:
    at = place(where)
    data = _mapping(data, at)
    _check_keys(data, _WORK_KEYS, at)
    ends: list[Vague] = []  # the period's month-only ends, held back until they are in order
    start = _date(data.get("from"), at / "from", optional=False, vague=ends)
    to = data.get("to")
    if to is None or (isinstance(to, str) and to.strip().lower() == "present"):
        end = None
    else:
        end = _date(to, at / "to", vague=ends)
        start, end = _in_order(start, end, ends, at)
    if vague is not None:
        vague.extend(ends)
    hours = hours_per_week(data.get("hours_per_week"), at / "hours_per_week")
    role = _or(data.get("role"), "medical-assistant")  # (null, as everywhere in a profile: not given)
    return Work(
        role=_choice(role, at / "role", ROLES),
        start=start,
        end=end,
        # (an Exact stays one: bounds.Exact, a share of full time compared as written)
        hours_per_week=FULL_TIME_HOURS if hours is None else hours if isinstance(hours, float) else float(hours),
        supervised=_bool(data.get("supervised"), at / "supervised"),
    )


def parse_held(data: Any, where: At | str) -> Held:
    # (a held credential's date is never read by a condition, held counts for good: no month-only note)
    at = place(where)
    data = _mapping(data, at)
    _check_keys(data, _HELD_KEYS, at)
    cred = data.get("credential")
    if not isinstance(cred, str) or not cred.strip():
        raise InputError("expected a credential name such as 'cma'", at=at / "credential")
    return Held(credential=cred.strip().lower(), since=_held_since(data.get("since"), at / "since"))


def _held_since(value: Any, at: At) -> date | None:
    """A held credential's date, to the day, month or year, as `renew --since` reads it (a year alone is what
    many certificates show; renew works out what it can from it). YAML reads `since: 2024` as a number."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif value is None or isinstance(value, (bool, float)):
        return _date(value, at)  # None, or the words for a value that is no date
    return parse_partial(written_date(value), at, allow_year=True).first


def parse_high_school(value: Any, where: At | str, vague: list[Vague] | None = None) -> bool | date | None:
    if value is None or isinstance(value, bool):
        return value
    word = _word_yes_no(value)  # (as _bool reads it)
    if word is not None:
        return word
    at = place(where)
    try:
        return _date(value, at, vague=vague)
    except DateOutOfRange:
        raise  # a date, out of range: said as every date field says it
    except InputError:
        if isinstance(value, str) and parse_text(value.strip(), False) == "unreal":
            raise  # written as a date, but no such day (2021-02-30): said as every date field says it
        raise InputError(f"expected true, false or the expected graduation date ({DATE_FORMS}), got {_kind(value)}",
                         at=at) from None


def parse_profile(data: Any, where: At | Source | str = "profile") -> Profile:
    """Build a Profile from a mapping (a loaded YAML file); raise InputError naming the bad field.

    `where` is the input's front end (errors.Source: the flags, a roster line), or the name of the
    file it was read from (text: fields are then named `p.yaml.programs[0].completed`)."""
    at = place(where)
    data = _mapping(data, at)
    _check_keys(data, _PROFILE_KEYS, at)
    pid = data.get("id")
    if pid is not None and (isinstance(pid, bool) or not isinstance(pid, (str, int, float, date))
                            or not str(pid).strip()):  # (an object's repr is not an id)
        raise InputError(f"expected a short text such as 's-0042', got {_kind(pid)}", at=at / "id")
    failed_at = at / "failed_attempts"
    attempts = _per_credential(data.get("failed_attempts") or {}, failed_at,
                               lambda key, n, place: _number(n, place, "failed_attempts"))
    age = _number(data.get("age"), at / "age", "age")
    programs_at, military_at, work_at, held_at = at / "programs", at / "military", at / "work", at / "held"
    vague: list[Vague] = []
    last_attempt = _last_attempts(data.get("last_attempt"), at / "last_attempt", attempts, vague)
    return Profile(
        id=None if pid is None else str(pid),
        age=age,
        birth_date=_date(data.get("birth_date"), at / "birth_date", vague=vague),
        high_school=parse_high_school(data.get("high_school"), at / "high_school", vague),
        programs=tuple(parse_program(p, programs_at / i, vague)
                       for i, p in enumerate(_list(data.get("programs"), programs_at, MAX_ENTRIES["programs"]))),
        military=tuple(parse_military(m, military_at / i, vague)
                       for i, m in enumerate(_list(data.get("military"), military_at, MAX_ENTRIES["military"]))),
        work=tuple(parse_work(w, work_at / i, vague)
                   for i, w in enumerate(_list(data.get("work"), work_at, MAX_ENTRIES["work"]))),
        held=tuple(parse_held(h, held_at / i)
                   for i, h in enumerate(_list(data.get("held"), held_at, MAX_ENTRIES["held"]))),
        failed_attempts=attempts,
        last_attempt=last_attempt,
        skills=parse_skills(data.get("skills"), at / "skills"),
        read_from=at.source,
        vague=tuple(vague),
    )


def _last_attempts(raw: Any, at: At, attempts: Mapping[str, Any], vague: list[Vague]) -> dict[str, date]:
    """`last_attempt: {ccma: 2026-10-01}`: the day of the last failed attempt, per credential. One needs a
    failed attempt counted under `failed_attempts` (a date with none would be a contradiction the rules
    read one way or the other without a word)."""
    if raw is not None and not isinstance(raw, Mapping):
        raise InputError(f"expected a mapping of credential to date, such as {{ccma: 2026-10-01}}, got {_kind(raw)}",
                         at=at)

    def day(key: str, value: Any, place: At) -> date:
        if not attempts.get(key):
            raise InputError(f"a last failed attempt at '{key}' needs a failed_attempts count for it (1 or more)",
                             at=place)
        return _date(value, at / key, optional=False, vague=vague)  # type: ignore[return-value]

    return _per_credential(raw or {}, at, day)


def _per_credential(raw: Any, at: At, read: Any) -> dict:
    """A mapping of credential to a value (failed_attempts, last_attempt), keyed in lower case, each value
    `read(key, value, place)`. A credential given twice in two spellings (`{cma: 3, CMA: 1}`) is refused:
    one would be kept as the last, a confident answer. Dates are shown as dates, never Python's repr."""
    found: dict[str, Any] = {}
    for cred, value in _mapping(raw, at).items():
        key = str(cred).lower()
        if key in found:
            earlier, later = (str(v) if isinstance(v, date) else v for v in (found[key], value))
            raise InputError(given_twice(f"credential '{key}'", earlier, later, "each credential once, in one "
                                         "spelling"), at=at / str(cred))
        found[key] = read(key, value, at / str(cred))
    return found


def check_dates(profile: Profile, as_of: date, where: At | Source | str = "profile") -> None:
    """Refuse facts that cannot be true on the as-of date: an unborn person, a finished future.

    A program or training `completed` after the as-of date is almost always a student whose
    date belongs under `expected`; answering from it would be a confident answer to a typo.
    Work may start or end after the as-of date: it simply does not count yet.
    """
    # (every row of a batch run comes here: the words of a message are only put together for an error)
    if profile.birth_date is not None:
        if profile.birth_date > as_of:
            _refuse(where, as_of, profile.birth_date, ("birth_date",), "expected a birth date in the past")
        if profile.age is not None:
            _check_age(profile.birth_date, profile.age, profile.vague, as_of, where)
    for i, program in enumerate(profile.programs):
        if program.completed is not None and program.completed > as_of:
            _refuse(where, as_of, program.completed, ("programs", i, "completed"),
                    "a program not finished yet is given as 'expected'")
    for i, training in enumerate(profile.military):
        if training.completed is not None and training.completed > as_of:
            _refuse(where, as_of, training.completed, ("military", i, "completed"),
                    "training not finished yet is given as 'expected'")
    for i, held in enumerate(profile.held):
        if held.since is not None and held.since > as_of:
            _refuse(where, as_of, held.since, ("held", i, "since"), "expected the day the credential was earned")
    for cred, day in profile.last_attempt.items():
        if day > as_of:
            _refuse(where, as_of, day, ("last_attempt", cred), "expected the day of an attempt already made")


def _check_age(born: date, age: int, vague: tuple[Vague, ...], as_of: date, where: At | Source | str) -> None:
    """`age` and `birth_date` both given must agree: `age` is the age on the as-of date of a person born
    on the birth date (on any day of it up to the as-of date, for one given only to the month), or a
    year off it: a spreadsheet's age column worked out on the day it was saved, before or after a
    birthday, for a run as of another day. The rules read the birth date, so an age further off would
    otherwise be dropped without a word."""
    last, given = born, str(born)
    for v in vague:
        if v.path[-1] == "birth_date" and v.first == born:
            last, given = min(v.last, as_of), v.text
    oldest, youngest = years_old(born, as_of), years_old(last, as_of)
    if youngest - 1 <= age <= oldest + 1:
        return
    computed = f"{oldest}" if oldest == youngest else f"{youngest} or {oldest}"
    born_on = f"born on {given}" if given == str(born) else f"born in {given}"
    raise InputError(f"age {age} and birth_date {given} disagree ({born_on} is {computed} on the "
                     f"as-of date {as_of}): give either 'age' or 'birth_date', or both agreeing", at=place(where))


def _refuse(where: At | Source | str, as_of: date, day: date, path: tuple, expected: str) -> None:
    at = place(where)
    raise InputError(f"{day} is after the as-of date {as_of} ({expected})", at=At(at.source, at.path + path))
