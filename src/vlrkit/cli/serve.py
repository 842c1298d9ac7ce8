"""``vlr serve`` (the web application and its task workers), ``vlr worker`` (a task worker
alone) and ``vlr user add`` (accounts with roles)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from vlrkit.cli.common import DbOption, UserError, console, open_store

#: The demo database's login, created by ``vlr demo`` (printed by ``vlr serve`` when present).
DEMO_USER = "coordinator"
DEMO_PASSWORD = "vlrkit-demo-2025"

RoleOption = typer.Option(
    ..., "--role", help="Role (repeatable): admin, coordinator, editor, data_provider, stakeholder, reader."
)
GoalOption = typer.Option([], "--goal", help="Data provider: an assigned goal (repeatable).")
IndicatorOption = typer.Option([], "--indicator", help="Data provider: an assigned local indicator (repeatable).")

LOOPBACK = ("127.0.0.1", "localhost", "::1")

user_app = typer.Typer(help="User accounts of the web application.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.add_typer(user_app, name="user")


def serve(
    db: Path = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    task_workers: int = typer.Option(
        None, "--task-workers", min=0,
        help="Task workers for background jobs (default VLRKIT_TASK_WORKERS, else 1; 0: none, run `vlr worker`)."),
) -> None:
    """Serve the web application (waitress; static files included) with its task workers.

    Every process is supervised: a web or task worker that dies is restarted, and a job its
    task worker was running is marked failed (docs/jobs.md)."""
    if not 0 < port < 65536:
        raise UserError(f"--port {port}: not a TCP port / 不是有效的端口")
    open_store(db)
    from vlrkit.web.server import serve as run

    shown = f"[{host}]" if ":" in host else host
    console.print(f"vlrkit web: http://{shown}:{port}/")
    if host not in LOOPBACK and not os.environ.get("VLRKIT_ALLOWED_HOSTS"):
        console.print("note: set VLRKIT_ALLOWED_HOSTS to the name users type in the browser "
                      "(else they get 400 Bad Request) / 请将 VLRKIT_ALLOWED_HOSTS 设为用户访问的主机名")
    _print_demo_login()
    console.print("Ctrl-C to stop / 按 Ctrl-C 停止")
    run(db, host, port, task_workers=task_workers)


def worker(
    db: Path = DbOption,
    worker_id: str = typer.Option(
        None, "--id", help="Worker id, unique among running workers (default: host, pid and a random part)."),
) -> None:
    """Run one task worker for background jobs (publishing, uploads) until stopped.

    For deployments that supervise processes themselves (systemd): run `vlr serve
    --task-workers 0` and one `vlr worker` unit per worker with Restart=always (docs/jobs.md)."""
    if worker_id is not None and not 0 < len(worker_id) <= 64:
        raise UserError("--id must be 1 to 64 characters / --id 须为 1 至 64 个字符")
    open_store(db)
    from vlrkit.web.jobs.worker import run_worker

    console.print("vlrkit task worker; Ctrl-C to stop / 按 Ctrl-C 停止")
    run_worker(worker_id)


def _print_demo_login() -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=DEMO_USER).first()
    if user is not None and user.check_password(DEMO_PASSWORD):
        console.print(f"demo login / 演示账号: {DEMO_USER} / {DEMO_PASSWORD}")


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="Log-in name."),
    role: list[str] = RoleOption,
    entity: str = typer.Option("", "--entity", help="Entity code the roles hold in (default: every entity)."),
    edition: str = typer.Option("", "--edition", help="Edition code (of --entity) the roles hold in (default: every edition)."),
    goal: list[int] = GoalOption,
    indicator: list[str] = IndicatorOption,
    password_env: str = typer.Option(
        "VLRKIT_PASSWORD", "--password-env", help="Environment variable holding the password (else asked)."
    ),
    db: Path = DbOption,
) -> None:
    """Create a user (or add roles to one) for the web application."""
    password = os.environ.get(password_env) or None
    open_store(db)
    from vlrkit.web import accounts

    _check_scope(entity, edition)
    exists = accounts.user_exists(username)
    if not exists and password is None:
        password = typer.prompt("Password / 密码", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.add_user(username, password, roles=role, entity=entity, edition=edition, goals=goal,
                                 indicators=indicator)
    except accounts.AccountError as exc:
        raise UserError(str(exc)) from exc
    where = f" in {entity}" + (f"/{edition}" if edition else "") if entity else ""
    console.print(f"{'updated' if exists else 'created'} {user.username}: {', '.join(role)}{where}")


def _check_scope(entity: str, edition: str) -> None:
    """The entity (and edition) a role is granted in must exist; an edition needs its entity."""
    from vlrkit.store.models import Edition, Entity

    if edition and not entity:
        raise UserError("--edition needs --entity: two entities may have editions with the same code / "
                        "指定 --edition 时须同时指定 --entity")
    if entity and not Entity.objects.filter(code=entity).exists():
        raise UserError(f"no entity {entity!r} in the database / 数据库中没有主体 {entity!r}")
    if edition and not Edition.objects.filter(entity__code=entity, code=edition).exists():
        raise UserError(f"no edition {edition!r} of {entity!r} / 主体 {entity!r} 没有届次 {edition!r}")
