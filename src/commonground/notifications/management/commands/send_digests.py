"""``commonground manage send_digests``: e-mail the daily notification digests (run from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonground.notifications.email import send_digests


class Command(BaseCommand):
    help = "E-mail each subscribed participant their unread notifications (at most daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address for links, e.g. https://forum.example",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests(base_url=options["base_url"].rstrip("/"))
        self.stdout.write(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
