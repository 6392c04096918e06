"""What every command group of the ``commonground`` command shares: the parser that ends
bad arguments in one line, Django set-up, migrations and the forum lookup."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any, NoReturn

Handler = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """Bad arguments end with one line naming the problem (and where to find help)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def add_command(parent: Any, name: str, handler: Handler, help_text: str) -> Any:
    """Add the sub-command ``name`` to ``parent`` (a sub-parsers action), run by ``handler``."""
    p = parent.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(handler=handler)
    return p


def setup_django(sqlite_path: str | None = None) -> None:
    if sqlite_path is not None:
        os.environ.pop("DATABASE_URL", None)
        os.environ["COMMONGROUND_SQLITE_PATH"] = sqlite_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def forum_of(slug: str) -> Any:
    from commonground.access.lookup import get_forum

    return get_forum(slug)
