"""HTML pages (`plan --html`, `batch eligible|renew --format html`): the one style and the parts they share.

Every page is self-contained: inline CSS, inline SVG, at most a little inline JavaScript, no
network, no external font or script. User text (ids, names, rule names, roster cells, messages)
goes through `esc`: HTML-escaped, with control characters shown as escapes (`\\x1b`), as
everywhere ma-cli shows user text. Colour is never the only signal: each answer is written out
in words, and the SVG fills add a pattern (stripes for review, dots for not eligible).

Imported only when an HTML output is asked for.
"""

from __future__ import annotations

from datetime import date
from html import escape

from ma_cli.base.literal import visible

# answers and renewal statuses: (css class, words shown)
LABELS = {
    "eligible": ("ok", "eligible"),
    "review": ("rv", "review"),
    "not_eligible": ("no", "not eligible"),
    "error": ("er", "error"),
    "skipped": ("sk", "skipped"),
    "current": ("ok", "current"),
    "due_soon": ("rv", "due soon"),
    "grace": ("rv", "grace"),
    "lapsed": ("no", "lapsed"),
}
# fills for SVG shapes: a colour and a pattern id (None: plain)
FILLS = {"ok": ("#b8e1b0", None), "rv": ("#fde49c", "p-rv"), "no": ("#dcdcdc", "p-no"), "er": ("#f4b6b6", "p-er"),
         "sk": ("#ffffff", None)}

# `#rows` is a roster report's table of rows: blocks and grids on screen, a table in print (html_batch)
CSS = """
:root{--ink:#1a1a1a;--muted:#4d4d4d;--line:#9a9a9a;--ok:#b8e1b0;--rv:#fde49c;--no:#dcdcdc;--er:#f4b6b6;--soon:#fff3c4}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--ink);background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.meta{color:var(--muted);margin:0 0 12px}
a{color:#0645ad}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
ul{margin:4px 0;padding-left:20px}
svg{display:block;max-width:100%;height:auto;font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg text{fill:var(--ink)}
svg text.lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.key{display:flex;flex-wrap:wrap;gap:4px 16px;margin:8px 0;padding:0;list-style:none}
.key li::before{content:"";display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;
border:1px solid var(--line)}
.key .ok::before{background:var(--ok)}.key .rv::before{background:repeating-linear-gradient(45deg,var(--rv) 0 3px,#c9a227 3px 4px)}
.key .no::before{background:radial-gradient(#7a7a7a 1px,var(--no) 1.5px) 0 0/5px 5px}
.key .er::before{background:repeating-linear-gradient(-45deg,var(--er) 0 3px,#b34040 3px 4px)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #c8c8c8;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0;position:sticky;top:0}
th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:inherit}
td small{display:block;color:var(--muted)}
.ok{background:var(--ok)}.rv{background:var(--rv)}.no{background:var(--no)}.er{background:var(--er)}
td.ok,td.rv,td.no,td.er{white-space:nowrap}
#rows{display:block}
#rows thead{display:block;position:sticky;top:0;z-index:1}
#rows tbody{display:block;content-visibility:auto}
#rows tbody[hidden]{display:none}
#rows tr{display:grid;border-left:1px solid #c8c8c8}
#rows thead tr{border-top:1px solid #c8c8c8}
#rows th{position:static}
#rows th,#rows td{border-width:0 1px 1px 0;padding:3px 5px;white-space:normal;overflow-wrap:anywhere}
#rows td small{white-space:pre-line}
tr.soon td:first-child{border-left:4px solid #b07d00}
b.soon{font-weight:700;color:#6b4a00}
.report{display:flex;flex-direction:column}
.report>.top{order:-2}.report>.counts{order:-1}
.tools{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}
.errors li{margin:2px 0}
.stretches td{white-space:normal}
footer{margin-top:24px;color:var(--muted);font-size:12px}
@page{size:auto;margin:12mm}
@media print{
body{padding:0;font-size:11pt}
th{position:static}
#rows,#rows thead,#rows tbody,#rows tr{display:revert;min-width:0;content-visibility:visible;border:0}
#rows th,#rows td{border-width:1px;overflow-wrap:normal}
.tools{display:none}
a{color:inherit}
a[href^="http"]::after{content:" (" attr(href) ")";font-size:9pt;word-break:break-all}
section,svg,tr{break-inside:avoid}
table{font-size:9pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

# SVG patterns: a second signal beside the colour (stripes: review, dots: not eligible, hatching: error)
PATTERNS = """<defs>
<pattern id="p-rv" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
<rect width="6" height="6" fill="#fde49c"/><rect width="1.5" height="6" fill="#c9a227"/></pattern>
<pattern id="p-no" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#dcdcdc"/>\
<circle cx="3" cy="3" r="1" fill="#7a7a7a"/></pattern>
<pattern id="p-er" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">\
<rect width="6" height="6" fill="#f4b6b6"/><rect width="1.5" height="6" fill="#b34040"/></pattern>
</defs>"""


def esc(value) -> str:
    """User text (or a date, a number, None) as HTML text: escaped, controls shown as escapes."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return escape(visible(text), quote=True)


def fill(css: str) -> str:
    colour, pattern = FILLS[css]
    return f'fill="url(#{pattern})"' if pattern else f'fill="{colour}"'


def key(items: tuple[tuple[str, str], ...] = (("ok", "eligible"), ("rv", "review"), ("no", "not eligible"))) -> str:
    """The colour key: each fill (css class) named in words and shown with its pattern."""
    return '<ul class="key">' + "".join(f'<li class="{c}">{esc(w)}</li>' for c, w in items) + "</ul>"


def text_width(text: str, size: float = 11.0) -> float:
    """A generous estimate of a label's width in px (sans-serif, wider than most fonts draw it)."""
    return len(text) * size * 0.62 + 2


def fit(text: str, room: float, size: float = 11.0) -> str:
    """`text`, shortened with an ellipsis to fit `room` px; '' when not even 3 characters fit."""
    if text_width(text, size) <= room:
        return text
    n = int((room - 2) / (size * 0.62)) - 1
    return text[:n].rstrip() + "…" if n >= 3 else ""


def head(title: str, style: str = "") -> str:
    """The page's head: the one style, then `style`, the page's own rules (a roster report's columns)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{CSS}{style}</style></head>\n<body>\n")


FOOT = "</body></html>\n"
