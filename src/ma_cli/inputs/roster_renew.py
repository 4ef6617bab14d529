"""Renewal rosters: one credential held by one person a row (`ma-cli batch renew`).

Columns: id, credential, since (as `renew --since`), and the CE earned in the current period,
either as totals per category or as the path of a CE log file (the format `renew --ce-log`
reads). A CE log path is taken relative to the roster's folder (or --ce-dir), and must stay inside it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path, PurePath

from ma_cli.base.bounds import read as read_number
from ma_cli.base.dates import PartialDate, parse_partial
from ma_cli.base.errors import At, InputError
from ma_cli.base.frozen import record
from ma_cli.inputs.celog import CATEGORIES, CeEntry, decode_ce_log, parse_ce_text
from ma_cli.inputs.profile import suggest
from ma_cli.inputs.roster import ID_ALIASES, RosterKind, telling_words
from ma_cli.inputs.roster_columns import RosterLine

_TOTALS = {f"ce_{c}": c for c in CATEGORIES}
_TOTAL_COLUMNS = (*_TOTALS, "ce_unapproved")
COLUMNS = {
    "id": "the person's identifier, echoed in the output (required)",
    "credential": "the credential held: the id of any credential with renewal rules, e.g. cma, rma, cpt, coa "
                  "(required; ma-cli rules list names them)",
    "since": "date of certification or last recertification: YYYY-MM-DD, YYYY-MM or YYYY (required)",
    "ce_log": "path of a CE log file (CSV or YAML, as `renew --ce-log`) inside the roster's folder (or --ce-dir)",
    **{col: f"{cat} CE credits earned this period from approved providers" for col, cat in _TOTALS.items()},
    "ce_unapproved": "CE credits earned this period from other providers (no category)",
}
REQUIRED = ("id", "credential", "since")
EXAMPLES = {"id": "m-01", "credential": "cma", "since": "2022-03-15", "ce_log": "ce/chloe.csv",
            "ce_administrative": "12", "ce_clinical": "14", "ce_general": "10", "ce_unapproved": "20"}
ALIASES = {
    **dict.fromkeys(ID_ALIASES, "id"),
    **dict.fromkeys(("cert", "certification", "credential_held", "cred", "certificate"), "credential"),
    **dict.fromkeys(("certified", "certified_on", "certification_date", "cert_date", "certified_since",
                     "last_recertified", "recertified", "recertification_date", "date_certified"), "since"),
    **dict.fromkeys(("ce_file", "ce_log_file", "ce_path"), "ce_log"),
}
# words inside a longer header that name a column (roster.TELLING_WORDS says why)
TELLING_WORDS = telling_words(COLUMNS, ALIASES)


@record
class RenewalRequest:
    credential: str
    since: PartialDate
    log: tuple[CeEntry, ...] | None  # None: no CE given


def renewal_kind(credentials: list[str], as_of: date, folder: Path, encoding: str | None = None,
                 date_order: str | None = None) -> RosterKind:
    """The renewal roster for this run: credentials known to the rules, dates checked against as_of, CE logs
    read from inside `folder` only, in the roster's --encoding and --date-order (CeFolder)."""
    known = tuple(credentials)
    folder = CeFolder(folder, encoding, date_order)

    def parse(values: dict[str, str], line: int) -> RenewalRequest:
        row = At(RosterLine(line))
        if not values.get("id"):
            raise InputError("empty (expected an identifier for every row)", at=row / "id")
        cred = values.get("credential", "").lower()
        if cred not in known:
            raise InputError(f"'{values.get('credential', '')}' is not a known credential{suggest(cred, known)}; "
                             f"expected one of: {', '.join(known)}", at=row / "credential")
        if not values.get("since"):
            raise InputError("empty (expected the date of certification or last recertification, YYYY-MM-DD, "
                             "YYYY-MM or YYYY)", at=row / "since")
        since = parse_partial(values["since"], row / "since", allow_year=True)
        if since.first > as_of:
            raise InputError(f"{since.text} is after the as-of date {as_of}", at=row / "since")
        return RenewalRequest(cred, since, _ce(values, row, since, as_of, folder))

    def about(values: dict[str, str]) -> str | None:
        cred = values.get("credential", "").lower()
        return cred if cred in known else None

    return RosterKind(COLUMNS, REQUIRED, parse, "id,credential,since", "ma-cli batch columns renew", ALIASES,
                      TELLING_WORDS, ("since",), reads_files=True, about=about)


