"""Console entry point: import the command modules (each registers itself) and run."""

from ma_cli.app import app
from ma_cli import cmd_eligible  # noqa: F401  (registers `eligible`)
from ma_cli import cmd_renew  # noqa: F401  (registers `renew`)
from ma_cli import cmd_rules  # noqa: F401  (registers `rules list|show|validate|test`)


def main() -> None:
    app()
