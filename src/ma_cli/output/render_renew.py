"""Output of `ma-cli renew`: a Rich table for people, JSON for scripts.

Rich is imported only when a table is drawn, so `--json` runs in loops stay light.
"""

from __future__ import annotations

from datetime import date

from ma_cli.base.bounds import amount_of, amount_text
from ma_cli.output.render_shared import STYLE, iso, number
from ma_cli.reasoning.renewal import CeProgress, RenewalStatus
from ma_cli.ruleset.rules import quality_mark


def _sources_detail(s) -> list[dict]:
    """`sources` with each one's quality (official, secondary or low; null when the rule file does not say)."""
    quality = {c.url: c.quality for c in s.citations if c.url}
    return [{"url": url, "quality": quality.get(url) or None} for url in s.sources]


def status_dict(s: RenewalStatus) -> dict:
    return {
        "credential": s.credential,
        "name": s.name,
        "status": s.status,
        "since": s.since,
        "since_precision": s.precision,
        "period_start": iso(s.period_start),
        "due": iso(s.due),
        "due_range": {"earliest": iso(s.due_range[0]), "latest": iso(s.due_range[1])} if s.due_range else None,
        "days_left": s.days_left,
        "grace_end": iso(s.grace_end),
        "fees": {"due_months": [d.strftime("%Y-%m") for d in s.fee_due],
                 "next": s.next_fee.strftime("%Y-%m") if s.next_fee else None},
        "ce": ce_dict(s.ce),
        "actions": list(s.actions),
        "notes": list(s.notes),
        "sources": s.sources,
        "sources_detail": _sources_detail(s),
        "citations": [{"param": c.param, "says": c.says, "source": c.source, "url": c.url, "quote": c.quote,
                       "confidence": c.confidence, "effective": iso(c.effective) or "unknown",
                       "until": iso(c.until), "note": c.note, "quality": c.quality or None} for c in s.citations],
    }


def ce_dict(ce: CeProgress | None) -> dict | None:
    if ce is None:
        return None
    return {
        "unit": ce.unit,
        "required": number(ce.required),
        "counted": number(ce.counted),
        "missing": number(ce.missing),
        "window": {"from": iso(ce.window[0]), "until": iso(ce.window[1])},
        "by_requirement": [{"id": r.id, "name": r.name, "says": r.says, "required": number(r.required),
                            "maximum": number(r.maximum), "counted": number(r.counted), "missing": number(r.missing)}
                           for r in ce.by_requirement],
        "counted_entries": [{"entry": c.entry.where, "date": iso(c.entry.date), "credits": number(c.credits),
                             "category": c.category, "approved": c.approved, "description": c.entry.description}
                            for c in ce.counted_entries],
        "not_counted": [{"entry": n.entry.where, "date": iso(n.entry.date), "credits": number(n.credits),
                         "description": n.entry.description, "reason": n.reason} for n in ce.not_counted],
    }


def renewal_doc(as_of: date, statuses: list[RenewalStatus], rules_origin: str, profile_id: str | None) -> dict:
    """What `renew --json` prints (and `ma_cli.renew` returns), as Python values."""
    return {"as_of": as_of.isoformat(), "profile_id": profile_id, "rules": rules_origin,
            "results": [status_dict(s) for s in statuses]}


def _ce_cell(s: RenewalStatus):
    from ma_cli.base.literal import lines

    ce = s.ce
    if ce is None:
        return "-"
    if ce.counted is None:
        return f"{amount_of(ce.required, ce.unit)} needed"
    return lines(f"{amount_text(ce.counted)} of {amount_of(ce.required, ce.unit)}", f"{amount_text(ce.missing)} missing")


def _due_cell(s: RenewalStatus):
    from ma_cli.base.literal import lines

    if s.due is None:
        return "?"
    text = [str(s.due)]
    if s.due_range and s.due_range[1] != s.due:
        text.append(f"(up to {s.due_range[1]})")
    if s.grace_end:
        text.append(f"grace to {s.grace_end}")
    return lines(*text)


def renewal_table(as_of: date, statuses: list[RenewalStatus], rules_origin: str, profile_id: str | None) -> None:
    import ma_cli.output.render_plain as render_plain
    from ma_cli.output.render import console

    if render_plain.stacked():  # a pipe or file, or a narrow terminal: no table
        render_plain.renewal(render_plain.lines_for(console), as_of, statuses, rules_origin, profile_id)
        return
    from rich.table import Table

    from ma_cli.base.literal import styled

    out = console()
    who = f" for {profile_id}" if profile_id else ""
    table = Table(title=f"Renewal{who} as of {as_of}", title_justify="left")
    for name in ("Credential", "Status", "Since", "Due", "CE"):
        table.add_column(name, no_wrap=True)
    for s in statuses:
        table.add_row(s.name, styled((s.status.replace('_', ' '), STYLE[s.status])), s.since,
                      _due_cell(s), _ce_cell(s))
    out.print(table)
    for s in statuses:
        _details(out, s)
    out.print(styled((f"Rules: {rules_origin}.", "dim")))


def _details(out, s: RenewalStatus) -> None:
    from rich.table import Table

    from ma_cli.base.literal import styled

    out.print()
    out.print(styled((s.name, "bold"), ": ", (s.status.replace('_', ' '), STYLE[s.status]),
                     f", period {s.period_start} to {s.due}" if s.due else ""))
    ce = s.ce
    if ce is not None and ce.counted is not None:
        reqs = Table(show_header=True, box=None, padding=(0, 2))
        for col in ("Requirement", "Required", "Counted", "Missing"):
            reqs.add_column(col, justify="left" if col == "Requirement" else "right")
        for r in ce.by_requirement:
            need = f"≤ {amount_text(r.maximum)}" if r.maximum is not None else amount_text(r.required)
            reqs.add_row(r.says, need, amount_text(r.counted), "" if r.required is None else amount_text(r.missing))
        out.print(reqs)
        for n in ce.not_counted:
            desc = f" {n.entry.description}" if n.entry.description else ""
            out.print(f"  not counted: {n.entry.where} ({amount_text(n.credits)}{desc}): {n.reason}")
    for action in s.actions:
        out.print(f"  • {action}")
    for note in s.notes:
        out.print(styled("  ", ("note:", "yellow"), f" {note}"))
    for c in s.citations:
        conf = "" if c.confidence == "high" else f", {c.confidence} confidence"
        quote = f" {c.quote}" if c.quote else ""
        out.print(styled((f"  {c.param}: {c.url or c.source or '?'}{quote}{conf}{quality_mark(c.quality)}", "dim")),
                  soft_wrap=True)
