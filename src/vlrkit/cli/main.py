"""Entry point of the ``vlr`` command.

Each area of vlrkit has its own module in this package with a ``register(app)`` function
that adds its commands; :data:`AREAS` lists them.  Area modules import their heavy
dependencies (polars, Django, the report stack) inside the command functions, so ``vlr --help``
and light commands start at once (``tests/cli/test_startup.py`` checks it).  User errors raise :class:`UserError`
(or one of the core's documented exceptions listed in :data:`USER_ERRORS`) and come out
as one clean line on stderr with exit status 2, never as a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

from vlrkit import __version__
from vlrkit.cli.common import UserError, console_err, user_errors

#: Modules (in ``vlrkit.cli``) that register commands, in help order.
AREAS: tuple[str, ...] = (
    "sdg",
    "review",
    "data",
    "indicators",
    "assess",
    "align",
    "compare",
    "report",
    "serve",
    "ops",
    "security",
)

#: click's exception base (typer vendors click; reach it through a public typer class).
_CLICK_EXCEPTION = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

app = typer.Typer(
    name="vlr",
    help="vlrkit: Voluntary Local Reviews of the SDGs — data in, assessment, alignment, report out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vlrkit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """vlrkit command line."""


for _area in AREAS:
    try:
        _module = importlib.import_module(f"vlrkit.cli.{_area}")
    except ModuleNotFoundError as exc:  # an area not built yet
        if exc.name != f"vlrkit.cli.{_area}":
            raise
        continue
    _module.register(app)


def run() -> None:
    """Run ``vlr``; turn user errors into a clean message and exit status 2."""
    try:
        code = app(standalone_mode=False)  # click returns (not raises) a command's typer.Exit code here
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        console_err.print("Aborted.")
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the one place errors become messages
        if isinstance(exc, _CLICK_EXCEPTION):  # usage errors: click prints them itself
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, (UserError, *user_errors())):
            console_err.print(f"[bold red]Error:[/] {exc}", highlight=False)
            sys.exit(2)
        raise


if __name__ == "__main__":
    run()
