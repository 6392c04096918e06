"""Sections of a page cached for anonymous readers under versions of their own.

    {% load readcached %}
    {% readcached "issue-contributions" issue.pk %} ... {% endreadcached %}

A cached page (commonground.core.read_cache_middleware) is rendered afresh whenever any
version it depends on moves: the issue page after every support of its cycle, since its
recognition status depends on every issue's supports. Most of what it shows does not
(its network, similar issues, contributions and comments). Such a section names a key
function in ``COMMONGROUND_READ_CACHE_SECTIONS`` that returns, for the tag's arguments,
the scopes it depends on (commonground.core.readcache) and any version it reads itself;
the section's HTML is kept in the shared cache (and this process's memory) under those
versions, the tag's arguments and everything the page itself is keyed by (the release,
the host, the path with its query, the language), so a page render
takes it from there until one of its own versions moves.

Only for the readers the page cache serves (anonymous, see ``_anonymous`` there):
anyone else gets the section rendered for them. The versions the page cache just read
for the page are reused (``request.read_versions``); others are read in one query. Why
it is exact is the page cache's argument: a section is stored under versions read before
it was rendered, so it is never older than its key. CSRF tokens in a section are stored
as the page cache stores them and replaced by the reader's own.

    {% readcached_part "comment" c.pk c.updated_at shown %} ... {% endreadcached_part %}

A *part* is a piece of a section that only a broad change (``all``) or its arguments
change: one comment in the contributions section, which the next comment on the issue
(its ``talk`` version) renders again around it. Kept in this process's memory only (no
round trip to the shared cache), under ``all``'s version, the arguments and what the page
is keyed by, for the same readers as the sections; so a section rendered after a comment
renders the new comment and takes the others from memory. Exact for the section's
reason: whatever changes a part otherwise (an edit, a hiding, a deletion, its author's
name) renews ``all``.

    {% readcached_chrome "header" %} ... {% endreadcached_chrome %}

The *chrome* is what base.html puts around every page (the header with its navigation
and language switch, the footer, the head's links): it shows nothing from the database,
so a chrome part reads no version at all (a page the read cache does not serve, a form,
gets it without a query). Kept in this process's memory under what it depends on: the
build (templates, static names), the URL prefix, the language, its name and its
arguments; not the path, so a forum's thousands of pages share one copy per language
(what varies with the path, the language switch's ``next``, stays outside the parts).
For the same readers as the sections: a member's chrome (their name, notifications,
log out) is rendered for them.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import cache as memoize
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from commonground.core import read_cache_middleware as pages
from commonground.core import readcache
from commonground.core.csrf import get_token

register = template.Library()
SECTION_PREFIX = "cg:section:"


@memoize
def _key_function(name: str) -> Callable[..., pages.ReadKey]:
    functions = getattr(settings, "COMMONGROUND_READ_CACHE_SECTIONS", {})
    if name not in functions:
        raise template.TemplateSyntaxError(f"no read-cache section {name!r} in settings")
    return import_string(functions[name])


def _place(request: Any) -> str:
    """What the page is keyed by before versions (``pages._place``), computed once per
    request: a section has one, and a part per comment would otherwise recompute it (the
    host's validation, the full path, the language) for each."""
    place: str | None = getattr(request, "read_place_of_parts", None)
    if place is None:
        place = pages._place(request)
        request.read_place_of_parts = place
    return place


def _tokens(request: Any, scopes: tuple[str, ...]) -> list[str]:
    """The scopes' versions: those the page cache read for this request, the rest now."""
    known: dict[str, str] = getattr(request, "read_versions", None) or {}
    missing = [scope for scope in scopes if scope not in known]
    if missing:
        # Kept on the request: the next section or part (one per comment) reads none again.
        known = {**known, **dict(zip(missing, readcache.versions(missing), strict=True))}
        request.read_versions = known
    return [known[scope] for scope in scopes]


class _CachedNode(template.Node, ABC):
    """What sections and parts share: their arguments, rendering for members (and with the
    cache off) as the template says, and the CSRF tokens kept as stand-ins and replaced
    by the reader's own. A subclass says where its HTML is kept (``_content``)."""

    def __init__(self, name: str, arguments: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.arguments = arguments
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        request = context.get("request")
        if request is None or readcache.seconds() <= 0 or not pages._anonymous(request):
            return mark_safe(self.nodelist.render(context))
        values = [str(argument.resolve(context)) for argument in self.arguments]
        content = self._content(context, request, values)
        if pages.CSRF_PLACEHOLDER in content:
            content = content.replace(pages.CSRF_PLACEHOLDER, get_token(request).encode())
        return mark_safe(content.decode())  # the node's own rendered HTML

    @abstractmethod
    def _content(self, context: Context, request: Any, values: list[str]) -> bytes:
        """The node's HTML for an anonymous reader: where each kind keeps it."""

    def _kept(self, context: Context, key: str) -> bytes:
        """The part's HTML from this process's memory under ``key``, rendered and kept
        there (bounded) when it is not."""
        content = pages._PARTS.get(key)
        if content is None:
            content = self._rendered(context)
            pages._bounded(pages._PARTS, key, content, pages._PARTS_SIZE)
        return content

    def _rendered(self, context: Context) -> bytes:
        """The HTML rendered now, its CSRF tokens as stand-ins (as pages are stored)."""
        html = self.nodelist.render(context).encode()
        return pages.CSRF_FIELD.sub(rb"\1" + pages.CSRF_PLACEHOLDER + rb"\2", html)


def _parse(parser: Parser, token: Token, node: type[_CachedNode]) -> _CachedNode:
    """``{% tag "name" arg ... %} ... {% endtag %}``: a quoted name, then arguments."""
    bits = token.split_contents()
    tag = bits[0]
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f"{tag} takes a quoted name first")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return node(bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]], nodelist)


