"""The translation tables say which translations may be out of date (``stale``, as the
API does): the original's title or body changed after the translation was added or last
edited by its author. An import keeps it, and the author's next edit clears it."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.contributions import services as contributions
from commonground.contributions.models import SolutionTranslation
from commonground.contributions.services.translations import SOLUTION
from commonground.forums.models import Forum
from commonground.issues import translating
from commonground.issues.models import IssueTranslation
from commonground.issues.services import edit_issue, raise_issue
from commonground.issues.translations import add_translation, edit_translation
from commonground.opendata.export import export_forum
from commonground.opendata.importer import import_package
from commonground.opendata.package_proof import check_tables
from commonground.participants.models import User
from tests.conftest import World
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture
from tests.ledger_helpers import csv_rows
from tests.opendata.test_package_round_trip import _empty_the_instance

# Emptying the instance before an import is a flush (TRUNCATE on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)


def _stale(package: Path, table: str) -> dict[str, str]:
    """The ``stale`` cell of each row of ``table``, by the translation's language."""
    header, *rows = csv_rows(package / f"{table}.csv")
    return {r[header.index("language")]: r[header.index("stale")] for r in rows}


def test_the_translation_tables_mark_a_translation_stale_once_its_original_changed(
    world: World, tmp_path: Path
) -> None:
    gov, igo, civil = (
        world.member[g] for g in ("government", "intergovernmental", "civil_society")
    )
    issue = raise_issue(civil, world.forum, title="Rural access", description="Cables.")
    french = add_translation(gov, issue, language="fr", title="Accès", description="Câbles.")
    add_translation(igo, issue, language="es", title="Acceso", description="Cables.")
    solution = contributions.propose_solution(
        gov, issue, title="Community networks", description="Spectrum.", actors=[]
    )
    translating.add_translation(SOLUTION, igo, solution, language="fr", title="R", body="S.")
    assert _stale(export_forum(world.forum, tmp_path / "fresh"), "issue_translations") == {
        "fr": "false",
        "es": "false",
    }
    # The originals change: every translation of them may now be out of date ...
    edit_issue(civil, issue, title="Rural access", description="Cables and towers.")
    contributions.edit_solution(gov, solution, title="Community networks", description="Bands.")
    # ... until its author updates it.
    edit_translation(gov, french, title="Accès", description="Câbles et pylônes.")
    package = export_forum(world.forum, tmp_path / "pkg")
    check_tables(package)  # the column is in the schema, a boolean
    assert _stale(package, "issue_translations") == {"fr": "false", "es": "true"}
    assert _stale(package, "solution_translations") == {"fr": "true"}

    _empty_the_instance()
    import_package(package)
    imported = {t.language: t.stale for t in IssueTranslation.objects.select_related("issue")}
    assert imported == {"fr": False, "es": True}
    assert [t.stale for t in SolutionTranslation.objects.select_related("solution")] == [True]
    again = export_forum(Forum.objects.get(slug=world.forum.slug), tmp_path / "again")
    for table in ("issue_translations", "solution_translations"):
        assert (again / f"{table}.csv").read_bytes() == (package / f"{table}.csv").read_bytes()
    # The imported stale translation's author edits it: it is up to date again.
    spanish = IssueTranslation.objects.get(language="es")
    author = User.objects.get(public_id=igo.public_id)
    edit_translation(author, spanish, title="Acceso", description="Cables y torres.")
    assert not IssueTranslation.objects.select_related("issue").get(language="es").stale
