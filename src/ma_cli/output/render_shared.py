"""What the output modules share: the colour of each answer, dates and numbers as JSON shows
them, and the grouping of answers by field and the date lines of an eligibility answer.

Below every render module (render, render_plain, render_plan, render_renew, render_batch): it
imports none of them, so they can all use it without importing each other. No Rich here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping, Sequence, TypeVar

from ma_cli.base.bounds import Exact

T = TypeVar("T")
# (item or None, (names, why) of a folded field or None, field that starts a section or None)
Shown = tuple[Any, "tuple[str, str] | None", "str | None"]

# the Rich style of each answer, condition and renewal status (eligible, plan, renew; tables and stacked)
STYLE = {"eligible": "green", "not_eligible": "red", "review": "yellow", "not_in_force": "dim",
         "pass": "green", "fail": "red", "unknown": "yellow",
         "current": "green", "due_soon": "yellow", "grace": "yellow", "lapsed": "red"}


def iso(value: Any) -> Any:
    """A date as JSON shows it (YYYY-MM-DD); any other value as it is."""
    return value.isoformat() if isinstance(value, date) else value


def plain(obj: Any) -> Any:
    """`iso` all through dicts, lists and tuples (tuples become lists)."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    return iso(obj)


def number(value: float | None) -> float | int | None:
    """A count of credits or hours as JSON carries it: whole numbers without a decimal point, others as
    they are (never rounded: a missing 0.004 rounded to 0 would say nothing is missing; the words and
    cells show amounts with bounds.amount_text)."""
    if value is None or type(value) is Exact:  # (an Exact's float may be whole: 9.9999999999999999 is 10.0)
        return value
    return int(value) if float(value).is_integer() else value


def when(d: Any, untils: Mapping[str, date | None] | None = None) -> list[str]:
    """The date cell's lines of an answer (engine.Decision): the route's date, and for an eligible
    answer how long it lasts."""
    untils = untils or {}
    lines = []
    if d.deadline:
        lines.append(f"{d.deadline_says} {d.deadline}")
    elif d.opens:
        lines.append(f"from {d.opens}")
    if d.status == "eligible":
        until = untils.get(d.credential)
        if until is not None:
            lines.append(f"eligible until {until}")
        elif d.credential in untils:
            lines.append("no end within 10 years")
    return lines


def grouped(items: Sequence[T], grouping: tuple[Any, ...] | None, id_of: Callable[[T], str],
            status_of: Callable[[T], str]) -> list[Shown]:
    """(item, None, field-or-None) per shown item, a section starting at each new field; a folded field
    is one (None, (names, why), field). Without grouping (or one field only), the items as they are."""
    if grouping is None:
        return [(i, None, None) for i in items]
    from ma_cli.inputs.fields import folded_line, groups

    field_of, facts, fold = grouping
    parts = groups(items, lambda i: field_of.get(id_of(i), "medical-assisting"), status_of, facts, fold)
    out: list[Shown] = []
    for n, (f, mine, folded) in enumerate(parts):
        first = f if n else None
        if folded:
            out.append((None, folded_line(f, [_name(i) for i in mine]), first))
        else:
            out += [(i, None, first if k == 0 else None) for k, i in enumerate(mine)]
    return out


def _name(item: Any) -> str:
    return (getattr(item, "credential", "") or "").upper()
