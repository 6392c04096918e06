"""The translation catalogs: extract them from the code, compile them without gettext tools.

The catalogs live in ``src/commonground/locale/<locale>/LC_MESSAGES/django.po`` (the one
entry of ``LOCALE_PATHS``), one per language of ``settings.LANGUAGES`` other than English,
the language of the source strings. ``docs/translation.md`` is the translators' guide.

- ``extract`` runs Django's ``makemessages`` over the package with the options every
  contributor must use, so two people's extractions of the same code are byte-identical:
  no line wrapping (a changed word changes one line), no obsolete entries, locations by file
  only (moving code inside a file changes nothing), and a header left alone when no
  message changed (``POT-Creation-Date`` alone is not a change). It needs GNU gettext.
- ``compile_catalogs`` writes each ``django.mo`` from its ``django.po`` in pure Python
  (polib) when the ``.mo`` is missing or older, so a fresh clone runs the demo and the
  tests without gettext tools. The core app calls it at start-up; the ``.mo`` files are
  build products and git-ignored.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import polib

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAIN = "django"

# The catalogs' locales (Django's spelling of the directory names), English excluded.
LOCALES = ("ar", "zh_Hans", "fr", "ru", "es")

# The makemessages options of every extraction (see the module docstring).
EXTRACT_OPTIONS: dict[str, object] = {
    "no_wrap": True,
    "no_obsolete": True,
    "add_location": "file",
    "extensions": ["html", "txt", "py"],
    "ignore_patterns": ["static/*", "migrations/*", "demo/data/*"],
}

# What the source tree holds for extraction: code and templates, not data or compiled files.
_SOURCE_SUFFIXES = {".py", ".html", ".txt"}

_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"]*\\n"$', re.MULTILINE)


def catalog_path(locale: str, root: Path = LOCALE_DIR) -> Path:
    """The ``django.po`` of one locale under ``root``."""
    return root / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _without_creation_date(text: str) -> str:
    return _CREATION_DATE.sub("", text)


def extract(
    locales: Sequence[str] = LOCALES, package_dir: Path = PACKAGE_DIR, verbosity: int = 0
) -> list[str]:
    """(Re)extract the catalogs of ``locales`` from the package at ``package_dir``.

    Writes ``<package_dir>/locale/<locale>/LC_MESSAGES/django.po`` and returns the locales
    whose catalog changed. Needs ``xgettext`` and ``msgmerge`` (GNU gettext) on the path.
    """
    from django.core.management import call_command

    before = {}
    for locale in locales:
        path = catalog_path(locale, package_dir / "locale")
        before[locale] = path.read_text(encoding="utf-8") if path.exists() else None
    with _working_directory(package_dir):
        call_command("makemessages", locale=list(locales), verbosity=verbosity, **EXTRACT_OPTIONS)
    changed = []
    for locale in locales:
        path = catalog_path(locale, package_dir / "locale")
        after = path.read_text(encoding="utf-8")
        old = before[locale]
        if old is not None and _without_creation_date(old) == _without_creation_date(after):
            path.write_text(old, encoding="utf-8")  # only the date moved: keep the file as it was
        else:
            changed.append(locale)
    return changed


def copy_sources(destination: Path, package_dir: Path = PACKAGE_DIR) -> Path:
    """Copy the package's code and templates (no catalogs) to ``destination/commonground``.

    The copy is what ``extract`` reads when a check must extract without touching the
    committed catalogs; returns the copy's package directory.
    """
    target = destination / package_dir.name
    for source in package_dir.rglob("*"):
        relative = source.relative_to(package_dir)
        if not source.is_file() or source.suffix not in _SOURCE_SUFFIXES:
            continue
        if relative.parts[0] in {"locale", "static"} or "__pycache__" in relative.parts:
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / relative)
    (target / "locale").mkdir(parents=True, exist_ok=True)
    return target


def _compile_one(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    catalog = polib.pofile(str(po_path))
    # Write beside the target and rename: a server starting at the same time never reads
    # half a file, and two processes compiling at once both end with a whole one.
    fd, tmp_name = tempfile.mkstemp(prefix=".django-", suffix=".mo", dir=po_path.parent)
    os.close(fd)
    try:
        catalog.save_as_mofile(tmp_name)
        os.replace(tmp_name, mo_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    return True


def compile_catalogs(root: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``django.po`` under ``root`` whose ``.mo`` is missing or older.

    Returns the catalogs compiled. A read-only installation (the ``.mo`` files shipped
    beside the ``.po``) is left as it is, with a warning if a catalog could not be written.
    """
    compiled = []
    for po_path in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        try:
            if _compile_one(po_path):
                compiled.append(po_path)
        except OSError as exc:
            logger.warning("could not compile %s: %s", po_path, exc)
    return compiled
