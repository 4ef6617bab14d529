"""Console entry point: import the command modules (each registers itself) and run."""

from ma_cli.app import app
from ma_cli import cmd_eligible  # noqa: F401  (registers `eligible`)
from ma_cli import cmd_renew  # noqa: F401  (registers `renew`)
from ma_cli import cmd_rules  # noqa: F401  (registers `rules list|show|validate|test`)
from ma_cli import cmd_batch  # noqa: F401  (registers `batch`)
from ma_cli import cmd_plan  # noqa: F401  (registers `plan`)


def main() -> None:
    app()
