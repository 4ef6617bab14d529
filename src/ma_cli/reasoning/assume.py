"""`--assume` what-ifs for `ma-cli plan`: one short line of text -> one more fact about the person.

Parsed strictly: anything that is not exactly one of the forms below is an InputError naming the
flag and the forms, never a guess. A date in a what-if given only to the month is noted as the
person's own are (Profile.vague), so the plan answers it on every day it can mean (readings.py).
"""

from __future__ import annotations

import re
from datetime import date

from ma_cli.base.bounds import MAX_ENTRIES
from ma_cli.base.dates import midnights_dropped, parse_date
from ma_cli.base.errors import At, Fields, InputError, Source, given_twice
from ma_cli.base.frozen import replace
from ma_cli.inputs.profile import (
    ROLES,
    SKILLS,
    Profile,
    Vague,
    parse_held,
    parse_high_school,
    parse_military,
    parse_program,
    parse_skills,
    parse_work,
)
from ma_cli.ruleset.rules import FIELD_NAMES

FORMS = ("'work: 20h/week from 2027-01 [to 2029-06] [as ROLE]', 'work: full-time from 2027-01', "
         "'program: caahep, completed 2027-06' (or 'expected DATE'; a field after the accreditation: "
         "'program: naacls phlebotomy, completed 2027-06'), 'military: completed 2027-03', "
         "'high-school: 2027-06' (diploma or GED on that date) or 'high-school: yes', "
         "'skills: venipunctures 30, capillary_sticks 10' (or ekgs N), 'held: rma [since 2024-04]'")

# a number is any run of signs, digits and points here, read by the profile's own reader of that field (with its
# words for what is wrong): `+20h/week`, `.5h/week`, `venipunctures 30.0` are read as `--work ...@+20` and
# `--venipunctures 30.0` are, and `venipunctures 29.999999999999999999` is "not a whole number", not "not understood"
_NUMBER = r"[+-]?[0-9.]*[0-9][0-9.]*"
_WORK = re.compile(r"work:\s*(?:(?P<hours>" + _NUMBER + r")\s*h\s*/\s*week|(?P<full>full-time))"
                   r"\s+from\s+(?P<start>\S+)(?:\s+to\s+(?P<end>\S+))?(?:\s+as\s+(?P<role>" + "|".join(ROLES) + "))?")
_PROGRAM = re.compile(r"program:\s*(?P<accreditation>[a-z-]+)(?:\s+(?P<field>[a-z-]+))?\s*,\s*"
                      r"(?P<when>completed|expected)\s+(?P<day>\S+)")
_SKILLS = re.compile(r"skills:\s*(?P<list>(?:venipunctures|capillary_sticks|ekgs)\s+" + _NUMBER +
                     r"(?:\s*,\s*(?:venipunctures|capillary_sticks|ekgs)\s+" + _NUMBER + r")*)")
_HELD = re.compile(r"held:\s*(?P<cred>[a-z0-9-]+)(?:\s+since\s+(?P<since>\S+))?")
_MILITARY = re.compile(r"military:\s*(?P<when>completed|expected)\s+(?P<day>\S+)")
_HIGH_SCHOOL = re.compile(r"high-school:\s*(?:(?P<yes>yes)|(?P<day>[0-9]\S*))")


class Assumed(Source):
    """A what-if's fields, named by its text as the user typed it (`--assume '...'.from`), whichever
    entry of the profile they became (their path there starts with the entry's, `depth` keys long)."""

    __slots__ = ("name", "depth")

    def __init__(self, name: str, depth: int):
        self.name, self.depth = name, depth

    def place(self, path: tuple) -> str:
        rest = path[self.depth:]
        if rest in (("from",), ("to",), ("completed",), ("expected",)):
            return self.name  # a what-if holds one such date: its text names it (as the user typed it)
        if rest == ("hours_per_week",):
            return f"{self.name} hours per week"  # (typed as `20h/week`, not as the profile's key)
        if len(rest) == 1 and rest[0] in SKILLS:
            return f"{self.name} {rest[0]}"  # (typed as `venipunctures 30`: not `'...'.venipunctures`)
        return Fields(self.name).place(rest)


def _entry(where: str, *path) -> At:
    """The place of a what-if that becomes the profile's entry at `path` (its fields' month-only dates
    are then found there by readings.py)."""
    return At(Assumed(where, len(path)), path)


def _fail(where: str, why: str = "") -> InputError:
    return InputError(f"{where}: {why or 'not understood'}; expected {FORMS}")


def _room(profile: Profile, entries: str, where: str) -> None:
    """A what-if adding an entry to a list already as long as a person's may be (bounds.MAX_ENTRIES) is
    refused: the person after the what-ifs obeys the caps the person given does."""
    count, cap = len(getattr(profile, entries)), MAX_ENTRIES[entries]
    if count >= cap:
        raise InputError(f"{where}: one entry more than {entries} may have (the person and the what-ifs before "
                         f"it give {count}; expected at most {cap} in all)")


