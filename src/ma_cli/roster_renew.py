"""Renewal rosters: one credential held by one person a row (`ma-cli batch renew`).

Columns: id, credential, since (as `renew --since`), and the CE earned in the current period,
either as totals per category or as the path of a CE log file (the format `renew --ce-log`
reads). A CE log path is taken relative to the roster's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ma_cli.bounds import read as read_number
from ma_cli.celog import CATEGORIES, CeEntry, read_ce_log
from ma_cli.dates import PartialDate, parse_partial
from ma_cli.errors import InputError
from ma_cli.profile import suggest
from ma_cli.roster import RosterKind

_TOTALS = {f"ce_{c}": c for c in CATEGORIES}
_TOTAL_COLUMNS = (*_TOTALS, "ce_unapproved")
COLUMNS = {
    "id": "the person's identifier, echoed in the output (required)",
    "credential": "the credential held: cma, rma, ccma, ncma or cmac (required)",
    "since": "date of certification or last recertification: YYYY-MM-DD, YYYY-MM or YYYY (required)",
    "ce_log": "path of a CE log file (CSV or YAML, as `renew --ce-log`), relative to the roster's folder",
    **{col: f"{cat} CE credits earned this period from approved providers" for col, cat in _TOTALS.items()},
    "ce_unapproved": "CE credits earned this period from other providers (no category)",
}
REQUIRED = ("id", "credential", "since")


@dataclass(frozen=True)
class RenewalRequest:
    credential: str
    since: PartialDate
    log: tuple[CeEntry, ...] | None  # None: no CE given


def renewal_kind(credentials: list[str], as_of: date, folder: Path) -> RosterKind:
    """The renewal roster for this run: credentials known to the rules, dates checked against as_of."""
    known = tuple(credentials)

    def parse(values: dict[str, str], line: int) -> RenewalRequest:
        where = f"line {line}"
        if not values.get("id"):
            raise InputError(f"{where}, column id: empty (expected an identifier for every row)")
        cred = values.get("credential", "").lower()
        if cred not in known:
            raise InputError(f"{where}, column credential: '{values.get('credential', '')}' is not a known credential"
                             f"{suggest(cred, known)}; expected one of: {', '.join(known)}")
        if not values.get("since"):
            raise InputError(f"{where}, column since: empty (expected the date of certification or last "
                             f"recertification, YYYY-MM-DD, YYYY-MM or YYYY)")
        since = parse_partial(values["since"], f"{where}, column since", allow_year=True)
        if since.first > as_of:
            raise InputError(f"{where}, column since: {since.text} is after the as-of date {as_of}")
        return RenewalRequest(cred, since, _ce(values, where, since, as_of, folder))

    return RosterKind(COLUMNS, REQUIRED, parse, "id,credential,since", "ma-cli batch columns renew")


def _ce(values: dict[str, str], where: str, since: PartialDate, as_of: date, folder: Path):
    totals = {col: values[col] for col in _TOTAL_COLUMNS if values.get(col)}
    if values.get("ce_log"):
        if totals:
            raise InputError(f"{where}, column ce_log: give a CE log or CE totals ({', '.join(totals)}), not both")
        path = folder / values["ce_log"]
        try:
            return tuple(read_ce_log(path, as_of))
        except InputError as err:
            raise InputError(f"{where}, column ce_log: {err}") from None
    if not totals:
        return None
    # totals are credits earned inside the current period: date them on its latest possible first day
    day = min(since.last, as_of)
    entries = []
    for col, text in totals.items():
        credits = float(read_number(text, "ce_total", f"{where}, column {col}"))
        category = _TOTALS.get(col)
        entries.append(CeEntry(day, credits, category, category is not None, None, col, f"{where}, column {col}"))
    return tuple(entries)
