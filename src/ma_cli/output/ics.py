"""iCalendar (RFC 5545) text: the one builder of every calendar ma-cli writes (`renew --ics`,
`plan --ics`, `batch renew --ics`), and the renewal dates' events (due dates, a reminder before
each, grace ends, fees).

Pure: builds the text; the CLI writes it. UIDs are stable (`uid`: the person's id, the credential and
what the event is, never its date), so importing an updated file again moves the events instead of
duplicating them. DTSTAMP is the as-of date, so the same question always gives the same file.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from ma_cli.reasoning.renewal import RenewalStatus, due_words


def begin(product: str, name: str | None = None) -> str:
    """A calendar's opening lines; `product` names the command (PRODID), `name` the calendar if given."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//ma-cli//{product}//EN", "CALSCALE:GREGORIAN"]
    if name is not None:
        lines.append(f"X-WR-CALNAME:{name}")
    return text(lines)


def end() -> str:
    return text(["END:VCALENDAR"])


def text(lines: Iterable[str]) -> str:
    """Content lines as calendar text: each folded, each ended by CRLF."""
    return "".join(fold(line) + "\r\n" for line in lines)


def document(product: str, events: list[str]) -> str:
    """A whole calendar of `events` (the lines of `event` calls)."""
    return begin(product) + text(events) + end()


def stamp(as_of: date) -> str:
    """DTSTAMP: the as-of day, so that the same question always gives the same file."""
    return as_of.strftime("%Y%m%dT000000Z")


def uid(person: str | None, credential: str, *what: str, nth: int = 1) -> str:
    """The one UID of every event (before `@ma-cli`): the person's id, the credential and what the event
    is (`due`, `grace`, `fee-1`; a plan's `from`, `eligible`, `cat2-nonrecent`), never its date or its place
    among the events of a file, so a file made on a later day, or after a date was given to the day, moves
    an event whose date changed instead of adding a second one, and two people's events never share one.
    `nth`: the count among events that are the same thing (a second review stretch, a second roster row
    with the id and credential of an earlier one); the first has none. Without an id the UID is the
    credential and the rest alone (README, `plan` and `renew`, "--ics FILE"): one such person per
    calendar. The id and the words are percent-encoded (`_uid_text`)."""
    who = f"{_uid_text(person)}-" if person is not None else ""
    again = f"-{nth}" if nth > 1 else ""
    return f"{who}{credential}-{'-'.join(_uid_text(w) for w in what)}{again}"


def _uid_text(text: str) -> str:
    """An id as UID text: letters, digits, ".", "_", "-" kept, anything else %XX (so no two ids share a UID)."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "".join(f"%{b:02X}" for b in c.encode("utf-8"))
                   for c in text)


def calendar(statuses: Iterable[RenewalStatus], as_of: date, remind_days: int, person: str | None = None) -> str:
    """`renew --ics`: per credential its due date (with a reminder), grace end and fee months; `person` is
    the profile's id (its events' UIDs hold it: `uid`)."""
    lines: list[str] = []
    dtstamp = stamp(as_of)
    for s in statuses:
        if s.due is None:
            continue
        first_action = s.actions[0] if s.actions else ""
        due = due_words(*s.due_range) if s.due_range else str(s.due)  # the event sits on the earliest day
        lines += event(uid(person, s.credential, "due"), dtstamp, s.due, f"{s.name} renewal due",
                       f"{s.name}: renewal due {due}. {first_action}", remind_days)
        if remind_days:
            lines += event(uid(person, s.credential, "reminder"), dtstamp, s.due - timedelta(days=remind_days),
                           f"{s.name} renewal due in {remind_days} days",
                           f"{s.name}: renewal due {due}. {first_action}", 0)
        if s.grace_end:
            lines += event(uid(person, s.credential, "grace"), dtstamp, s.grace_end,
                           f"{s.name} grace window ends", f"{s.name}: last day of the grace window after {s.due}.", 0)
        for n, fee in enumerate(s.fee_due, 1):  # (the period's first fee, second fee...: its month may move)
            lines += event(uid(person, s.credential, f"fee-{n}"), dtstamp, fee, f"{s.name} annual fee due this month",
                           f"{s.name}: the annual fee is due in {fee:%B %Y}.", 0)
    return document("renew", lines)


def event(uid: str, stamp: str, day: date, summary: str, description: str, alarm_days: int) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}@ma-cli", f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
             f"SUMMARY:{escape(summary)}", f"DESCRIPTION:{escape(description)}", "TRANSP:TRANSPARENT"]
    if alarm_days:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape(summary)}",
                  f"TRIGGER:-P{alarm_days}D", "END:VALARM"]
    return lines + ["END:VEVENT"]


def escape(text: str) -> str:
    # RFC 5545 text holds no control characters: an ESC from a rule name or profile is shown as \x1b, and
    # a line feed as \n, as a carriage return is \r (a line feed kept as the calendar's own line break
    # would let a roster id start a new line of the event's text)
    from ma_cli.base.literal import visible

    return visible(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def fold(line: str) -> str:
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
