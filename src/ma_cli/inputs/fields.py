"""Credentials grouped by the kind of work they certify, for the answer tables.

With no `--cert`, every credential is answered; the tables group the answers by field (medical
assisting, administrative, phlebotomy, EKG, ophthalmic) and fold a field the person gives no
facts for into one line, so a medical assistant's table is not buried under eleven "not
eligible" rows of other trades. A field is never folded when an answer in it is `eligible` or
`review`, or when the person has no facts for any field (then medical assisting shows as before).
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence, TypeVar

from ma_cli.inputs.profile import STUDY_FIELDS, Profile

T = TypeVar("T")

LABELS = {"medical-assisting": "MA", "medical-administrative": "Administrative",
          "phlebotomy": "Phlebotomy", "ekg": "EKG", "ophthalmic": "Ophthalmic"}
ALIASES = {"medical-assisting": "ma", "medical-administrative": "administrative", "phlebotomy": "phlebotomy",
           "ekg": "ekg", "ophthalmic": "ophthalmic"}  # what --cert takes for the field (rules.FIELD_NAMES)
ROLE_FIELDS = {"medical-assistant": "medical-assisting", "instructor": "medical-assisting",
               "medical-administrative": "medical-administrative", "phlebotomy-technician": "phlebotomy",
               "ekg-technician": "ekg", "ophthalmic-assistant": "ophthalmic"}
FACTS = {"medical-assisting": "medical assisting", "medical-administrative": "administrative",
         "phlebotomy": "phlebotomy", "ekg": "EKG", "ophthalmic": "ophthalmic"}


def person_fields(profile: Profile, field_of_credential: dict[str, str]) -> set[str]:
    """The fields the person gives any fact for."""
    found = {p.field for p in profile.programs}
    found |= {ROLE_FIELDS[j.role] for j in profile.work}
    if profile.military:
        found.add("medical-assisting")
    skills = profile.skills
    if skills.venipunctures is not None or skills.capillary_sticks is not None:
        found.add("phlebotomy")
    if skills.ekgs is not None:
        found.add("ekg")
    found |= {field_of_credential[h.credential] for h in profile.held if h.credential in field_of_credential}
    return found


def groups(items: Sequence[T], field_of: Callable[[T], str], status_of: Callable[[T], str],
           facts: set[str], fold: bool) -> list[tuple[str, list[T], bool]]:
    """(field, items, folded) in field order; `fold` False (credentials asked by --cert): nothing folded."""
    out = []
    shown_any = bool(facts)
    for f in STUDY_FIELDS:
        mine = [i for i in items if field_of(i) == f]
        if not mine:
            continue
        quiet = all(status_of(i) == "not_eligible" for i in mine)
        folded = fold and quiet and f not in facts and (shown_any or f != STUDY_FIELDS[0])
        out.append((f, mine, folded))
    return out


def folded_line(f: str, names: Iterable[str]) -> tuple[str, str]:
    """(credentials, why) for a folded field's one row."""
    return (LABELS[f], f"{', '.join(names)}: no {FACTS[f]} program, work or credential given "
                       f"(--cert {ALIASES[f]} shows each)")
