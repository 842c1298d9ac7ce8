"""``vlr user reset-link`` / ``vlr user reset-2fa`` (account recovery from the command line, for
the administrator who cannot log in) and ``vlr audit verify`` / ``vlr audit export``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from vlrkit.cli.common import DbOption, UserError, console, open_store

audit_app = typer.Typer(help="The audit log of the web application.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    from vlrkit.cli.serve import user_app

    user_app.command("reset-link")(reset_link)
    user_app.command("reset-2fa")(reset_2fa)
    app.add_typer(audit_app, name="audit")


def _user(name: str):  # noqa: ANN202
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise UserError(f"no user {name} / 没有用户 {name}")
    return user


def reset_link(
    username: str = typer.Argument(..., help="Log-in name."),
    base_url: str = typer.Option("http://127.0.0.1:8000", "--base-url", help="The address users open the web app at."),
    db: Path = DbOption,
) -> None:
    """Print a one-time password-reset link for a user (valid for a short time, usable once)."""
    open_store(db)
    from vlrkit.web import accounts
    from vlrkit.web.security import audit

    user = _user(username)
    token = accounts.issue_reset_link(user, issued_by="cli")
    audit.record(None, "password.reset_link_issued", target=user.get_username(), detail={"by": "cli"})
    typer.echo(f"{base_url.rstrip('/')}/accounts/reset/{token}/")  # one line, never wrapped


def reset_2fa(username: str = typer.Argument(..., help="Log-in name."), db: Path = DbOption) -> None:
    """Remove a user's second factor and end their sessions (they enrol again at the next log-in)."""
    open_store(db)
    from vlrkit.web import accounts
    from vlrkit.web.security import audit

    user = _user(username)
    removed = accounts.reset_second_factor(user)
    audit.record(None, "otp.reset_by_admin", target=user.get_username(), detail={"devices_removed": removed, "by": "cli"})
    console.print(f"second factor of {user.get_username()} removed ({removed} devices) / 已重置第二因素")


@audit_app.command("verify")
def verify(db: Path = DbOption, as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Check the audit log's hash chain; exit status 1 if an entry was changed, removed or inserted."""
    open_store(db)
    from dataclasses import asdict

    from vlrkit.web.security import audit

    check = audit.verify()
    if as_json:
        console.print_json(json.dumps(asdict(check)))
    elif check.ok:
        typer.echo(f"audit log intact / 审计日志完整: {check.entries} entries, head {check.head_hash}")
    else:
        console.print(f"audit log broken at entry {check.broken_at} / 审计日志在第 {check.broken_at} 条处断开: {check.reason}")
    if not check.ok:
        raise typer.Exit(1)


@audit_app.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="File to write (- for standard output)."),
    fmt: str = typer.Option("csv", "--format", help="csv or json."),
    event: str = typer.Option("", "--event", help="Only events starting with this (e.g. login.)."),
    since: str = typer.Option("", "--since", help="From this date (YYYY-MM-DD, UTC)."),
    until: str = typer.Option("", "--until", help="Up to this date (YYYY-MM-DD, UTC)."),
    db: Path = DbOption,
) -> None:
    """Write the audit log (or the filtered part) as CSV or JSON, oldest entry first."""
    if fmt not in ("csv", "json"):
        raise UserError("--format must be csv or json / 格式须为 csv 或 json")
    open_store(db)
    from vlrkit.web.security import audit

    entries = audit.filtered({"event": event, "since": since, "until": until}).order_by("seq").iterator(chunk_size=2000)
    chunks = audit.csv_chunks(entries) if fmt == "csv" else audit.json_chunks(entries)
    if str(out) == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    with out.open("w", encoding="utf-8", newline="") as fh:
        for chunk in chunks:
            fh.write(chunk)
    audit.record(None, "audit.export", detail={"as": fmt, "out": str(out)[-200:]})
    console.print(f"wrote {out}")
