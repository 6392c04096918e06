"""Atom feeds: a forum's new issues, its agenda publications and moderation log, and an
issue's contributions.

Feeds show only what the public pages show: hidden contributions (and everything under a
hidden solution) and deleted comments are left out, and the moderation feed names neither
the hidden text nor who reported it.

An entry's summary is HTML (``<summary type="html">``) that a feed reader renders outside
the site's Content-Security-Policy, so it is only ever the sanitized HTML the page shows
(``*_html``, made by core.markdown) or plain text escaped here; never a raw user field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html, format_html_join, linebreaks
from django.utils.translation import gettext as _

from commonground.contributions.models import (
    Advice,
    Comment,
    ModerationAction,
    Signal,
    Solution,
)
from commonground.contributions.translation_log import TranslationAction, translation_actions
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.issues.translating import language_name
from commonground.recognition.models import AgendaPublication

LIMIT = 50
app_name = "feeds"


class _AtomFeed(Feed):
    feed_type = Atom1Feed

    def item_pubdate(self, item: Any) -> datetime:
        created = getattr(item, "created_at", None)
        return created if created is not None else self.item_updateddate(item)


class _ForumFeed(_AtomFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Forum:
        forum = Forum.objects.filter(slug=slug).first()
        if forum is None:
            raise Http404(_("No such forum."))
        return forum


class ForumIssuesFeed(_ForumFeed):
    """New issues of the forum's open cycle, newest first."""

    def title(self, obj: Forum) -> str:
        return _("New issues · %(forum)s") % {"forum": obj.name}

    def link(self, obj: Forum) -> str:
        return reverse("issues:index", args=[obj.slug])

    def subtitle(self, obj: Forum) -> str:
        return _("Issues of concern raised in the open cycle of %(forum)s.") % {"forum": obj.name}

    def items(self, obj: Forum) -> list[Issue]:
        cycle = obj.open_cycle
        if cycle is None:
            return []
        issues = Issue.objects.filter(cycle=cycle).select_related("author__user")
        return list(issues.order_by("-raised_at", "-id")[:LIMIT])

    def item_title(self, item: Issue) -> str:
        return item.title

    def item_description(self, item: Issue) -> str:
        return item.description_html

    def item_link(self, item: Issue) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Issue) -> str:
        return item.author.user.public_name

    def item_updateddate(self, item: Issue) -> datetime:
        return item.raised_at


class ForumAgendaFeed(_ForumFeed):
    """The forum's published agendas, newest first."""

    def title(self, obj: Forum) -> str:
        return _("Published agendas · %(forum)s") % {"forum": obj.name}

    def link(self, obj: Forum) -> str:
        return reverse("recognition:agenda", args=[obj.slug])

    def subtitle(self, obj: Forum) -> str:
        return _(
            "Every agenda %(forum)s has published, with its recognized issues in rank order."
        ) % {"forum": obj.name}

    def items(self, obj: Forum) -> list[AgendaPublication]:
        publications = AgendaPublication.objects.filter(cycle__forum=obj).select_related(
            "cycle__forum"
        )
        return list(publications.order_by("-published_at", "-id")[:LIMIT])

    def item_title(self, item: AgendaPublication) -> str:
        return _("Agenda #%(number)s of cycle %(cycle)s") % {
            "number": item.number,
            "cycle": item.cycle.name,
        }

    def item_description(self, item: AgendaPublication) -> str:
        titles = [(str(entry.get("title", "")),) for entry in item.entries]
        if not titles:
            return escape(_("No issue was recognized."))
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", titles))

    def item_link(self, item: AgendaPublication) -> str:
        return reverse("recognition:publication", args=[item.cycle.forum.slug, item.number])

    def item_author_name(self, item: AgendaPublication) -> str:
        return item.publisher_name

    def item_updateddate(self, item: AgendaPublication) -> datetime:
        return item.published_at


class ForumModerationFeed(_ForumFeed):
    """The public moderation log: what was hidden or restored, when and why; contributions
    (``ModerationAction`` rows) and community translations (read from their ledger entries,
    ``contributions.translation_log``), as the log page shows both."""

    def title(self, obj: Forum) -> str:
        return _("Moderation log · %(forum)s") % {"forum": obj.name}

    def link(self, obj: Forum) -> str:
        return reverse("contributions:moderation", args=[obj.slug])

    def subtitle(self, obj: Forum) -> str:
        return _("Contributions hidden or restored in %(forum)s. Reporters are never named.") % {
            "forum": obj.name
        }

    def items(self, obj: Forum) -> list[ModerationAction | TranslationAction]:
        actions = ModerationAction.objects.filter(forum=obj).select_related("issue", "forum")
        items: list[ModerationAction | TranslationAction] = list(
            actions.order_by("-created_at", "-id")[:LIMIT]
        )
        items += translation_actions(obj, LIMIT)
        items.sort(key=lambda item: item.created_at, reverse=True)
        return items[:LIMIT]

    def item_title(self, item: ModerationAction | TranslationAction) -> str:
        if isinstance(item, TranslationAction):
            what = f"{item.what} {item.object_id}"
            if item.language:
                what = _("%(what)s %(id)s (%(language)s)") % {
                    "what": item.what,
                    "id": item.object_id,
                    "language": language_name(item.language),
                }
            return f"{_translation_verb(item)}: {what}"
        return f"{item.get_action_display()}: {item.get_kind_display()} {item.object_id}"

    def item_description(self, item: ModerationAction | TranslationAction) -> str:
        if isinstance(item, TranslationAction):
            # A steward's act, always: translations are not hidden by reports.
            action, by = _translation_verb(item), _("by a steward")
        else:
            action = item.get_action_display()
            by = _("automatically, after reports") if item.automatic else _("by a steward")
        where = _(" on the issue “%(title)s”") % {"title": item.issue.title} if item.issue else ""
        text = _("%(action)s %(by)s%(where)s. Reason: %(reason)s") % {
            "action": action,
            "by": by,
            "where": where,
            "reason": item.reason,
        }
        return escape(text)

    def item_link(self, item: ModerationAction | TranslationAction) -> str:
        forum = item.forum if isinstance(item, TranslationAction) else item.forum.slug
        return reverse("contributions:moderation", args=[forum])

    def item_guid(self, item: ModerationAction | TranslationAction) -> str:
        if isinstance(item, TranslationAction):
            # A ledger entry's time is fixed when it is appended, pending or not.
            at = item.created_at.strftime("%Y%m%dT%H%M%S%f")
            return f"{self.item_link(item)}#{item.object_type}-{item.object_id}-{at}"
        return f"{self.item_link(item)}#action-{item.pk}"

    def item_updateddate(self, item: ModerationAction | TranslationAction) -> datetime:
        return item.created_at


