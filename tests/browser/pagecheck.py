"""What the browser tests and ``bench/page_weights.py`` measure on a page, in one place.

Plain Playwright (no Django): the page's width against the viewport and what sticks out,
its ``lang`` and ``dir``, the axe-core violations of WCAG 2.1 A and AA, and the bytes a
page load transfers over the wire (compressed bodies and headers, sub-resources included).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Request

# The axe-core rules of WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_NARROW = {"width": 360, "height": 800}

_axe = Axe()

# The page's width against the viewport, and the widest elements sticking out (to say why).
MEASURE = """() => {
  const inner = window.innerWidth;
  const wide = [];
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
      if (getComputedStyle(up).overflowX !== "visible") return true;
    return false;
  };
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > inner + 0.5 || box.left < -0.5)) {
      if (clipped(el)) continue;  // inside its own scrolling container
      const names = typeof el.className === "string" ? el.className.trim() : "";
      const cls = names ? "." + names.split(/\\s+/).join(".") : "";
      const edge = box.left < -0.5 ? `left edge ${Math.round(box.left)}`
                                   : `right edge ${Math.round(box.right)}`;
      wide.push(`${el.tagName.toLowerCase()}${cls} (${edge})`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner, wide: wide.slice(0, 6)};
}"""


def overflow(page: Page) -> str:
    """'' when the page is no wider than its viewport, else how wide and what sticks out."""
    size: dict[str, Any] = page.evaluate(MEASURE)
    if size["scroll"] <= size["inner"]:
        return ""
    return f"{size['scroll']} px wide at {size['inner']} px: " + ", ".join(size["wide"])


def page_width(page: Page) -> int:
    """The document's scrolling width in CSS pixels."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def lang_and_dir(page: Page) -> tuple[str, str]:
    """The root element's ``lang`` and ``dir`` attributes ('' when missing)."""
    found: list[str] = page.evaluate(
        "[document.documentElement.lang || '', document.documentElement.dir || '']"
    )
    return found[0], found[1]


def _describe(node: dict[str, Any]) -> str:
    target = " ".join(map(str, node["target"]))
    summary = (node.get("failureSummary") or "").strip()
    return f"{target} ({summary.splitlines()[-1].strip()})" if summary else target


def axe_violations(page: Page) -> list[str]:
    """One line per axe-core violation of WCAG 2.1 A/AA: rule, impact, where (first nodes)."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    lines = []
    for violation in results.response["violations"]:
        nodes = violation["nodes"]
        where = "; ".join(_describe(node) for node in nodes[:3])
        lines.append(f"{violation['id']} [{violation['impact']}] x{len(nodes)}: {where}")
    return lines


@dataclass
class Load:
    """One page load: its status, and what it transferred (compressed) with its files."""

    status: int
    transferred: int
    document: int
    files: int


def load(page: Page, path: str, *, wait_until: str = "load") -> Load:
    """Open ``path`` and count the bytes of every response on the wire (body and headers).

    Each call should start from a fresh context (or a cleared cache) for the count to be
    a first visit's: files the browser already holds are not transferred again.
    """
    finished: list[Request] = []

    def record(request: Request) -> None:
        finished.append(request)

    page.on("requestfinished", record)
    try:
        response = page.goto(path, wait_until=wait_until)  # type: ignore[arg-type]
        page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("requestfinished", record)
    assert response is not None, f"no response for {path}"
    total = document = 0
    for request in finished:
        sizes = request.sizes()
        size = max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
        total += size
        if request.resource_type == "document" and request.url == response.url:
            document = size
    return Load(response.status, total, document, len(finished))


def press_access_key(page: Page, key: str) -> None:
    """Press Alt+``key`` as a person would to use an access key in Chromium (Linux, Windows).

    Chromium acts on access keys when the keystroke arrives as a "system key" character,
    which is how the operating system delivers Alt+letter; Playwright's ``keyboard.press``
    does not mark it so, hence the DevTools protocol here.
    """
    cdp = page.context.new_cdp_session(page)
    alt = 1
    code = {"key": key, "code": f"Key{key.upper()}", "windowsVirtualKeyCode": ord(key.upper())}
    try:
        cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", "modifiers": alt, **code})
        cdp.send(
            "Input.dispatchKeyEvent",
            {"type": "char", "modifiers": alt, "text": key, "unmodifiedText": key,
             "isSystemKey": True, **code},
        )  # fmt: skip
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "modifiers": alt, **code})
    finally:
        cdp.detach()
