"""`ma-cli schema [NAME]`: the JSON Schema of each JSON output, as shipped in the package."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ma_cli.base.errors import InputError
from ma_cli.commands.app import MaCommand, app, examples

FOLDER = Path(__file__).resolve().parents[1] / "schemas"  # (ma_cli/schemas)

# schema name -> the output it describes
SCHEMAS = {
    "eligible": "ma-cli eligible --json; ma_cli.eligible()",
    "plan": "ma-cli plan --json; ma_cli.plan()",
    "renew": "ma-cli renew --json; ma_cli.renew()",
    "batch-eligible-row": "one line of batch eligible --format jsonl; ma_cli.eligible_rows() items",
    "batch-eligible": "batch eligible --format json",
    "batch-renew-row": "one line of batch renew --format jsonl",
    "batch-renew": "batch renew --format json",
    "batch-summary": "batch eligible|renew --summary --format json|jsonl",
    "rules-list": "ma-cli rules list --format json",
    "rules-show": "ma-cli rules show CREDENTIAL --format json",
}


def schema_text(name: str) -> str:
    key = name.strip().lower()
    if key not in SCHEMAS:
        from ma_cli.inputs.profile import suggest

        raise InputError(f"schema '{name}' is not known{suggest(key, list(SCHEMAS))}; "
                         f"expected one of: {', '.join(SCHEMAS)}")
    return (FOLDER / f"{key}.json").read_text(encoding="utf-8")


@app.command(cls=MaCommand, epilog=examples("ma-cli schema", "ma-cli schema eligible",
                                            "ma-cli schema batch-eligible-row"),
             help="The JSON Schema (draft 2020-12) of a JSON output: NAME as listed by `ma-cli schema` alone. "
                  "Fields are only ever added, so a schema accepts fields it does not name.")
def schema(
    name: Optional[str] = typer.Argument(None, metavar="[NAME]", help="A schema name; none lists them.",
                                         autocompletion=lambda incomplete: [n for n in SCHEMAS
                                                                            if n.startswith(incomplete)]),
) -> None:
    if name is None:
        width = max(map(len, SCHEMAS))
        for key, says in SCHEMAS.items():
            print(f"{key:<{width}}  {says}")
        return
    print(schema_text(name), end="")
