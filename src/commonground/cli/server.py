"""``commonground serve``, ``worker`` and ``demo``: the web server, the background task
worker beside it, and the demo seeded into this data directory's database."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from commonground.cli.base import add_command, migrate, setup_django
from commonground.core.children import stop_children
from commonground.core.errors import CliError


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
    if worker is not None:
        stop_children([worker])  # the worker finishes the task in hand, then exits


def _site_url_default(host: str, port: int) -> None:
    """Outside production, links in e-mails point where this server listens, and so does
    the public base URL other instances know this one by (docs/federation.md)."""
    if os.environ.get("COMMONGROUND_ENV", "development") != "production":
        os.environ.setdefault("COMMONGROUND_SITE_URL", f"http://{host}:{port}")
        public_host = "127.0.0.1" if host in {"0.0.0.0", "::", "", "localhost"} else host
        if ":" in public_host:
            public_host = f"[{public_host}]"  # an IPv6 address
        os.environ.setdefault("COMMONGROUND_PUBLIC_URL", f"http://{public_host}:{port}")


def _collected_static() -> None:
    """Set Django up to serve the collected static files (compressed, hashed names),
    collecting them first when they changed (core/staticfiles.py)."""
    os.environ.setdefault("COMMONGROUND_STATIC", "collected")
    setup_django()
    from commonground.core.staticfiles import collect_static

    collect_static()


def control_socket_path(host: str, port: int) -> str:
    """Where ``serve`` on ``host:port`` puts gunicorn's control socket (for ``gunicornc``).

    gunicorn's default is one path per user (``$XDG_RUNTIME_DIR/gunicorn.ctl``, else
    ``~/.gunicorn/gunicorn.ctl``): a second server on the host unlinked the first one's
    socket and took the path, so ``gunicornc`` reached only the last server started, and
    stopping either removed the socket the other was still using. Named after the address
    the server listens on, which no two running servers share, each has its own.
    """
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        folder = runtime
    else:
        folder = os.path.join(os.path.expanduser("~"), ".gunicorn")
    address = re.sub(r"[^A-Za-z0-9.-]", "_", host) or "all"
    return os.path.join(folder, f"commonground-{address}-{port}.ctl")


def _serve(
    host: str, port: int, workers: int, task_worker: bool = True, control: str | None = ""
) -> int:
    """Run the production WSGI server (gunicorn) in this process, and beside it the
    background task worker (stopped when gunicorn stops).

    ``control`` is the control socket's path: empty for this address's own path, None
    for no control socket."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from commonground.wsgi import application

    connections.close_all()  # never share a database connection across forked workers

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)
            if control is None:
                self.cfg.set("control_socket_disable", True)
            else:
                self.cfg.set("control_socket", control or control_socket_path(host, port))

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
    if not args.no_worker and (os.environ.get("DATABASE_URL") or "").startswith("postgres"):
        # The worker runs the ledger's sequencer: writes need not queue on the head.
        os.environ.setdefault("COMMONGROUND_LEDGER_SEQUENCING", "batched")
    _site_url_default(args.host, args.port)
    _collected_static()
    if not args.no_migrate:
        migrate()
    print(f"Common Ground serving at http://{args.host}:{args.port}/", flush=True)
    return _serve(args.host, args.port, args.workers, not args.no_worker, _control(args))


def _control(args: argparse.Namespace) -> str | None:
    """The control socket ``--control-socket``/``--no-control-socket`` ask for."""
    return None if args.no_control_socket else args.control_socket


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
    setup_django()
    import signal
    import threading

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
    from commonground.federation import sending
    from commonground.ledger import sequencer
    from commonground.opendata import upkeep

    stop = threading.Event()
    if sequencer.batched():
        if args.until_empty:
            sequencer.integrate_pending()
        else:
            sequencer.start_sequencer(stop)
    if args.until_empty:
        upkeep.run_if_due()  # checkpoint and audit, when due, before the queue
        tried = sending.run_due()  # deliveries to other instances whose attempt is due
        if tried:
            print(f"attempted {tried} deliver{'ies' if tried != 1 else 'y'}")
    else:
        upkeep.start_scheduler(stop)
        sending.start_sweeper(stop)
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
        stop.set()
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
    if args.federated or args.federated_seed:
        return _federated(args)
    os.environ.setdefault(
        "COMMONGROUND_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    os.environ.setdefault("COMMONGROUND_TASKS", "database")
    _site_url_default(args.host, args.port)
    if args.no_serve:
        setup_django()
    else:
        _collected_static()
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
    migrate()
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
    return _serve(args.host, args.port, args.workers, not args.no_worker, _control(args))


def _federated(args: argparse.Namespace) -> int:
    """``demo --federated``: two instances peered (demo/federated.py)."""
    if args.federated_seed:  # inside the national instance, started by --federated
        setup_django()
        from commonground.demo.federated import seed_national
        from commonground.demo.people import DEMO_PASSWORD

        for line in seed_national(args.federated_seed, DEMO_PASSWORD):
            print(line)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    setup_django()
    from commonground.demo.federated import run
    from commonground.demo.people import DEMO_PASSWORD

    return run(args.port, args.global_port or args.port + 1, DEMO_PASSWORD)


def register(sub: Any) -> None:
    """Add ``serve``, ``demo`` and ``worker`` to the command's sub-parsers."""
    serve = add_command(
        sub, "serve", cmd_serve, "serve the site with a production WSGI server (gunicorn)"
    )
    demo = add_command(sub, "demo", cmd_demo, "seed a fresh demo database and serve it")
    for p, default_workers in ((serve, 2), (demo, 2)):
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--workers", type=int, default=default_workers)
        p.add_argument(
            "--no-worker", action="store_true", help="do not start the background task worker"
        )
        control = p.add_mutually_exclusive_group()
        control.add_argument(
            "--control-socket",
            metavar="PATH",
            default="",
            help="gunicorn's control socket (gunicornc); default: one per address and port, "
            "commonground-HOST-PORT.ctl in $XDG_RUNTIME_DIR or ~/.gunicorn",
        )
        control.add_argument(
            "--no-control-socket", action="store_true", help="no gunicorn control socket"
        )
    serve.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    worker = add_command(
        sub, "worker", cmd_worker, "run background tasks from the database queue (db_worker)"
    )
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    worker.add_argument("--until-empty", action="store_true", help="stop when no task is ready")
    worker.add_argument(
        "--verbosity", type=int, choices=[0, 1, 2], default=1, help="0: quiet, 2: debug"
    )
    worker.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    demo.add_argument("--seed", type=int, default=2027, help="random seed of the demo data")
    demo.add_argument("--no-serve", action="store_true", help="seed only, do not serve")
    demo.add_argument(
        "--federated",
        action="store_true",
        help="two instances (national on --port, global on the next port), peered",
    )
    demo.add_argument("--federated-seed", metavar="PARENT_URL", help=argparse.SUPPRESS)
    demo.add_argument(
        "--global-port", type=int, help="with --federated: the global instance's port"
    )
