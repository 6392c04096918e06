"""Find unsafe markup in HTML: what a sanitizer must never let through."""

from __future__ import annotations

from html.parser import HTMLParser

DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "svg",
    "math",
    "img",
    "link",
    "meta",
    "base",
    "frame",
    "frameset",
    "button",
    "textarea",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in URL_ATTRIBUTES and value is not None:
                compact = "".join(value.split()).lower()
                if (
                    not compact.startswith(("http://", "https://", "mailto:", "#", "/"))
                    and ":" in compact.split("/")[0]
                ):
                    self.problems.append(f"{tag}[{name}={value!r}]")


def unsafe_markup(html: str) -> list[str]:
    """Every dangerous element, event handler, style or non-http(s) URL in ``html``."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.problems
