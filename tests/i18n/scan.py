"""Find user-facing text that is not marked for translation, in templates and in Python.

Templates are read with Django's own lexer: text outside ``{% translate %}`` and
``{% blocktranslate %}`` (and outside comments) is put back together with each template
tag or variable replaced by a mark, and parsed as HTML; any text node or user-facing
attribute (``alt``, ``title``, ``placeholder``, ``aria-label``, ...) that still holds a
letter is reported. A plain-text template (an e-mail) is all user-facing text.

Python is read with ``ast``: a bare string literal (or f-string) given as the message of a
``ServiceError`` (or any of its kinds), a ``ValidationError``, a ``CliError``, a
``django.contrib.messages`` call, or as a ``label``, ``help_text``, ``verbose_name``,
``verbose_name_plural``, ``title``, ``description`` or ``empty_label`` keyword.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "commonground"

LETTER = re.compile(r"[^\W\d_]")
MARK = "\x00"

# Attributes a person reads or hears (screen readers); ``value`` only on buttons.
READ_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
}

# Text that is the same in every language, each for a reason:
ALLOWED_TEXT = {
    "Common Ground",  # the product's name, kept as is in every language
    "OpenAPI",  # the name of a specification
    "×",
}
# Tags whose content is not prose: code, scripts, styles, and the ledger's hashes and keys.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "svg"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE)) if path.is_relative_to(PACKAGE) else str(path)


def _is_prose(text: str) -> bool:
    text = " ".join(text.replace(MARK, " ").split())
    if not text or text in ALLOWED_TEXT:
        return False
    return bool(LETTER.search(text))


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        names = dict(attrs)
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and names.get("type") in {"submit", "button", "reset"}
            )
            if read and value and _is_prose(value):
                self.found.append((self.getpos()[0], f"{name}={value}"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipping.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and _is_prose(data):
            self.found.append((self.getpos()[0], " ".join(data.replace(MARK, " ").split())))


_OPENS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def _unmarked_source(source: str) -> str:
    """The template with marked text, comments and template code replaced by marks.

    Newlines are kept, so a finding's line is the template's line.
    """
    out: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.TEXT and closing is None:
            out.append(raw)
            continue
        # Keep line numbers: a tag's source may span lines (its contents are what we have).
        newlines = "\n" * raw.count("\n")
        if token.token_type == TokenType.BLOCK:
            name = raw.split(None, 1)[0] if raw.strip() else ""
            if closing is None and name in _OPENS:
                closing = _OPENS[name]
            elif closing is not None and name == closing:
                closing = None
        out.append(f" {MARK} {newlines}")
    return "".join(out)


# Template tags whose quoted arguments are names, paths or formats, never prose.
_CODE_TAGS = {"url", "static", "extends", "load", "translate", "trans", "now", "block", "cycle"}
_LITERAL = re.compile(r"""(?<![\w(:])(["'])([^"']*)\1""")


def _tag_literals(source: str) -> Iterator[tuple[int, str]]:
    """Quoted prose given to a template tag (``with here="Issues"``) rather than ``_("…")``."""
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        name, _, rest = token.contents.partition(" ")
        if name in _CODE_TAGS:
            continue
        if name == "include":  # its first literal is the template's path
            rest = rest.split(None, 1)[1] if " " in rest.strip() else ""
        for match in _LITERAL.finditer(rest):
            value = match.group(2)
            if re.match(r"[A-Z][a-z]", value) or (" " in value.strip() and LETTER.search(value)):
                yield token.lineno, value


def scan_template(path: Path) -> Iterator[Finding]:
    source = path.read_text(encoding="utf-8")
    for line, literal in _tag_literals(source):
        yield Finding(_relative(path), line, literal)
    text = _unmarked_source(source)
    if path.suffix == ".txt":
        for number, line in enumerate(text.splitlines(), start=1):
            if _is_prose(line):
                yield Finding(_relative(path), number, " ".join(line.replace(MARK, " ").split()))
        return
    finder = _TextFinder()
    finder.feed(text)
    finder.close()
    for line, found in finder.found:
        yield Finding(_relative(path), line, found)


def templates() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("templates/**/*") if p.suffix in {".html", ".txt"})


# --- Python -------------------------------------------------------------------------

MESSAGE_CALLS = {
    "ServiceError",
    "InvalidInput",
    "NotAllowed",
    "NotFound",
    "WrongPhase",
    "Conflict",
    "RateLimited",
    "NotAuthenticated",
    "ValidationError",
    "Http404",
    "HttpError",
}
MESSAGES_FUNCTIONS = {"debug", "info", "success", "warning", "error", "add_message"}
TEXT_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "title",
    "description",
}


def _is_bare(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and LETTER.search(str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp):  # "..." % (...) and "..." + "..."
        return _is_bare(node.left)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return _is_bare(node.func.value)
    return False


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def scan_python(path: Path, extra_calls: set[str] = frozenset()) -> Iterator[Finding]:  # type: ignore[assignment]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    calls = MESSAGE_CALLS | set(extra_calls)
    # The API's schema texts are its OpenAPI reference and the CLI's help is the operator's,
    # both written in English (as Django's own management commands are).
    reference = _relative(path).startswith(("api/", "cli/"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        candidates: list[ast.AST] = []
        if name in calls:
            candidates += node.args[:1]
            candidates += [k.value for k in node.keywords if k.arg in {"message", "detail"}]
        elif (
            name in MESSAGES_FUNCTIONS
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "messages"
        ):
            candidates += node.args[1:2] if name != "add_message" else node.args[2:3]
        if not reference:
            candidates += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for candidate in candidates:
            if _is_bare(candidate):
                yield Finding(_relative(path), candidate.lineno, ast.unparse(candidate)[:80])
    for label in [*_choice_labels(tree), *_returned_texts(tree)]:
        if _is_bare(label):
            yield Finding(_relative(path), label.lineno, ast.unparse(label)[:80])


# Methods whose returned text a person reads: a feed's titles and descriptions.
TEXT_METHODS = {"title", "subtitle", "description", "item_title", "item_description"}


def _returned_texts(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in TEXT_METHODS:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Return) and sub.value is not None:
                    yield sub.value


def _choice_labels(tree: ast.AST) -> Iterator[ast.AST]:
    """Labels of ``TextChoices`` members and of ``choices=[(value, label), ...]`` lists."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            ast.unparse(base).endswith("Choices") for base in node.bases
        ):
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Tuple):
                    yield item.value.elts[-1]
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "choices" and isinstance(keyword.value, ast.List | ast.Tuple):
                    for pair in keyword.value.elts:
                        if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                            yield pair.elts[1]


def python_modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and "analysis" not in p.parts
    )