def _translation_verb(item: TranslationAction) -> str:
    return _("Hidden") if item.hidden else _("Restored")


class IssueContributionsFeed(_AtomFeed):
    """An issue's visible signals, solutions, advice and comments, newest first."""

    def get_object(self, request: HttpRequest, pk: int) -> Issue:
        issue = Issue.objects.select_related("forum").filter(pk=pk).first()
        if issue is None:
            raise Http404(_("No such issue."))
        return issue

    def title(self, obj: Issue) -> str:
        return _("Contributions · %(title)s") % {"title": obj.title}

    def link(self, obj: Issue) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Issue) -> str:
        return _("Signals of concern, envisaged solutions, technical advice and comments.")

    def items(self, obj: Issue) -> list[Any]:
        signals = Signal.objects.filter(issue=obj, hidden=False)
        solutions = Solution.objects.filter(issue=obj, hidden=False)
        advice = Advice.objects.filter(solution__issue=obj, hidden=False, solution__hidden=False)
        comments = Comment.objects.filter(issue=obj, hidden=False, deleted_at__isnull=True).exclude(
            solution__hidden=True
        )
        comments = comments.exclude(parent__hidden=True)
        items: list[Any] = []
        for queryset in (signals, solutions, advice, comments):
            items.extend(queryset.select_related("author__user").order_by("-created_at")[:LIMIT])
        items.sort(key=lambda item: (item.created_at, item.pk), reverse=True)
        return items[:LIMIT]

    def item_title(self, item: Any) -> str:
        name = item.author.user.public_name
        if isinstance(item, Signal):
            return _("Signal of concern (%(jurisdiction)s, %(priority)s) by %(name)s") % {
                "jurisdiction": item.jurisdiction,
                "priority": item.get_priority_display(),
                "name": name,
            }
        if isinstance(item, Solution):
            return _("Solution: %(title)s") % {"title": item.title}
        if isinstance(item, Advice):
            return _("Technical advice by %(name)s: %(feasibility)s") % {
                "name": name,
                "feasibility": item.get_feasibility_display(),
            }
        return _("Comment by %(name)s") % {"name": name}

    def item_description(self, item: Any) -> str:
        if isinstance(item, Signal):
            return item.statement_html
        if isinstance(item, Solution):
            return item.description_html
        if isinstance(item, Advice):
            # Advice is plain text on the page too (escaped, line breaks kept).
            parts = [(_("Conditions"), item.conditions), (_("Benefits"), item.benefits)]
            parts.append((_("Risks"), item.risks))
            return "".join(
                format_html(
                    "<p><strong>{}</strong></p>{}", label, linebreaks(text, autoescape=True)
                )
                for label, text in parts
                if text
            )
        return item.body_html

    def item_link(self, item: Any) -> str:
        if isinstance(item, Advice):
            return f"{item.solution.issue.get_absolute_url()}#advice-{item.pk}"
        if isinstance(item, Comment):
            # Its own link, which finds the page that shows it once its discussion has
            # grown past the issue page's latest threads (discussion_views.comment_link).
            return reverse("contributions:comment_link", args=[item.pk])
        anchor = type(item).__name__.lower()
        return f"{item.issue.get_absolute_url()}#{anchor}-{item.pk}"

    def item_author_name(self, item: Any) -> str:
        return item.author.user.public_name

    def item_updateddate(self, item: Any) -> datetime:
        return item.updated_at


urlpatterns = [
    path("forums/<slug:slug>/feeds/issues.atom", ForumIssuesFeed(), name="issues"),
    path("forums/<slug:slug>/feeds/agenda.atom", ForumAgendaFeed(), name="agenda"),
    path("forums/<slug:slug>/feeds/moderation.atom", ForumModerationFeed(), name="moderation"),
    path(
        "issues/<int:pk>/feeds/contributions.atom",
        IssueContributionsFeed(),
        name="contributions",
    ),
]
