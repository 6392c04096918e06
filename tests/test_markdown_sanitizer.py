"""Sanitized Markdown never carries script, event handlers or javascript: URLs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.markdown import render_markdown
from tests.markup import unsafe_markup

# Known XSS payloads, written for this test from the usual families of attack.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//example.com></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '[x](https://ok.example/" onmouseover="alert(1))',
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "`<script>`\n\n```\n<script>alert(1)</script>\n```",
    "<base href=javascript:/a/>",
    "[a](<javascript:alert(1)>)",
    "<object data=javascript:alert(1)>",
]

FRAGMENTS = st.sampled_from(
    [
        "<",
        ">",
        '"',
        "'",
        "=",
        "/",
        "script",
        "onerror",
        "onload",
        "javascript:",
        "href",
        "src",
        "[",
        "]",
        "(",
        ")",
        "!",
        "&#",
        "x",
        " ",
        "\n",
        "*",
        "`",
        "a",
        "img",
        "style",
        ":",
        "%0a",
    ]
)


def test_known_xss_payloads_are_neutralized() -> None:
    for payload in PAYLOADS:
        assert unsafe_markup(render_markdown(payload)) == [], payload


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join))
def test_generated_markdown_never_yields_unsafe_markup(text: str) -> None:
    assert unsafe_markup(render_markdown(text)) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PAYLOADS), min_size=1, max_size=4).map("\n\n".join))
def test_combined_payloads_stay_neutralized(text: str) -> None:
    assert unsafe_markup(render_markdown(text)) == []


def test_ordinary_markdown_survives() -> None:
    html = render_markdown("**bold** and [a link](https://example.org)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<li>one</li>" in html
