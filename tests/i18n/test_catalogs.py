"""The catalogs compile without gettext tools, and only when their source has changed."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import polib

from commonground.core.catalogs import LOCALE_DIR, LOCALES, catalog_path, compile_catalogs


def _catalog(root: Path, text: str) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    po.append(polib.POEntry(msgid="Support", msgstr=text))
    path = catalog_path("fr", root)
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def test_a_catalog_without_its_mo_is_compiled_and_reads_back(tmp_path: Path) -> None:
    po_path = _catalog(tmp_path, "Soutenir")
    assert compile_catalogs(tmp_path) == [po_path]
    with po_path.with_suffix(".mo").open("rb") as mo:
        assert gettext.GNUTranslations(mo).gettext("Support") == "Soutenir"


def test_an_up_to_date_mo_is_left_alone_and_one_older_than_its_po_is_rebuilt(
    tmp_path: Path,
) -> None:
    po_path = _catalog(tmp_path, "Soutenir")
    compile_catalogs(tmp_path)
    assert compile_catalogs(tmp_path) == []  # same age as its .po: nothing to do
    mo_path = po_path.with_suffix(".mo")
    stamp = po_path.stat().st_mtime
    os.utime(mo_path, (stamp - 10, stamp - 10))  # one second older would do
    assert compile_catalogs(tmp_path) == [po_path]
    assert not list(po_path.parent.glob(".django-*"))  # no temporary file left behind


def test_every_language_but_english_has_its_catalog_compiled_at_start_up() -> None:
    for locale in LOCALES:
        po_path = catalog_path(locale, LOCALE_DIR)
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), locale
        assert mo_path.stat().st_mtime >= po_path.stat().st_mtime, locale
