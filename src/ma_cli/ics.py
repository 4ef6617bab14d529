"""iCalendar (RFC 5545) text for renewal dates: due dates, a reminder before each, grace ends, fees.

Pure: builds the text; the CLI writes it. UIDs are stable (credential, kind, date), so importing
an updated file again updates the events instead of duplicating them. DTSTAMP is the as-of
date, so the same question always gives the same file.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from ma_cli.renewal import RenewalStatus


def calendar(statuses: Iterable[RenewalStatus], as_of: date, remind_days: int) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ma-cli//renew//EN", "CALSCALE:GREGORIAN"]
    stamp = as_of.strftime("%Y%m%dT000000Z")
    for s in statuses:
        if s.due is None:
            continue
        first_action = s.actions[0] if s.actions else ""
        lines += _event(f"{s.credential}-due-{s.due:%Y%m%d}", stamp, s.due, f"{s.name} renewal due",
                        f"{s.name}: renewal due {s.due}. {first_action}", remind_days)
        if remind_days:
            lines += _event(f"{s.credential}-reminder-{s.due:%Y%m%d}", stamp, s.due - timedelta(days=remind_days),
                            f"{s.name} renewal due in {remind_days} days",
                            f"{s.name}: renewal due {s.due}. {first_action}", 0)
        if s.grace_end:
            lines += _event(f"{s.credential}-grace-{s.grace_end:%Y%m%d}", stamp, s.grace_end,
                            f"{s.name} grace window ends", f"{s.name}: last day of the grace window after {s.due}.", 0)
        for fee in s.fee_due:
            lines += _event(f"{s.credential}-fee-{fee:%Y%m}", stamp, fee, f"{s.name} annual fee due this month",
                            f"{s.name}: the annual fee is due in {fee:%B %Y}.", 0)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _event(uid: str, stamp: str, day: date, summary: str, description: str, alarm_days: int) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}@ma-cli", f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
             f"SUMMARY:{_escape(summary)}", f"DESCRIPTION:{_escape(description)}", "TRANSP:TRANSPARENT"]
    if alarm_days:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_escape(summary)}",
                  f"TRIGGER:-P{alarm_days}D", "END:VALARM"]
    return lines + ["END:VEVENT"]


def _escape(text: str) -> str:
    # RFC 5545 text holds no control characters: an ESC from a rule name or profile is shown as \x1b
    from ma_cli.literal import visible

    text = visible(text, keep_lines=True)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside a character)."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


# public names for other calendars (ma-cli plan) built from the same pieces
event, escape, fold = _event, _escape, _fold