class ReadCachedNode(_CachedNode):
    """A section: kept in the shared cache under its key function's versions."""

    def _content(self, context: Context, request: Any, values: list[str]) -> bytes:
        read = _key_function(self.name)(*values)
        tokens = _tokens(request, read.scopes)
        parts = [
            # Everything the page itself is keyed by (release, database, host, path with
            # its query, language): a section varies with whatever the page varies with
            # (e.g. ``?original=1``, the original text instead of its translation).
            _place(request),
            self.name,
            *values,
            *read.extra,
            *(f"{s}={t}" for s, t in zip(read.scopes, tokens, strict=True)),
        ]
        key = SECTION_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()
        entry: dict[str, Any] | None = pages._lookup(key)
        if entry is None:
            entry = {
                "content": self._rendered(context),
                "expires": pages._now() + readcache.seconds(),
            }
            cache.set(key, entry, timeout=readcache.seconds())
            pages._remember(key, entry)
        content: bytes = entry["content"]
        return content


@register.tag("readcached")
def readcached(parser: Parser, token: Token) -> _CachedNode:
    """``{% readcached "name" arg ... %} ... {% endreadcached %}`` (module docstring)."""
    return _parse(parser, token, ReadCachedNode)


class ReadCachedPartNode(_CachedNode):
    """A part: kept in this process's memory under ``all``'s version and its arguments."""

    def _content(self, context: Context, request: Any, values: list[str]) -> bytes:
        parts = [
            _place(request),
            get_current_timezone_name(),
            self.name,
            *values,
            f"{readcache.ALL}={_tokens(request, (readcache.ALL,))[0]}",
        ]
        return self._kept(context, hashlib.sha256("\n".join(parts).encode()).hexdigest())


@register.tag("readcached_part")
def readcached_part(parser: Parser, token: Token) -> _CachedNode:
    """``{% readcached_part "name" arg ... %} ... {% endreadcached_part %}`` (module
    docstring, "A part")."""
    return _parse(parser, token, ReadCachedPartNode)


class ReadCachedChromeNode(_CachedNode):
    """A chrome part: kept in this process's memory under its name, its arguments and
    what the chrome depends on (module docstring, "The chrome"); no version read.

    It holds no ``{% block %}`` (``readcached_chrome`` refuses one): a page that extends
    base.html looks for base.html's blocks on every render (Django's ExtendsNode walks its
    nodes), and the walk need not go through the chrome's nodes."""

    child_nodelists = ()

    def render(self, context: Context) -> SafeString:
        # base.html is also what a page rendered before authentication ran may extend:
        # without a known user, rendered as the template says.
        request = context.get("request")
        if request is not None and not hasattr(request, "user"):
            return mark_safe(self.nodelist.render(context))
        return super().render(context)

    def _content(self, context: Context, request: Any, values: list[str]) -> bytes:
        place = ("chrome", pages._build(), get_script_prefix(), get_language() or "")
        return self._kept(context, "\n".join((*place, self.name, *values)))


@register.tag("readcached_chrome")
def readcached_chrome(parser: Parser, token: Token) -> _CachedNode:
    """``{% readcached_chrome "name" arg ... %} ... {% endreadcached_chrome %}`` (module
    docstring, "The chrome")."""
    node = _parse(parser, token, ReadCachedChromeNode)
    if node.nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("a chrome part holds no {% block %}")
    return node
