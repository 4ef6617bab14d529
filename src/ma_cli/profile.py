"""The person being advised: a validated, typed profile built from YAML or from CLI flags.

The profile format is a public interface (README, "Profile format"); every check here
names the field that is wrong and the form that is expected.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, Mapping

from ma_cli.bounds import read as read_number
from ma_cli.dates import DATE_FORMS, parse_date
from ma_cli.errors import InputError
from ma_cli.frozen import field, record

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
    skills: Skills = NO_SKILLS

    def age_on(self, day: date) -> int | None:
        if self.birth_date:
            b = self.birth_date
            return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        return self.age


# --- parsing -----------------------------------------------------------------------------

_PROFILE_KEYS = ("id", "age", "birth_date", "high_school", "programs", "military", "work", "held",
                 "failed_attempts", "skills")
_PROGRAM_KEYS = ("accreditation", "completed", "expected", "accredited_since", "academic_hours",
                 "externship_hours", "postsecondary", "award", "apprenticeship", "injections",
                 "venipunctures", "field", "clinical")
_MILITARY_KEYS = ("completed", "expected")
_WORK_KEYS = ("role", "from", "to", "hours_per_week", "supervised")
_HELD_KEYS = ("credential", "since")


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_keys(data: Mapping, allowed, where: str) -> None:
    for key in data:
        if key not in allowed:
            raise InputError(f"{where}: unknown key '{key}'{suggest(key, allowed)}; "
                             f"expected one of: {', '.join(allowed)}")


def _mapping(value: Any, where: str) -> Mapping:
    # the dict check first: isinstance against the Mapping ABC is slow, and rosters parse one profile a row
    if not isinstance(value, dict) and not isinstance(value, Mapping):
        raise InputError(f"{where}: expected a mapping of keys to values, got {_kind(value)}")
    return value


# No person has more than a few programs or credentials, or more than a working life of jobs;
# the bounds stop one file from stalling an unattended run (evaluation grows with programs x jobs:
# 1,000 of each took 5 s, 3,000 took 68 s, before these limits).
MAX_ENTRIES = {"programs": 20, "military": 10, "work": 200, "held": 20}


def _list(value: Any, where: str, limit: int | None = None) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a list, got {_kind(value)}")
    if limit is not None and len(value) > limit:
        raise InputError(f"{where}: {len(value):,} entries; expected at most {limit}")
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


def _date(value: Any, where: str, optional: bool = True) -> date | None:
    if value is None:
        if optional:
            return None
        raise InputError(f"{where}: missing (expected a date, {DATE_FORMS})")
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise InputError(f"{where}: '{value}' is not a date (expected {DATE_FORMS})")
    return parse_date(value, where)


def _number(value: Any, where: str, field: str) -> float | int | None:
    """A number field, within its bounds (bounds.BOUNDS: one table for profiles, rosters and CE logs)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(f"{where}: expected a number, got {_kind(value)}")
    return read_number(value, field, where)


def _bool(value: Any, where: str, default: bool | None = None) -> bool | None:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InputError(f"{where}: expected true or false, got {_kind(value)}")
    return value


def _choice(value: Any, where: str, choices) -> str:
    text = str(value).strip().lower() if value is not None else ""
    if text not in choices:
        got = f"'{value}'" if value is not None else "nothing"
        raise InputError(f"{where}: {got} is not known{suggest(text, choices)}; "
                         f"expected one of: {', '.join(choices)}")
    return text


def _one_end(data: Mapping, where: str) -> tuple[date | None, date | None]:
    completed = _date(data.get("completed"), f"{where}.completed")
    expected = _date(data.get("expected"), f"{where}.expected")
    if completed and expected:
        raise InputError(f"{where}: give either 'completed' or 'expected', not both")
    if not completed and not expected:
        raise InputError(f"{where}: needs 'completed' (a past date) or 'expected' (a future date)")
    return completed, expected


def parse_program(data: Any, where: str) -> Program:
    data = _mapping(data, where)
    _check_keys(data, _PROGRAM_KEYS, where)
    completed, expected = _one_end(data, where)
    award = data.get("award")
    return Program(
        accreditation=_choice(data.get("accreditation"), f"{where}.accreditation", ACCREDITATIONS),
        completed=completed,
        expected=expected,
        accredited_since=_date(data.get("accredited_since"), f"{where}.accredited_since"),
        academic_hours=_number(data.get("academic_hours"), f"{where}.academic_hours", "academic_hours"),
        externship_hours=_number(data.get("externship_hours"), f"{where}.externship_hours", "externship_hours"),
        postsecondary=_bool(data.get("postsecondary"), f"{where}.postsecondary", True),
        award=_choice(award, f"{where}.award", AWARDS) if award is not None else None,
        apprenticeship=_bool(data.get("apprenticeship"), f"{where}.apprenticeship", False),
        injections=_number(data.get("injections"), f"{where}.injections", "injections"),
        venipunctures=_number(data.get("venipunctures"), f"{where}.venipunctures", "venipunctures"),
        field=_choice(data.get("field", STUDY_FIELDS[0]), f"{where}.field", STUDY_FIELDS),
        clinical=_bool(data.get("clinical"), f"{where}.clinical"),
    )


