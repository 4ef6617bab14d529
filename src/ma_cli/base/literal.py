"""User text, shown literally: the one place every renderer goes through.

A profile id, a CE description, a rule name, a roster cell or a path is the user's text, not
instructions for the terminal or for Rich. `[/]` must not end a style (Rich raised MarkupError),
`[link=...]` must not become a link, `Ann [cohort-b]` must keep its bracket, and ESC, OSC or a
right-to-left override must not reach the terminal raw. So:

- `visible(text)`: control characters (C0, DEL, C1), line and paragraph separators and bidi
  controls are written as escapes (ESC as `\\x1b`, the same form error lines use);
- `console()`: the Rich console every table is drawn on; it reads no markup and no emoji codes,
  and passes every string through `visible` (titles, cells and printed lines alike);
- `styled(...)` / `lines(...)`: our own colours and line breaks, built as Rich `Text`, with the
  text parts made visible too;
- `say(text)`: plain multi-line output (`rules list/show/validate/test`), line breaks kept.

Rich is imported only when a table is drawn.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Optional, Union

if TYPE_CHECKING:  # for the type checker only: Rich is imported when a table is drawn
    from rich.console import Console
    from rich.text import Text

# characters that change what a terminal does or how a line reads, rather than print
_CONTROL = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_LAYOUT = [0x2028, 0x2029, 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
           # and characters that print nothing, so two ids that differ look the same: soft hyphen, zero-width
           # space, word joiner and invisible operators, byte-order mark, interlinear annotation marks, tags
           # (the zero-width joiner and non-joiner stay: emoji and several scripts are written with them)
           0x00AD, 0x200B, *range(0x2060, 0x2065), 0xFEFF, *range(0xFFF9, 0xFFFC), 0xE0001, *range(0xE0020, 0xE0080)]


def _escape(code: int) -> str:
    return chr(code).encode("unicode_escape").decode("ascii")  # \x1b, \n, \u202e: as error lines show them


def _json_escape(code: int) -> str:
    """JSON's escape of one character: above U+FFFF (tag characters) its UTF-16 surrogate pair."""
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


_SHOWN = {code: _escape(code) for code in _CONTROL + _LAYOUT}
_SHOWN_KEEP_LINES = {**_SHOWN, 0x0A: "\n"}
# data formats: CSV keeps tab and line ends (they are data, quoted) and shows bidi controls as the
# terminal does (a CSV is read on one); JSON escapes C0 itself, and
# what it leaves raw (DEL, C1, bidi controls) is written as a JSON escape, which reads back the same
CSV_CELL = {code: _escape(code) for code in _CONTROL + _LAYOUT if code not in (0x09, 0x0A, 0x0D)}
JSON_TEXT = {code: _json_escape(code) for code in [0x7F, *range(0x80, 0xA0), *_LAYOUT]}


def visible(text: str, keep_lines: bool = False) -> str:
    """`text` with every control character shown as an escape (`\\x1b`); line breaks kept if asked."""
    if text.isprintable():  # the common case, checked in C
        return text
    return text.translate(_SHOWN_KEEP_LINES if keep_lines else _SHOWN)


def say(text: str) -> None:
    """Plain text to standard output, one or more lines, control characters made visible."""
    sys.stdout.write(visible(text, keep_lines=True) + "\n")


_CONSOLE: type[Console] | None = None


def console(stderr: bool = False) -> Console:
    """A Rich console that shows every string literally (no markup, no emoji codes, no raw controls)."""
    global _CONSOLE
    if _CONSOLE is None:
        from rich.console import Console

        class LiteralConsole(Console):
            # every str Rich draws (print arguments, table titles and cells, measuring) comes through here
            def render_str(self, text: str, **options: Any) -> Text:
                options.update(markup=False, emoji=False, highlight=False)
                return super().render_str(visible(text), **options)

            def on_broken_pipe(self) -> None:
                # Rich would exit 1 here ("not eligible"); let the CLI end it as a broken pipe (exit 141)
                self.quiet = True
                raise BrokenPipeError(32, "Broken pipe")

        _CONSOLE = LiteralConsole
    return _CONSOLE(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=False)


def styled(*parts: Union[str, tuple[str, Optional[str]]]) -> Text:
    """A Rich Text from parts: a str (plain) or a (str, style) pair; each part made visible."""
    from rich.text import Text

    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(visible(part[0]), style=part[1] or None)
        else:
            text.append(visible(part))
    return text


def lines(*items: Union[str, Text]) -> Text:
    """A multi-line table cell: each item (str or Text) on its own line, each made visible."""
    from rich.text import Text

    return Text("\n").join(item if isinstance(item, Text) else styled(item) for item in items)
