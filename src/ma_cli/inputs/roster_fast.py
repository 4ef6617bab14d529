"""The common roster row, read straight into a Profile (a fast path for `batch eligible`).

`roster.profile_from_cells` turns a row into the mapping a profile file holds and validates it
with `profile.parse_profile`, which names any bad field. Most rows are well formed: for them,
`quick_profile` builds the very same Profile from the cells directly, without the mapping and
without the error texts nobody reads. Each cell is read by its column's fast reader
(roster_columns.COLUMNS, where the full way takes its columns too), which accepts only cells whose
meaning is plain (ASCII digits within bounds.BOUNDS, dates in the usual forms, known words);
anything else, and every error, makes it return None, and the row goes the full way (so errors keep
their exact messages). tests/test_roster_fast.py holds its result equal to the full way's on
generated rows.
"""

from __future__ import annotations

from ma_cli.inputs.profile import Profile, Program, Skills
from ma_cli.inputs.roster_columns import COLUMNS, Decline

# column -> (the section its value goes to: person, program or skills; the field; the cell's fast reader)
_READERS = {column.name: (column.section, column.key, column.quick) for column in COLUMNS}


def quick_profile(values: dict[str, str]) -> Profile | None:
    """The Profile `roster.profile_from_cells` makes of these cells, or None: take the full way."""
    person: dict = {}
    program: dict = {}
    skills: dict = {}
    sections = (person, program, skills)
    readers = _READERS
    try:
        for name, text in values.items():
            if text:
                section, key, read = readers[name]
                sections[section][key] = read(text)
    except (Decline, KeyError):
        return None
    if "id" not in person:
        return None
    if "last_attempt" in person and not all(person.get("failed_attempts", {}).get(cred) for cred in person["last_attempt"]):
        return None  # a last failed attempt with no failed attempt counted: profile._last_attempts names it
    if program:
        if "accreditation" in program:
            if ("completed" in program) is ("expected" in program):  # both or neither: an error to name
                return None
            person["programs"] = (Program(**program),)
        elif len(program) == 1 and "venipunctures" in program:  # no program: the person's own count
            skills["venipunctures"] = program["venipunctures"]
        else:
            return None  # program details without a program: an error to name
    if skills:
        person["skills"] = Skills(**skills)
    return Profile(**person)