def apply_assumption(profile: Profile, text: str, as_of: date, name: str = "--assume") -> Profile:
    """The person with one more work period, program or military training, as the text says; `name` is
    what the what-ifs are called where they were given (plan's --assume, the Python API's `assume`), which
    messages say. The entry it adds is named `--assume '...'` in the person whatever `name` is: a plan's
    answers quote it (a month-only date's note), and the API answers what the CLI's --json prints."""
    where = f"{name} '{text}'"
    try:
        return _assumed(profile, text, as_of, where, f"--assume '{text}'")
    except InputError as err:
        at = err.at
        if isinstance(at, At) and isinstance(at.source, Assumed) and at.source.name != where:
            raise InputError(err.detail, at=At(Assumed(where, at.source.depth), at.path)) from None
        raise


def _assumed(profile: Profile, text: str, as_of: date, where: str, named: str) -> Profile:
    """apply_assumption: `where` names the what-if in messages, `named` the entry it adds (_entry)."""
    spec = " ".join(midnights_dropped(text).strip().lower().split())
    vague: list[Vague] = []  # its dates given only to the month
    if m := _WORK.fullmatch(spec):
        _room(profile, "work", where)
        entry = {"from": m["start"], "to": m["end"] or "present", "role": m["role"] or "medical-assistant"}
        if m["hours"]:
            entry["hours_per_week"] = m["hours"]  # read within bounds by parse_work
        work = parse_work(entry, _entry(named, "work", len(profile.work)), vague)
        return replace(profile, work=profile.work + (work,), vague=profile.vague + tuple(vague))
    if m := _PROGRAM.fullmatch(spec):
        _room(profile, "programs", where)
        entry = _completion(m["when"], m["day"], as_of, where)
        entry["accreditation"] = m["accreditation"]
        if m["field"]:
            entry["field"] = FIELD_NAMES.get(m["field"], m["field"])
        program = parse_program(entry, _entry(named, "programs", len(profile.programs)), vague)
        return replace(profile, programs=profile.programs + (program,), vague=profile.vague + tuple(vague))
    if m := _SKILLS.fullmatch(spec):
        counts: dict[str, str] = {}
        for skill, n in (part.split() for part in m["list"].split(",")):
            if skill in counts:  # (one what-if says one count of a skill: which was meant cannot be told)
                raise InputError(f"{where}: {given_twice(skill, counts[skill], n, 'each skill once in a what-if')}")
            counts[skill] = n
        given = {k: getattr(profile.skills, k) for k in SKILLS} | counts
        return replace(profile, skills=parse_skills(given, _entry(named, "skills")))
    if m := _HELD.fullmatch(spec):
        _room(profile, "held", where)
        entry = {"credential": m["cred"], **({"since": m["since"]} if m["since"] else {})}
        held = parse_held(entry, where)
        if held.since is not None and held.since > as_of:
            # a held credential counts for good once held (the planner never waits for one to be earned),
            # so a future 'since' would read as held today: refused, as `eligible --held` refuses it
            raise InputError(f"{where}: {held.since} is after the as-of date {as_of} "
                             f"(expected the day the credential was earned, on or before the as-of date)")
        return replace(profile, held=profile.held + (held,))
    if m := _MILITARY.fullmatch(spec):
        _room(profile, "military", where)
        entry = _completion(m["when"], m["day"], as_of, where)
        military = parse_military(entry, _entry(named, "military", len(profile.military)), vague)
        return replace(profile, military=profile.military + (military,), vague=profile.vague + tuple(vague))
    if m := _HIGH_SCHOOL.fullmatch(spec):
        if m["yes"]:
            return replace(profile, high_school=True)
        parse_date(m["day"], f"{where} date")  # (a bad date named as before; read below as any profile's)
        high_school = parse_high_school(m["day"], _entry(named, "high_school"), vague)
        # (an earlier month-only high-school date is replaced, its note with it)
        kept = tuple(v for v in profile.vague if v.path != ("high_school",))
        return replace(profile, high_school=high_school, vague=kept + tuple(vague))
    head = spec.partition(":")[0]
    if head not in ("work", "program", "military", "high-school", "skills", "held"):
        raise _fail(where, f"unknown kind '{head}'" if ":" in spec else "missing 'KIND:'")
    raise _fail(where)


def _completion(when: str, day: str, as_of: date, where: str) -> dict:
    # "completed" on a future day is a plan to complete: the planner treats it as expected
    done = parse_date(day, f"{where} date")
    if when == "completed" and done > as_of:
        when = "expected"
    return {when: day}


def apply_assumptions(profile: Profile, texts: list[str] | None, as_of: date) -> Profile:
    for text in texts or ():
        profile = apply_assumption(profile, text, as_of)
    return profile
