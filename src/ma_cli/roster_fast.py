"""The common roster row, read straight into a Profile (a fast path for `batch eligible`).

`roster.profile_from_cells` turns a row into the mapping a profile file holds and validates it
with `profile.parse_profile`, which names any bad field. Most rows are well formed: for them,
`quick_profile` builds the very same Profile from the cells directly, without the mapping and
without the error texts nobody reads. It accepts only cells whose meaning is plain (ASCII
digits within bounds.BOUNDS, dates in the usual forms, known words); anything else, and every error, makes it
return None, and the row goes the full way (so errors keep their exact messages).
tests/test_roster_fast.py holds its result equal to the full way's on generated rows.
"""

from __future__ import annotations

from datetime import date

from ma_cli.bounds import BOUNDS as _BOUNDS
from ma_cli.dates import FIRST_YEAR, LAST_YEAR, PartialDate, _parse_text
from ma_cli.profile import (ACCREDITATIONS, AWARDS, FULL_TIME_HOURS, MAX_ENTRIES, NO_SKILLS, ROLES, STUDY_FIELDS, Held,
                            Military, Profile, Program, Skills, Work)

# the words a roster's yes/no cells may hold, and the program's columns besides `program`
# (roster.py, which reads rows the full way, takes them from here)
_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0"}
_PROGRAM_COLUMNS = ("completed", "expected", "accredited_since", "academic_hours", "externship_hours", "award",
                    "postsecondary", "apprenticeship", "injections", "venipunctures", "field", "clinical")
# the person's skill counts; `venipunctures` is the program's when the row has a program, else the person's
_SKILL_COLUMNS = ("capillary_sticks", "ekgs")
_PROGRAM_ONLY = tuple(c for c in _PROGRAM_COLUMNS if c != "venipunctures")  # a program column without a program: an error


class _Slow(Exception):
    """This row needs the full way (an unusual cell, or an error to name)."""


def _date(text: str) -> date:
    day = _DAYS.get(text)
    if day is None:
        parsed = _parse_text(text, False)  # the same reading parse_date makes
        if parsed.__class__ is not PartialDate or not FIRST_YEAR <= parsed.first.year <= LAST_YEAR:
            raise _Slow
        day = parsed.first
        if len(_DAYS) >= 4096:
            _DAYS.clear()
        _DAYS[text] = day
    return day


_DAYS: dict[str, date] = {}  # date text -> the day it means (pure, so never stale; bounded)


def _whole(text: str, field: str) -> int:
    # ASCII digits only (str.isdigit alone takes any script's digits), and short: a number longer
    # than any bound is never converted (int() of 4,300 digits raises); bounds.BOUNDS decides the rest
    if not (len(text) <= 9 and text.isascii() and text.isdigit()):
        raise _Slow
    number = int(text)
    if not _BOUNDS[field].admits(number):
        raise _Slow
    return number


def _decimal(text: str, field: str) -> float:
    whole, dot, part = text.partition(".")
    if not (len(text) <= 20 and whole.isascii() and whole.isdigit() and (not dot or (part.isascii() and part.isdigit()))):
        raise _Slow
    number = float(text)
    if not _BOUNDS[field].admits(number):
        raise _Slow
    return number


def _yes_no(text: str) -> bool:
    low = text.lower()
    if low in _YES:
        return True
    if low in _NO:
        return False
    raise _Slow


