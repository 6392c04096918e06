"""Benchmark: what every main page of the demo weighs on the wire, and how it fits a phone.

Run against a served demo (``commonground demo`` or ``commonground serve`` on a seeded
data directory), with the same ``COMMONGROUND_DATA_DIR`` / ``DATABASE_URL``::

    uv run python bench/page_weights.py --url http://127.0.0.1:8000 [--json out.json]

For every main page it prints, in one run, with Chromium (``/usr/bin/chromium``):

* the bytes a first visit transfers (compressed bodies and headers, every file of the page),
  and the HTML document's own share, in English;
* the page's width at a 360 px viewport in English and in Arabic (``django_language=ar``);
* the number of axe-core violations of WCAG 2.1 A/AA in English and in Arabic, and the rules.

Member pages are seen signed in as the demo's civil-society participant (a session is made
in the database, no password is typed); the login and sign-up pages as a visitor.
The named baseline is a static file of the site (its stylesheet) fetched the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from tests.browser.pagecheck import (  # noqa: E402
    PHONE_NARROW,
    axe_violations,
    lang_and_dir,
    load,
    page_width,
)

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def demo_pages(email: str) -> tuple[list[tuple[str, str, bool]], str]:
    """(name, path, signed in) for the demo's main pages, and a session key for ``email``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from commonground.dialogue.models import Conversation
    from commonground.forums.models import Forum
    from commonground.issues.models import Issue
    from commonground.meetings.models import Session
    from commonground.outcomes.models import Message
    from commonground.participants.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    conversation = Conversation.objects.select_related("issue__forum").first()
    assert conversation is not None, "the demo has no conversation: seed it first"
    forum: Forum = conversation.issue.forum
    slug = forum.slug
    issue = Issue.objects.filter(forum=forum).annotate(n=Count("supports")).order_by("-n").first()
    assert issue is not None
    session_row = Session.objects.filter(cycle__forum=forum).first()
    message = Message.objects.filter(cycle__forum=forum).select_related("cycle").first()
    pages = [
        ("home", "/", True),
        ("forum", f"/forums/{slug}/", True),
        ("issue list", f"/forums/{slug}/issues/", True),
        ("issue", f"/issues/{issue.pk}/", True),
        ("agenda", f"/forums/{slug}/agenda/", True),
        ("conversation", f"/conversations/{conversation.pk}/", True),
        ("opinion map", f"/conversations/{conversation.pk}/map/", True),
        ("sign-up", "/accounts/signup/", False),
        ("login", "/accounts/login/", False),
        ("account", "/account/", True),
        ("profile", f"/people/{user.public_id}/", True),
        ("notifications", "/notifications/", True),
        ("moderation log", f"/forums/{slug}/moderation/", True),
        ("ledger", "/ledger/", True),
        ("open data", f"/forums/{slug}/open-data/", True),
        ("search", "/search/?q=spectrum", True),
        ("sessions", f"/forums/{slug}/sessions/", True),
        ("programme", f"/forums/{slug}/programme/", True),
        ("messages", f"/forums/{slug}/messages/", True),
        ("network", f"/forums/{slug}/network/", True),
        ("coherence", f"/issues/{issue.pk}/coherence/", True),
        ("API docs", "/api/v1/docs", True),
    ]
    if session_row is not None:
        pages.insert(-4, ("session", f"/sessions/{session_row.pk}/", True))
    if message is not None:
        pages.insert(-3, ("message", f"/messages/{message.pk}/", True))
        document = f"/forums/{slug}/cycles/{message.cycle.name}/messages/"
        pages.insert(-3, ("outcome document", document, True))
    return pages, session


def _stylesheet(url: str) -> str:
    """The stylesheet's address as the pages link it (hashed once the files are collected)."""
    import re
    from urllib.request import urlopen

    with urlopen(url + "/") as response:
        found = re.search(r'<link rel="stylesheet" href="([^"]+)"', response.read().decode())
    assert found, "no stylesheet linked from the home page"
    return found.group(1)


def measure(browser: Browser, url: str, path: str, session: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for language in ("en", "ar"):
        cookies = [{"name": "django_language", "value": language, "url": url}]
        if session:
            cookies.append({"name": "sessionid", "value": session, "url": url})
        # A fresh context per load: nothing cached, so the count is a first visit's.
        context = browser.new_context(base_url=url, viewport=PHONE_NARROW)
        context.add_cookies(cookies)  # type: ignore[arg-type]
        page = context.new_page()
        try:
            loaded = load(page, path)
            row["status"] = loaded.status
            row[f"bytes_{language}"] = loaded.transferred
            row[f"html_{language}"] = loaded.document
            row[f"width_{language}"] = page_width(page)
            row[f"lang_{language}"] = "/".join(lang_and_dir(page))
            violations = axe_violations(page)
            row[f"axe_{language}"] = violations
        finally:
            context.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--as", dest="email", default="civil@demo.example.org")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    args = parser.parse_args()
    pages, session = demo_pages(args.email)
    if args.only:
        pages = [page for page in pages if args.only in page[0]]
    rows: dict[str, dict[str, Any]] = {}
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", file=sys.stderr)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        stylesheet = _stylesheet(args.url)
        baseline = measure(browser, args.url, stylesheet, None)
        print(f"baseline: the stylesheet alone ({stylesheet}), {baseline['bytes_en']:,} bytes")
        print("| page | transferred (en) | HTML (en) | width 360 en | width 360 ar "
              "| axe en | axe ar |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, path, signed_in in pages:
            row = measure(browser, args.url, path, session if signed_in else None)
            row["path"] = path
            rows[name] = row
            print(
                f"| {name} | {row['bytes_en']:,} | {row['html_en']:,} | {row['width_en']} "
                f"| {row['width_ar']} | {len(row['axe_en'])} | {len(row['axe_ar'])} |",
                flush=True,
            )
        browser.close()
    found = [line for row in rows.values() for line in row["axe_en"] + row["axe_ar"]]
    rules = sorted({line.split(" ")[0] for line in found})
    print("axe rules violated:", ", ".join(rules) or "none")
    for name, row in rows.items():
        for line in row["axe_en"]:
            print(f"  {name} en: {line}", file=sys.stderr)
        for line in row["axe_ar"]:
            print(f"  {name} ar: {line}", file=sys.stderr)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"baseline": baseline, "pages": rows}, indent=1))


if __name__ == "__main__":
    main()