def parse_skills(data: Any, where: str) -> Skills:
    if data is None:
        return NO_SKILLS
    data = _mapping(data, where)
    _check_keys(data, SKILLS, where)
    return Skills(**{k: _number(data.get(k), f"{where}.{k}", k) for k in SKILLS})


def parse_military(data: Any, where: str) -> Military:
    data = _mapping(data, where)
    _check_keys(data, _MILITARY_KEYS, where)
    completed, expected = _one_end(data, where)
    return Military(completed=completed, expected=expected)


def hours_per_week(value: Any, where: str) -> float | None:
    return _number(value, where, "hours_per_week")


def parse_work(data: Any, where: str) -> Work:
    data = _mapping(data, where)
    _check_keys(data, _WORK_KEYS, where)
    start = _date(data.get("from"), f"{where}.from", optional=False)
    to = data.get("to")
    if to is None or (isinstance(to, str) and to.strip().lower() == "present"):
        end = None
    else:
        end = _date(to, f"{where}.to")
        if end < start:
            raise InputError(f"{where}: 'to' ({end}) is before 'from' ({start})")
    hours = hours_per_week(data.get("hours_per_week"), f"{where}.hours_per_week")
    role = data.get("role", "medical-assistant")
    return Work(
        role=_choice(role, f"{where}.role", ROLES),
        start=start,
        end=end,
        hours_per_week=FULL_TIME_HOURS if hours is None else float(hours),
        supervised=_bool(data.get("supervised"), f"{where}.supervised"),
    )


def parse_held(data: Any, where: str) -> Held:
    data = _mapping(data, where)
    _check_keys(data, _HELD_KEYS, where)
    cred = data.get("credential")
    if not isinstance(cred, str) or not cred.strip():
        raise InputError(f"{where}.credential: expected a credential name such as 'cma'")
    return Held(credential=cred.strip().lower(), since=_date(data.get("since"), f"{where}.since"))


def parse_high_school(value: Any, where: str) -> bool | date | None:
    if value is None or isinstance(value, bool):
        return value
    try:
        return _date(value, where)
    except InputError:
        raise InputError(f"{where}: expected true, false or the expected graduation date "
                         f"({DATE_FORMS}), got {_kind(value)}") from None


def parse_profile(data: Any, where: str = "profile") -> Profile:
    """Build a Profile from a mapping (a loaded YAML file); raise InputError naming the bad field."""
    data = _mapping(data, where)
    _check_keys(data, _PROFILE_KEYS, where)
    pid = data.get("id")
    if pid is not None and (isinstance(pid, (bool, Mapping, list)) or not str(pid).strip()):
        raise InputError(f"{where}.id: expected a short text such as 's-0042', got {_kind(pid)}")
    attempts_raw = data.get("failed_attempts") or {}
    attempts = {}
    for cred, n in _mapping(attempts_raw, f"{where}.failed_attempts").items():
        attempts[str(cred).lower()] = _number(n, f"{where}.failed_attempts.{cred}", "failed_attempts")
    age = _number(data.get("age"), f"{where}.age", "age")
    return Profile(
        id=None if pid is None else str(pid),
        age=age,
        birth_date=_date(data.get("birth_date"), f"{where}.birth_date"),
        high_school=parse_high_school(data.get("high_school"), f"{where}.high_school"),
        programs=tuple(parse_program(p, f"{where}.programs[{i}]")
                       for i, p in enumerate(_list(data.get("programs"), f"{where}.programs", MAX_ENTRIES["programs"]))),
        military=tuple(parse_military(m, f"{where}.military[{i}]")
                       for i, m in enumerate(_list(data.get("military"), f"{where}.military", MAX_ENTRIES["military"]))),
        work=tuple(parse_work(w, f"{where}.work[{i}]")
                   for i, w in enumerate(_list(data.get("work"), f"{where}.work", MAX_ENTRIES["work"]))),
        held=tuple(parse_held(h, f"{where}.held[{i}]")
                   for i, h in enumerate(_list(data.get("held"), f"{where}.held", MAX_ENTRIES["held"]))),
        failed_attempts=attempts,
        skills=parse_skills(data.get("skills"), f"{where}.skills"),
    )


def check_dates(profile: Profile, as_of: date, where: str = "profile") -> None:
    """Refuse facts that cannot be true on the as-of date: an unborn person, a finished future.

    A program or training `completed` after the as-of date is almost always a student whose
    date belongs under `expected`; answering from it would be a confident answer to a typo.
    Work may start or end after the as-of date: it simply does not count yet.
    """
    # (every row of a batch run comes here: the words of a message are only put together for an error)
    def refuse(day: date, field_name: str, expected: str) -> None:
        raise InputError(f"{where}.{field_name}: {day} is after the as-of date {as_of} ({expected})")

    if profile.birth_date is not None and profile.birth_date > as_of:
        refuse(profile.birth_date, "birth_date", "expected a birth date in the past")
    for i, program in enumerate(profile.programs):
        if program.completed is not None and program.completed > as_of:
            refuse(program.completed, f"programs[{i}].completed", "a program not finished yet is given as 'expected'")
    for i, training in enumerate(profile.military):
        if training.completed is not None and training.completed > as_of:
            refuse(training.completed, f"military[{i}].completed", "training not finished yet is given as 'expected'")
    for i, held in enumerate(profile.held):
        if held.since is not None and held.since > as_of:
            refuse(held.since, f"held[{i}].since", "expected the day the credential was earned")