def _ce(values: dict[str, str], row: At, since: PartialDate, as_of: date, folder: "CeFolder"):
    totals = {col: values[col] for col in _TOTAL_COLUMNS if values.get(col)}
    if values.get("ce_log"):
        if totals:
            raise InputError(f"give a CE log or CE totals ({', '.join(totals)}), not both", at=row / "ce_log")
        try:
            return tuple(folder.read(values["ce_log"], as_of))
        except InputError as err:  # the CE log's own place (its file, row and column) follows the cell's
            raise InputError(str(err), at=row / "ce_log") from None
    if not totals:
        return None
    # totals are credits earned inside the current period: date them on its latest possible first day
    day = min(since.last, as_of)
    entries = []
    for col, text in totals.items():
        credits = read_number(text, "ce_total", row / col)  # a float, or an Exact (bounds.as_float)
        category = _TOTALS.get(col)
        entries.append(CeEntry(day, credits, category, category is not None, None, col, str(row / col)))
    return tuple(entries)


class CeFolder:
    """The folder a renewal roster's CE logs must be in (the roster's folder, or --ce-dir).

    A roster may come from anyone (an export, a shared drive), and a cell is not a command-line
    argument: it must not make ma-cli open any file on the machine. So a ce_log cell is a path
    relative to this folder, without '..' and without control characters; after symbolic links
    are resolved it must still be inside the folder; it must be a regular file (checked with stat
    before opening, and again on the open file: a FIFO or device cannot hang or flood the run);
    and until it shows itself a CE log no message quotes its content (celog.parse_ce_text).
    """

    def __init__(self, folder: Path, encoding: str | None = None, date_order: str | None = None):
        self.folder = folder
        self.root = os.path.realpath(folder)
        # the roster's --encoding (a codec name, roster.check_encoding): a spreadsheet that exports the
        # roster as Windows-1252 exports the CE logs beside it so too; None: UTF-8 (a log with a BOM is read as its BOM says)
        self.encoding = encoding
        self.date_order = date_order  # the roster's --date-order: one export writes its dates one way

    def read(self, cell: str, as_of: date) -> list[CeEntry]:
        from ma_cli.inputs.yamlio import read_regular

        where = f"the CE folder '{self.folder}'"
        if any(c < " " or c == "\x7f" for c in cell):
            raise InputError(f"'{cell}' is not a file name (it holds a control character); expected a path inside "
                             f"{where}")
        relative = PurePath(cell)
        if relative.is_absolute():  # (no ~ expansion either: a cell is never a shell word)
            raise InputError(f"'{cell}' is not a path inside {where} (an absolute path); expected a path relative "
                             f"to it (see --ce-dir)")
        if ".." in relative.parts:
            raise InputError(f"'{cell}' leads out of {where} ('..'); expected a path inside it (see --ce-dir)")
        shown = self.folder / cell
        full = os.path.realpath(os.path.join(self.root, cell))
        if os.path.commonpath([self.root, full]) != self.root:
            raise InputError(f"'{cell}' leads out of {where} (through a symbolic link); expected a file inside it "
                             f"(see --ce-dir)")
        data = read_regular(full, shown, "CE log")
        text = decode_ce_log(data, str(shown), self.encoding, beside_roster=True)
        return parse_ce_text(text, str(shown), relative.suffix.lower() in (".yaml", ".yml"), as_of, untrusted=True,
                             date_order=self.date_order)

