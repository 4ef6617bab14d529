"""ma-cli: eligibility and renewal answers for US medical-assistant credentials.

The Python API (README, "Python API"); each function returns what the matching `--json` prints:

    ma_cli.eligible(profile, *, as_of=None, credentials=None, explain=False, rules=None) -> dict
    ma_cli.plan(profile, *, as_of=None, credentials=None, assume=(), explain=False, rules=None) -> dict
    ma_cli.renew(*, credential=None, since=None, profile=None, ce_log=None, as_of=None, warn_days=90,
                 rules=None) -> dict
    ma_cli.eligible_rows(rows, *, as_of=None, credentials=None, rules=None, columns=None,
                         date_order=None) -> Iterator[dict]

Bad input raises `ma_cli.InputError`. Importing ma_cli loads nothing else: the engine, the rules
and YAML are loaded on the first call.
"""

from __future__ import annotations

# typing.TYPE_CHECKING without importing typing: the program's Ctrl-C handler (commands/cli.py) starts
# only once this package is imported, and typing alone takes about 12 ms to import
TYPE_CHECKING = False

__version__ = "0.1.0"
__all__ = ["InputError", "eligible", "eligible_rows", "plan", "renew", "__version__"]

if TYPE_CHECKING:  # for type checkers and editors; at run time the names load on first use
    from ma_cli.api import eligible, eligible_rows, plan, renew
    from ma_cli.base.errors import InputError


def __getattr__(name: str):
    if name in ("eligible", "eligible_rows", "plan", "renew"):
        from ma_cli import api

        return getattr(api, name)
    if name == "InputError":
        from ma_cli.base.errors import InputError

        return InputError
    raise AttributeError(f"module 'ma_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
