"""Every user-facing string is marked for translation, and the catalogs are current and complete.

The scanners are in ``tests/i18n/scan.py`` (what counts as user-facing, and the short list
of text that is the same in every language, each with its reason).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from commonground.core.catalogs import LOCALE_DIR, LOCALES, catalog_path, copy_sources, extract
from tests.i18n import scan


def _keys(catalog: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog if not e.obsolete}


def test_every_template_text_is_marked_for_translation() -> None:
    findings = [str(f) for path in scan.templates() for f in scan.scan_template(path)]
    assert findings == [], "plain text in templates:\n" + "\n".join(findings)


def test_every_python_user_facing_string_is_marked_for_translation() -> None:
    findings = [str(f) for path in scan.python_modules() for f in scan.scan_python(path)]
    assert findings == [], "bare strings shown to people:\n" + "\n".join(findings)


def test_the_template_scanner_flags_plain_text_and_attributes_but_not_marked_text(
    tmp_path: Path,
) -> None:
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<h1>{% translate "Agenda" %}</h1>\n'
        "<p>{% blocktranslate %}Raised by {{ name }}{% endblocktranslate %}</p>\n"
        '<button aria-label="{% translate "Close" %}">×</button><code>make</code>\n'
        "<p>Supports</p>\n"
        '<input type="submit" value="Send"><img alt="A chart" src="x.png">\n'
        '{% include "crumbs.html" with here="Issues" %}'
        '{% include "crumbs.html" with here=_("Issues") %}\n'
    )
    found = {(f.line, f.text) for f in scan.scan_template(template)}
    assert found == {(4, "Supports"), (5, "value=Send"), (5, "alt=A chart"), (6, "Issues")}


def test_the_python_scanner_flags_bare_messages_labels_and_choices(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext as _\n"
        "def f(name):\n"
        '    raise InvalidInput(f"No forum {name}.")\n'
        '    raise NotFound(_("No forum %(name)s.") % {"name": name})\n'
        '    messages.success(request, "Saved.")\n'
        'field = forms.CharField(label="Title", help_text=_("Markdown."))\n'
        "class Level(models.TextChoices):\n"
        '    GLOBAL = "global", "Global"\n'
        '    REGIONAL = "regional", _("Regional")\n'
    )
    found = {f.line for f in scan.scan_python(module)}
    assert found == {3, 5, 6, 8}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_committed_catalogs_hold_exactly_the_marked_strings(tmp_path: Path) -> None:
    """Extract the code into a copy (``catalogs extract``) and compare with every catalog."""
    package = copy_sources(tmp_path)
    extract(["fr"], package_dir=package)
    fresh = _keys(polib.pofile(str(catalog_path("fr", package / "locale"))))
    for locale in LOCALES:
        committed = _keys(polib.pofile(str(catalog_path(locale, LOCALE_DIR))))
        missing = sorted(str(k[1]) for k in fresh - committed)[:20]
        extra = sorted(str(k[1]) for k in committed - fresh)[:20]
        assert not missing and not extra, (
            f"{locale}: the catalog is stale; run `uv run commonground catalogs extract`.\n"
            f"missing: {missing}\nno longer in the code: {extra}"
        )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_catalog_entry_is_translated_and_none_is_fuzzy(locale: str) -> None:
    catalog = polib.pofile(str(catalog_path(locale, LOCALE_DIR)))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated and not fuzzy, (
        f"{locale}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy; "
        f"first: {(untranslated + fuzzy)[:5]}"
    )


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "zh_Hans"])
def test_a_translation_keeps_the_leading_space_of_a_fragment_that_follows_another(
    locale: str,
) -> None:
    # " in 3 regions" follows "raised in 5 national forums" on the agenda; without its space
    # the French page read "forumsdans 3 régions". Chinese joins fragments without spaces.
    catalog = polib.pofile(str(catalog_path(locale, LOCALE_DIR)))
    lost = [
        e.msgid
        for e in catalog.translated_entries()
        if e.msgid.startswith(" ")
        for text in ([e.msgstr] if e.msgstr else list(e.msgstr_plural.values()))
        if not text.startswith(" ")
    ]
    assert not lost, f"{locale}: translations without the leading space: {sorted(set(lost))}"
