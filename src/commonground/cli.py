"""The ``commonground`` console command: operate, demo, export and analyse a forum.

Commands that work on open-data files (``agenda --from``, ``opinion-map
--from-polis``) never touch Django or a database. Everything else sets up
Django and calls the same services as the web UI and the API.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from commonground.core.errors import CliError
from commonground.stakeholders import GROUPS

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """Bad arguments end with one line naming the problem (and where to find help)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def _django(sqlite_path: str | None = None) -> None:
    if sqlite_path is not None:
        os.environ.pop("DATABASE_URL", None)
        os.environ["COMMONGROUND_SQLITE_PATH"] = sqlite_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _forum(slug: str) -> Any:
    from commonground.access.lookup import get_forum

    return get_forum(slug)


# -- serve and demo ---------------------------------------------------------------------------


def _database_tasks() -> bool:
    """Whether the default django-tasks backend is the database queue (django-tasks-db)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def _start_task_worker() -> Any:
    """Start ``commonground worker`` as a child process for the database task queue.

    A child process rather than a thread: gunicorn forks its workers from this process,
    and a thread holding a database connection must not be forked with them. The child
    exits on its own if this process dies (it watches its parent's pid).
    """
    import subprocess

    if not _database_tasks():
        return None  # the immediate backend runs tasks in the web process itself
    command = [sys.executable, "-m", "commonground.cli", "worker", "--parent-pid"]
    return subprocess.Popen([*command, str(os.getpid())], env=os.environ.copy())


def _stop_task_worker(worker: Any) -> None:
    import subprocess

    if worker is None or worker.poll() is not None:
        return
    worker.terminate()  # the worker finishes the task in hand, then exits
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _site_url_default(host: str, port: int) -> None:
    """Outside production, links in e-mails point where this server listens."""
    if os.environ.get("COMMONGROUND_ENV", "development") != "production":
        os.environ.setdefault("COMMONGROUND_SITE_URL", f"http://{host}:{port}")


def _serve(host: str, port: int, workers: int, task_worker: bool = True) -> int:
    """Run the production WSGI server (gunicorn) in this process, and beside it the
    background task worker (stopped when gunicorn stops)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from commonground.wsgi import application

    connections.close_all()  # never share a database connection across forked workers

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)

        def load(self) -> Any:
            return application

    worker = _start_task_worker() if task_worker else None
    owner = os.getpid()
    try:
        _Server().run()
    finally:
        # gunicorn's forked workers leave through this block too; only the process that
        # started the task worker stops it.
        if os.getpid() == owner:
            _stop_task_worker(worker)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # Votes queue their map recomputes for the worker started beside gunicorn.
    os.environ.setdefault("COMMONGROUND_TASKS", "database")
    _site_url_default(args.host, args.port)
    _django()
    if not args.no_migrate:
        _migrate()
    print(f"Common Ground serving at http://{args.host}:{args.port}/", flush=True)
    return _serve(args.host, args.port, args.workers, not args.no_worker)


def _leave_with_parent(parent_pid: int) -> None:
    """Send this process SIGTERM once ``parent_pid`` is no longer its parent.

    db_worker has no notion of the server that started it; on SIGTERM it finishes the
    task in hand and exits, so a watching thread is all that is needed for the worker
    not to outlive a server that was killed without stopping it.
    """
    import signal
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def cmd_worker(args: argparse.Namespace) -> int:
    """Run django-tasks-db's ``db_worker`` on the default backend's queue."""
    import math

    if not (math.isfinite(args.interval) and args.interval >= 0):
        raise CliError("--interval must be a number of seconds, 0 or more")
    os.environ.setdefault("COMMONGROUND_TASKS", "database")
    _django()
    import signal

    from django.core.management import call_command
    from django_tasks.signals import task_finished

    if not _database_tasks():
        raise CliError(
            "the task backend is not the database queue (set COMMONGROUND_TASKS=database)"
        )
    if args.parent_pid is not None:
        if os.getppid() != args.parent_pid:
            return 0  # the server that started this worker is already gone
        _leave_with_parent(args.parent_pid)
    ran = 0

    def count(**kwargs: Any) -> None:
        nonlocal ran
        ran += 1

    # db_worker installs its own SIGINT/SIGTERM/SIGQUIT handlers and leaves them; they
    # are put back so that a worker run inside another program leaves it as it was.
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {signum: signal.getsignal(signum) for signum in signals}
    task_finished.connect(count, dispatch_uid="commonground-worker-count")
    try:
        call_command(
            "db_worker",
            interval=args.interval,
            batch=args.until_empty,
            reload=False,  # never restart on code changes: a task could be cut short
            startup_delay=not args.until_empty,
            verbosity=args.verbosity,
        )
    finally:
        task_finished.disconnect(dispatch_uid="commonground-worker-count")
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    if args.until_empty:
        print(f"ran {ran} task{'s' if ran != 1 else ''}")
    return 0


