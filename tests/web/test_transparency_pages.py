"""Public transparency pages (issue 11.16): the ledger page, a forum's open-data page with
its package as a zip (the bytes ``commonground export`` writes), visible Atom links, and
search across all forums from the home page."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from commonground.cli import main as cli
from commonground.forums.services import create_forum, join_forum, open_cycle
from commonground.issues.services import raise_issue, support_issue
from commonground.ledger.models import Checkpoint, LedgerEntry
from commonground.ledger.services import ledger_size, publish_checkpoint
from tests.conftest import World, make_user

pytestmark = pytest.mark.django_db


def _download(client: Client, slug: str) -> bytes:
    response = client.get(f"/forums/{slug}/open-data/package.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="commonground-{slug}.zip"' in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_package_zip_holds_the_bytes_commonground_export_writes(
    world: World, issue, anonymous: Client, tmp_path: Path
) -> None:
    support_issue(world.member["government"], issue)
    zipped = _download(anonymous, world.forum.slug)
    assert cli(["export", world.forum.slug, str(tmp_path / "out")]) == 0
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        unzipped = {name: archive.read(name) for name in archive.namelist()}
    exported = _files(tmp_path / "out")
    assert "datapackage.json" in exported and "issues.csv" in exported
    assert unzipped == exported


def test_package_is_cached_until_the_ledger_grows(world: World, issue, anonymous: Client) -> None:
    first = _download(anonymous, world.forum.slug)
    checkpoints = Checkpoint.objects.count()
    assert Checkpoint.objects.get(tree_size=ledger_size())  # made at a current checkpoint
    assert _download(anonymous, world.forum.slug) == first
    assert Checkpoint.objects.count() == checkpoints  # served from the cache: nothing signed
    support_issue(world.member["government"], issue)  # one more ledger entry
    second = _download(anonymous, world.forum.slug)
    assert second != first
    assert Checkpoint.objects.count() == checkpoints + 1
    with zipfile.ZipFile(io.BytesIO(second)) as archive:
        assert b"supports" in archive.read("datapackage.json")
        assert len(archive.read("supports.csv").splitlines()) == 2  # header and the support


def test_package_of_an_unknown_forum_is_404(db: None, anonymous: Client) -> None:
    assert anonymous.get("/forums/no-such-forum/open-data/package.zip").status_code == 404
    assert anonymous.get("/forums/no-such-forum/open-data/").status_code == 404


def test_open_data_page_lists_the_files_the_download_and_the_commands(
    world: World, anonymous: Client
) -> None:
    html = anonymous.get(f"/forums/{world.forum.slug}/open-data/").content.decode()
    assert f'href="/forums/{world.forum.slug}/open-data/package.zip"' in html
    for name in ("issues.csv", "supports.csv", "ledger.jsonl", "checkpoint.json"):
        assert f"<code>{name}</code>" in html
    assert f"commonground export {world.forum.slug} DIR" in html
    assert f'href="/forums/{world.forum.slug}/feeds/issues.atom"' in html


def test_open_data_page_describes_the_tables_in_the_readers_language_and_the_package_in_english(
    world: World, anonymous: Client, tmp_path: Path
) -> None:
    english = "Issues of concern raised in every cycle."
    french = "Sujets de préoccupation soumis dans chaque cycle."
    page = f"/forums/{world.forum.slug}/open-data/"
    assert english in anonymous.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    html = anonymous.get(page, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert french in html and english not in html
    # The descriptor is a file format: English whatever the exporter's language.
    with translation.override("fr"):
        assert cli(["export", world.forum.slug, str(tmp_path / "out")]) == 0
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    described = {r["name"]: r["description"] for r in descriptor["resources"]}
    assert described["issues"] == english


def test_ledger_page_shows_size_checkpoint_verify_command_and_entries_with_proofs(
    world: World, issue, anonymous: Client, settings
) -> None:
    html = anonymous.get("/ledger/").content.decode()
    assert 'data-testid="no-checkpoint"' in html  # nothing signed yet: said so
    checkpoint, _ = publish_checkpoint()
    support_issue(world.member["government"], issue)  # after the checkpoint
    html = anonymous.get("/ledger/").content.decode()
    size = ledger_size()
    assert f'data-testid="ledger-size">{size}<' in html
    assert checkpoint.root_hash in html and checkpoint.public_key in html
    command = f"commonground ledger verify --url {settings.COMMONGROUND_SITE_URL} --public-key "
    assert command + checkpoint.public_key in html
    latest = LedgerEntry.objects.order_by("-seq").first()
    assert latest is not None and latest.seq == size
    # The newest entry is past the checkpoint: no proof yet; the one before has its proof.
    assert f"/api/v1/ledger/proof/inclusion?seq={size}&amp;" not in html
    signed = checkpoint.tree_size
    assert f"/api/v1/ledger/proof/inclusion?seq={signed}&amp;tree_size={signed}" in html
    assert (
        anonymous.get(f"/api/v1/ledger/proof/inclusion?seq={signed}&tree_size={signed}").status_code
        == 200
    )


def test_forum_issue_and_agenda_pages_show_their_atom_feeds(
    world: World, issue, anonymous: Client
) -> None:
    slug = world.forum.slug
    forum = anonymous.get(f"/forums/{slug}/").content.decode()
    for feed in ("issues", "agenda", "moderation"):
        assert forum.count(f'href="/forums/{slug}/feeds/{feed}.atom"') == 2  # head and visible
    page = anonymous.get(issue.get_absolute_url()).content.decode()
    assert page.count(f'href="/issues/{issue.pk}/feeds/contributions.atom"') == 2
    agenda = anonymous.get(f"/forums/{slug}/agenda/").content.decode()
    assert agenda.count(f'href="/forums/{slug}/feeds/agenda.atom"') == 2


def test_search_from_the_home_page_finds_issues_of_every_forum(
    world: World, anonymous: Client
) -> None:
    home = anonymous.get("/").content.decode()
    assert 'action="/search/"' in home and 'name="q"' in home
    other = create_forum(None, slug="ghana-igf", name="Ghana IGF", level="national", country="GH")
    open_cycle(None, other, "2027")
    ama = make_user("ama@example.org")
    join_forum(ama, other, stakeholder_group="civil_society", country="GH")
    raise_issue(ama, other, title="Spectrum for rural Ghana", description="Licences.")
    raise_issue(
        world.member["government"],
        world.forum,
        title="Data protection",
        description="Spectrum audits.",
    )
    raise_issue(world.member["civil_society"], world.forum, title="Unrelated", description="No.")
    html = anonymous.get("/search/", {"q": "spectrum"}).content.decode()
    assert "2 issues match “spectrum”" in html
    assert "Spectrum for rural Ghana" in html and "Ghana IGF" in html
    assert "Data protection" in html and "Kenya IGF" in html and "Unrelated" not in html
    none = anonymous.get("/search/", {"q": "zzzz"}).content.decode()
    assert "0 issues match" in none
    assert anonymous.get("/search/").status_code == 200  # no words: just the form