def _program(values: dict, accreditation: str) -> Program:
    accreditation = accreditation.lower()
    if accreditation not in ACCREDITATIONS:
        raise _Slow
    get = values.get
    completed, expected = get("completed"), get("expected")
    if bool(completed) == bool(expected):  # both or neither: an error to name
        raise _Slow
    since, academic, externship = get("accredited_since"), get("academic_hours"), get("externship_hours")
    award, post, apprentice = get("award"), get("postsecondary"), get("apprenticeship")
    injections, venipunctures = get("injections"), get("venipunctures")
    study, clinical = get("field"), get("clinical")
    if study:
        study = study.lower()
        if study not in STUDY_FIELDS:
            raise _Slow
    if award:
        award = award.lower()
        if award not in AWARDS:
            raise _Slow
    return Program(
        accreditation=accreditation,
        completed=_date(completed) if completed else None,
        expected=_date(expected) if expected else None,
        accredited_since=_date(since) if since else None,
        academic_hours=_decimal(academic, "academic_hours") if academic else None,
        externship_hours=_decimal(externship, "externship_hours") if externship else None,
        postsecondary=_yes_no(post) if post else True,
        award=award or None,
        apprenticeship=_yes_no(apprentice) if apprentice else False,
        injections=_whole(injections, "injections") if injections else None,
        venipunctures=_whole(venipunctures, "venipunctures") if venipunctures else None,
        field=study or STUDY_FIELDS[0],
        clinical=_yes_no(clinical) if clinical else None,
    )


def _work(cell: str) -> tuple:
    """roster.parse_work_cell + profile.parse_work for plain periods."""
    jobs = []
    for spec in cell.split(";"):
        spec = spec.strip()
        if not spec:
            continue
        role, body = "medical-assistant", spec
        if ":" in spec:
            named, _, rest = spec.partition(":")
            named = named.strip().lower()
            if named in ROLES:
                role, body = named, rest
        body, _, hours = body.partition("@")
        start, dots, end = body.partition("..")
        start, end, hours = start.strip(), end.strip(), hours.strip()
        if not dots or not start:
            raise _Slow
        first = _date(start)
        last = None if not end or end.lower() == "present" else _date(end)
        if last is not None and last < first:
            raise _Slow
        per_week = FULL_TIME_HOURS
        if hours:
            per_week = _decimal(hours, "hours_per_week")
        jobs.append(Work(role=role, start=first, end=last, hours_per_week=per_week, supervised=None))
    if len(jobs) > MAX_ENTRIES["work"]:
        raise _Slow
    return tuple(jobs)


def _pairs(cell: str, need_value: bool):
    for item in cell.split(";"):
        item = item.strip()
        if not item:
            continue
        key, _, value = item.partition(":")
        key, value = key.strip(), value.strip()
        if not key or (need_value and not value):
            raise _Slow
        yield key.lower(), value


def quick_profile(values: dict[str, str]) -> Profile | None:
    """The Profile `roster.profile_from_cells` makes of these cells, or None: take the full way."""
    try:
        get = values.get
        pid = get("id")
        if not pid:
            return None
        age, birth, school = get("age"), get("birth_date"), get("high_school")
        program, military = get("program"), get("military")
        work, held, attempts = get("work"), get("held"), get("failed_attempts")
        age = _whole(age, "age") if age else None
        if school:
            low = school.lower()
            school = True if low in _YES else False if low in _NO else _date(school)
        else:
            school = None
        skills = NO_SKILLS
        if program:
            programs = (_program(values, program),)
        elif any(map(get, _PROGRAM_ONLY)):
            return None  # program details without a program: an error to name
        else:
            programs = ()
            if get("venipunctures"):
                skills = Skills(venipunctures=_whole(get("venipunctures"), "venipunctures"))
        capillary, ekgs = get("capillary_sticks"), get("ekgs")
        if capillary or ekgs:
            skills = Skills(venipunctures=skills.venipunctures,
                            capillary_sticks=_whole(capillary, "capillary_sticks") if capillary else None,
                            ekgs=_whole(ekgs, "ekgs") if ekgs else None)
        failed = {}
        if attempts:
            for cred, n in dict(_pairs(attempts, True)).items():
                failed[cred] = _whole(n, "failed_attempts")
        held_list = ()
        if held:
            held_list = tuple(Held(credential=cred, since=_date(since) if since else None)
                              for cred, since in _pairs(held, False))
            if len(held_list) > MAX_ENTRIES["held"]:
                return None
        return Profile(
            id=pid,
            age=age,
            birth_date=_date(birth) if birth else None,
            high_school=school,
            programs=programs,
            military=(Military(completed=_date(military), expected=None),) if military else (),
            work=_work(work) if work else (),
            held=held_list,
            failed_attempts=failed,
            skills=skills,
        )
    except _Slow:
        return None