def _wipe_demo_database() -> None:
    """Empty a database that holds the demo alone, so it can be seeded afresh."""
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    if connection.vendor == "sqlite":
        db_path = Path(str(settings.DATABASES["default"]["NAME"]))
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed the demo into this data directory's database (the one every command uses)."""
    os.environ.setdefault(
        "COMMONGROUND_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    os.environ.setdefault("COMMONGROUND_TASKS", "database")
    _site_url_default(args.host, args.port)
    _django()
    from django.conf import settings
    from django.utils.translation import gettext as _

    from commonground.demo.guard import database_state

    state = database_state()
    if state == "other":
        where = settings.DATABASES["default"]["NAME"]
        raise CliError(
            _(
                "the database %(where)s holds forums or accounts that are not the demo's, so "
                "the demo will not replace it; run it with another data directory, e.g. "
                "COMMONGROUND_DATA_DIR=var/demo uv run commonground demo"
            )
            % {"where": where}
        )
    if state == "demo":
        _wipe_demo_database()
    _migrate()
    from commonground.demo.seed import DEMO_LOGINS, DEMO_PASSWORD, seed_demo

    summary = seed_demo(seed=args.seed, progress=True)
    print(summary)
    print()
    print(f"Common Ground demo: http://{args.host}:{args.port}/")
    database = settings.DATABASES["default"]["NAME"]
    print(_("Database: %(name)s (every commonground command uses it)") % {"name": database})
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        print(
            _("Mail is not sent: each message is written to a file in %(folder)s")
            % {"folder": settings.EMAIL_FILE_PATH}
        )
    print(f"Demo logins (password: {DEMO_PASSWORD}):")
    for email, what in DEMO_LOGINS:
        print(f"  {email:<34} {what}")
    sys.stdout.flush()
    if args.no_serve:
        return 0
    return _serve(args.host, args.port, args.workers, not args.no_worker)


# -- operator commands ------------------------------------------------------------------------


def cmd_forum_create(args: argparse.Namespace) -> int:
    _django()
    from commonground.forums.services import create_forum

    forum = create_forum(
        None,
        slug=args.slug,
        name=args.name,
        level=args.level,
        parent=args.parent,
        country=args.country or "",
        region=args.region or "",
    )
    print(f"created forum {forum.slug} ({forum.level})")
    return 0


def cmd_cycle_open(args: argparse.Namespace) -> int:
    _django()
    from commonground.forums.services import open_cycle

    cycle = open_cycle(None, _forum(args.forum), args.name)
    print(f"opened cycle {cycle.name} of {args.forum} in phase {cycle.phase}")
    return 0


def cmd_cycle_advance(args: argparse.Namespace) -> int:
    _django()
    from commonground.forums.services import advance_cycle

    cycle = advance_cycle(None, _forum(args.forum))
    state = cycle.phase if cycle.is_open else "closed"
    print(f"cycle {cycle.name} of {args.forum} is now {state}")
    return 0


def cmd_participant_create(args: argparse.Namespace) -> int:
    _django()
    from django.db import transaction

    from commonground.forums.services import join_forum
    from commonground.participants.services import (
        create_account,
        create_api_token,
        grant_steward,
        validate_hat,
    )

    forum = _forum(args.forum)
    validate_hat(args.group, args.country)  # refuse before creating anything
    with transaction.atomic():
        user = create_account(args.email, args.password, display_name=args.name or "")
        membership = join_forum(user, forum, stakeholder_group=args.group, country=args.country)
        if args.steward:
            grant_steward(None, membership)
    role = "steward" if args.steward else "participant"
    print(f"created {args.email} as {role} of {forum.slug} ({args.group}, {membership.country})")
    if args.token:
        _, key = create_api_token(user, "CLI token")
        print(key)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commonground manage", *args.rest])
    return 0


# -- recognition ------------------------------------------------------------------------------


def cmd_agenda(args: argparse.Namespace) -> int:
    words: list[str] = args.words
    if args.from_dir:
        if words:
            raise CliError("agenda --from DIR takes no forum")
        from commonground.opendata.package_reader import main_agenda_from

        return main_agenda_from(args.from_dir, args.format, sys.stdout)
    if len(words) == 2 and words[0] == "check":
        _django()
        from commonground.access.lookup import open_cycle_of
        from commonground.recognition.services import check_tallies

        forum = _forum(words[1])
        differences = check_tallies(open_cycle_of(forum))
        for d in differences:
            print(f"{d.what} tally differs: {d.key}: tally {d.tally}, recount {d.recount}")
        if differences:
            print(f"{len(differences)} tallies differ from the raw supports")
            return 1
        print(f"all tallies of {forum.slug} match the raw supports")
        return 0
    if len(words) == 1:
        _django()
        import json

        from commonground.access.lookup import open_cycle_of
        from commonground.opendata.package_reader import format_table
        from commonground.recognition.services import live_agenda

        data = live_agenda(open_cycle_of(_forum(words[0]))).to_json_dict()
        print(json.dumps(data, indent=2) if args.format == "json" else format_table(data))
        return 0
    raise CliError("usage: commonground agenda FORUM | agenda check FORUM | agenda --from DIR")


def cmd_export(args: argparse.Namespace) -> int:
    _django()
    from commonground.opendata.export import export_forum

    path = export_forum(_forum(args.forum), args.dir)
    print(f"exported {args.forum} to {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Restore a forum from its data package into this empty instance (exit 1 if refused)."""
    _django()
    _migrate()
    from commonground.opendata.importer import ImportRefused, import_package

    try:
        summary = import_package(args.dir)
    except ImportRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0


def cmd_opinion_map(args: argparse.Namespace) -> int:
    from commonground.opendata.polis import main_opinion_map_from_polis

    return main_opinion_map_from_polis(args.from_polis, args.format, args.seed, sys.stdout)


# -- parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="commonground", description="Run and inspect Common Ground forums.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str, parent: Any = sub) -> Any:
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    serve = add("serve", cmd_serve, "serve the site with a production WSGI server (gunicorn)")
    demo = add("demo", cmd_demo, "seed a fresh demo database and serve it")
    for p, default_workers in ((serve, 2), (demo, 2)):
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--workers", type=int, default=default_workers)
        p.add_argument(
            "--no-worker", action="store_true", help="do not start the background task worker"
        )
    serve.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    worker = add("worker", cmd_worker, "run background tasks from the database queue (db_worker)")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    worker.add_argument("--until-empty", action="store_true", help="stop when no task is ready")
    worker.add_argument(
        "--verbosity", type=int, choices=[0, 1, 2], default=1, help="0: quiet, 2: debug"
    )
    worker.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    demo.add_argument("--seed", type=int, default=2027, help="random seed of the demo data")
    demo.add_argument("--no-serve", action="store_true", help="seed only, do not serve")

    forum = sub.add_parser("forum", help="manage forums").add_subparsers(
        dest="sub", required=True, metavar="ACTION"
    )
    fc = add("create", cmd_forum_create, "create a forum", forum)
    fc.add_argument("slug")
    fc.add_argument("--name", required=True)
    fc.add_argument(
        "--level", required=True, choices=["global", "regional", "national", "subnational", "youth"]
    )
    fc.add_argument("--parent")
    fc.add_argument("--country")
    fc.add_argument("--region")

    cycle = sub.add_parser("cycle", help="open and advance cycles").add_subparsers(
        dest="sub", required=True, metavar="ACTION"
    )
    co = add("open", cmd_cycle_open, "open a cycle with a call for issues", cycle)
    co.add_argument("forum")
    co.add_argument("name")
    ca = add("advance", cmd_cycle_advance, "move the open cycle to its next phase", cycle)
    ca.add_argument("forum")

    participant = sub.add_parser("participant", help="manage participants").add_subparsers(
        dest="sub", required=True, metavar="ACTION"
    )
    pc = add("create", cmd_participant_create, "create an account and join a forum", participant)
    pc.add_argument("email")
    pc.add_argument("--forum", required=True)
    pc.add_argument("--group", required=True, choices=GROUPS)
    pc.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. KE")
    pc.add_argument("--name", help="display name")
    pc.add_argument("--password", help="password (default: none, log in by reset link)")
    pc.add_argument("--steward", action="store_true", help="make the participant a steward")
    pc.add_argument("--token", action="store_true", help="print a new API token last")

    manage = add("manage", cmd_manage, "run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)

    agenda = add(
        "agenda", cmd_agenda, "show the live agenda, check tallies, or compute from open data"
    )
    agenda.add_argument("words", nargs="*", metavar="FORUM | check FORUM")
    agenda.add_argument("--from", dest="from_dir", metavar="DIR", help="an exported data package")
    agenda.add_argument("--format", choices=["json", "table"], default="table")

    export = add("export", cmd_export, "export a forum's open data as a Data Package")
    export.add_argument("forum")
    export.add_argument("dir")
    imp = add("import", cmd_import, "restore a forum from its data package into an empty instance")
    imp.add_argument("dir", metavar="DIR")

    from commonground import operations

    bk = add("backup", operations.cmd_backup, "write a consistent copy of the database to FILE")
    bk.add_argument("file", metavar="FILE")
    rs = add("restore", operations.cmd_restore, "replace the database with a backup FILE")
    rs.add_argument("file", metavar="FILE")
    rs.add_argument("--force", action="store_true", help="replace a database that holds data")

    om = add("opinion-map", cmd_opinion_map, "compute an opinion map from a Polis export")
    om.add_argument("--from-polis", required=True, metavar="DIR")
    om.add_argument("--format", choices=["json", "table"], default="table")
    om.add_argument("--seed", type=int, default=0)

    from commonground.dialogue import cli as dialogue_cli

    ip = add(
        "import-polis", dialogue_cli.cmd_import_polis, "import a Polis export as a conversation"
    )
    ip.add_argument("dir", metavar="DIR")
    ip.add_argument("--forum", required=True, metavar="SLUG")
    ip.add_argument("--issue", type=int, metavar="ID")
    ip.add_argument("--topic", help="the conversation's topic (default: the export's)")

    from commonground.ledger import cli as ledger_cli

    ledger = sub.add_parser("ledger", help="verify, checkpoint and export the ledger")
    ledger_actions = ledger.add_subparsers(dest="sub", required=True, metavar="ACTION")
    lv = add(
        "verify", ledger_cli.cmd_verify, "check the ledger's hashes and checkpoints", ledger_actions
    )
    lv.add_argument("--entries", metavar="FILE", help="offline: a JSONL export (export-entries)")
    lv.add_argument("--checkpoint", metavar="FILE", help="offline: a signed checkpoint JSON")
    lv.add_argument("--url", help="audit a running site through its public API")
    lv.add_argument("--public-key", metavar="BASE64", help="the operator's trusted public key")
    lc = add(
        "checkpoint", ledger_cli.cmd_checkpoint, "sign the ledger's size and root", ledger_actions
    )
    lc.add_argument("--every", type=float, metavar="SECONDS", help="repeat until Ctrl-C")
    lc.add_argument("--times", type=int, metavar="N", help="with --every: stop after N rounds")
    lc.add_argument("--output", metavar="FILE", help="write the latest checkpoint JSON here")
    le = add(
        "export-entries", ledger_cli.cmd_export_entries, "export entries as JSONL", ledger_actions
    )
    le.add_argument("file", metavar="FILE", help="output file, - for standard output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``commonground`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from commonground.core.errors import ServiceError

    try:
        return int(args.handler(args))
    except (ServiceError, CliError, ImproperlyConfigured) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A file or folder the command cannot read or write: the operator's to fix.
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or type(exc).__name__}{where}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        # An unreachable or broken database is the operator's to fix: one line, no traceback.
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        print(f"error: database: {lines[0] if lines else type(exc).__name__}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
