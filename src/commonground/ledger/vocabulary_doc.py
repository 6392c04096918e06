"""Write docs/ledger-actions.md from the ledger's vocabulary.

``python -m commonground.ledger.vocabulary_doc`` prints the document;
``--write PATH`` writes it there (docs/ledger-actions.md in the repository), and
``--check PATH`` exits 1 when the file differs from what the registry says. A test
runs the check, so the document cannot drift from the builders.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

HEADER = """# Ledger actions

Every entry of the public ledger (docs/ledger.md) names one of these actions. Each
action has one builder in its app's `events.py`, which makes the entry from the domain
objects; the services, the demo seeder and the imports all write entries through the
builders, and each builder checks the entry it makes against the fields below.

This file is generated from the registry (`commonground.ledger.vocabulary`): run
`uv run python -m commonground.ledger.vocabulary_doc --write docs/ledger-actions.md`
after adding or changing an action; a test fails while it is out of date.

A field ending in `_sha256` is the SHA-256 of a free text ("Free text by digest" in
docs/ledger.md). An action marked *changed fields only* carries the fields that changed.
"""


def render() -> str:
    """The document, from the registry (Django must be set up)."""
    from commonground.ledger.vocabulary import registry

    by_app: dict[str, list[str]] = defaultdict(list)
    lines = [HEADER]
    specs = registry()
    for name, spec in specs.items():
        by_app[spec.app].append(name)
    for app in sorted(by_app):
        lines.append(f"\n## {app}\n")
        lines.append("| action | object | fields | meaning |")
        lines.append("|---|---|---|---|")
        for name in by_app[app]:
            spec = specs[name]
            fields = ", ".join(f"`{f}`" for f in spec.fields) or "none"
            if spec.some_of:
                fields = f"changed fields only, of: {fields}"
            objects = ", ".join(f"`{t}`" for t in spec.object_types)
            lines.append(f"| `{name}` | {objects} | {fields} | {spec.summary} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m commonground.ledger.vocabulary_doc")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="PATH", type=Path)
    group.add_argument("--check", metavar="PATH", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()
    text = render()
    if args.write is not None:
        args.write.write_text(text, encoding="utf-8")
    elif args.check is not None:
        current = args.check.read_text(encoding="utf-8") if args.check.is_file() else ""
        if current != text:
            from django.utils.translation import gettext as _

            message = _("%(path)s is out of date: run --write %(path)s") % {"path": args.check}
            print(message, file=sys.stderr)
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
