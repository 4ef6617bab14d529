"""A rule folder for a test: a copy of a bundled rule file with edits (to break it, rename it, move a
number), written where the test says. The one way tests make such folders."""

from __future__ import annotations

from pathlib import Path

from ma_cli.ruleset.rules import bundled_rules_dir


def bundled_text(name: str = "cma.yaml") -> str:
    return (bundled_rules_dir() / name).read_text(encoding="utf-8")


def rule_folder(folder: Path, *edits: tuple[str, str], name: str = "cma.yaml", text: str | None = None) -> Path:
    """`folder` (made if missing) holding `name`: the bundled file (or `text`) with each (old, new)
    edit made once; an edit whose old text is not there fails the test, so it can never pass unedited."""
    text = bundled_text(name) if text is None else text
    for old, new in edits:
        assert old in text, f"{old!r} is not in {name}"
        text = text.replace(old, new, 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder
