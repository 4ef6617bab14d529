"""All output lives here: Rich tables for people, JSON for scripts.

Rich is imported only when a table is drawn, so `--json` runs in loops stay light. Rich
itself honours NO_COLOR and drops colour and box art when stdout is not a terminal.
"""

from __future__ import annotations

from datetime import date

from ma_cli.base.frozen import asdict
from ma_cli.output.render_shared import STYLE, grouped, iso, plain, when
from ma_cli.reasoning.engine import Decision


def decision_dict(d: Decision, explain: bool = False, until: date | None = None) -> dict:
    out = {
        "credential": d.credential,
        "name": d.name,
        "status": d.status,
        "route": d.route,
        "route_name": d.route_name,
        "reasons": list(d.reasons),
        "sources": list(d.sources),
        "deadline": iso(d.deadline),
        "deadline_says": d.deadline_says if d.deadline else None,
        "earliest": iso(d.opens),
        "sources_detail": sources_detail(d),
        "eligible_until": iso(until) if d.status == "eligible" else None,
    }
    if explain:
        out["requires"] = [plain(asdict(c)) for c in d.requires]
        # (a route's `doubt` only ranks reviews against each other: not part of the answer)
        out["trace"] = [plain({k: v for k, v in asdict(r).items() if k != "doubt"}) for r in d.routes]
    return out


def sources_detail(d: Decision) -> list[dict]:
    """`sources` with each one's title and quality (official, secondary or low; null when the rule
    file does not say), so that a weak source is never shown as an authority."""
    info = {s.url: s for s in d.source_info}
    out = []
    for url in d.sources:
        s = info.get(url)
        out.append({"url": url, "title": s.title if s else None, "quality": (s.quality or None) if s else None})
    return out


def eligibility_doc(as_of: date, decisions: list[Decision], rules_origin: str, profile_id: str | None,
                    explain: bool = False, untils: dict | None = None) -> dict:
    """What `eligible --json` prints (and `ma_cli.eligible` returns), as Python values; `untils` holds
    each eligible credential's last eligible day (api.last_days)."""
    untils = untils or {}
    return {
        "as_of": as_of.isoformat(),
        "profile_id": profile_id,
        "rules": rules_origin,
        "results": [decision_dict(d, explain, untils.get(d.credential)) for d in decisions],
    }


def console(stderr: bool = False):
    from ma_cli.base.literal import console as literal_console
    from ma_cli.output.render_plain import width

    out = literal_console(stderr)
    out.width = width()  # COLUMNS=0, nonsense or absurd values: still a readable width
    return out


def eligibility_table(as_of: date, decisions: list[Decision], rules_origin: str, profile_id: str | None,
                      explain: bool = False, untils: dict | None = None, grouping: tuple | None = None) -> None:
    """grouping: (credential id -> field, fields the person has facts for, fold quiet fields?), or None
    for one plain list."""
    import ma_cli.output.render_plain as render_plain

    if render_plain.stacked():  # a pipe or file, or a narrow terminal: no table
        render_plain.eligibility(render_plain.lines_for(console), as_of, decisions, rules_origin, profile_id, explain,
                                 untils, grouping)
        return
    from rich.table import Table

    from ma_cli.base.literal import lines, styled

    out = console()
    who = f" for {profile_id}" if profile_id else ""
    table = Table(title=f"Eligibility{who} as of {as_of}", title_justify="left")
    table.add_column("Credential", no_wrap=True)
    table.add_column("Answer", no_wrap=True)
    table.add_column("Route, or why not")
    table.add_column("Date that matters", no_wrap=True)
    for d, folded, first in grouped(decisions, grouping, lambda d: d.credential, lambda d: d.status):
        if first is not None:
            table.add_section()
        if folded is not None:
            names, text = folded
            table.add_row(names, styled(("not eligible", STYLE["not_eligible"])), lines(text), "")
            continue
        why = [d.route_name or (d.reasons[0] if d.reasons else "")]
        if d.status == "review" and d.reasons[1:]:
            why += [f"• {r}" for r in d.reasons[1:]]
        elif d.status == "not_eligible" and d.reasons[1:]:
            why += [f"• {r}" for r in d.reasons[1:3]]
        table.add_row(d.name, styled((d.status.replace('_', ' '), STYLE[d.status])), lines(*why), lines(*when(d, untils)))
    out.print(table)
    if explain:
        for d in decisions:
            explain_decision(out, d)
    out.print(styled((f"Rules: {rules_origin}. Add --explain for every route and its sources."
                      if not explain else f"Rules: {rules_origin}.", "dim")))


def explain_decision(out, d: Decision) -> None:
    """Every route and condition of one answer, continuation lines indented under their text."""
    from ma_cli.output.render_plain import explain_decision as explain, rich_lines

    explain(rich_lines(out), d)

