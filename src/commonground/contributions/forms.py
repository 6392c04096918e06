"""Forms that parse input for contribution pages; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from commonground.contributions import services
from commonground.contributions.models import Feasibility, Priority, ReportReason, Stance
from commonground.issues.forms import LANGUAGE_CHOICES
from commonground.issues.services import issue_language
from commonground.participants.models import StakeholderGroup


def _lines(text: str) -> list[str]:
    """One entry per line (commas also separate actors)."""
    return [part.strip() for part in text.replace("\r", "").split("\n") if part.strip()]


class SignalForm(forms.Form):
    jurisdiction = forms.CharField(
        label=gettext_lazy("Jurisdiction"),
        max_length=services.MAX_JURISDICTION,
        help_text=gettext_lazy(
            "A government: the ISO country code, e.g. KE. An IGO: its acronym, e.g. ITU."
        ),
    )
    priority = forms.ChoiceField(label=gettext_lazy("Priority"), choices=Priority.choices)
    statement = forms.CharField(
        label=pgettext_lazy("signal of concern", "Statement"),
        max_length=services.MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Markdown. Why your institution is concerned."),
    )


class SolutionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=services.MAX_TITLE)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Markdown. What would be done, and how it addresses the issue."),
    )
    actors = forms.CharField(
        label=gettext_lazy("Who would have to act (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line or separated by commas, e.g. telecom regulators."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Written in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text=gettext_lazy("The language of the title and description."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new solution is in its author's interface language unless they choose another.
        self.fields["language"].initial = self.initial.get("language") or issue_language(None)

    def actor_list(self) -> list[str]:
        text = self.cleaned_data.get("actors", "")
        return [a.strip() for line in _lines(text) for a in line.split(",") if a.strip()]


class AdviceForm(forms.Form):
    feasibility = forms.ChoiceField(label=gettext_lazy("Feasibility"), choices=Feasibility.choices)
    conditions = forms.CharField(
        label=gettext_lazy("Conditions"),
        required=False,
        max_length=services.MAX_ADVICE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    benefits = forms.CharField(
        label=gettext_lazy("Benefits"),
        required=False,
        max_length=services.MAX_ADVICE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risks = forms.CharField(
        label=gettext_lazy("Risks"),
        required=False,
        max_length=services.MAX_ADVICE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    affected_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Stakeholder groups affected"),
        required=False,
        choices=StakeholderGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence links (optional)"),
        required=False,
        max_length=services.MAX_EVIDENCE * (services.MAX_URL + 2),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One http(s) address per line."),
    )

    def service_fields(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data["evidence"] = _lines(data.get("evidence", ""))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Markdown."),
    )
    stance = forms.ChoiceField(
        label=gettext_lazy("Your stance (optional)"),
        required=False,
        choices=[("", gettext_lazy("No stance")), *Stance.choices],
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=ReportReason.choices)
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"), required=False, max_length=services.MAX_NOTE
    )


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("hide", gettext_lazy("Hide")), ("restore", gettext_lazy("Restore"))],
    )
    reason = forms.CharField(label=gettext_lazy("Public reason"), max_length=services.MAX_REASON)


class SuspendForm(forms.Form):
    participant = forms.CharField(
        label=gettext_lazy("Participant's public id"),
        max_length=16,
        help_text=gettext_lazy("As on their profile, e.g. p1a2b3c4d5e6."),
    )
    # Without a label Django names the field "Action" from its name, in English whatever the
    # reader's language.
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[
            ("suspend", gettext_lazy("Suspend")),
            ("unsuspend", gettext_lazy("Lift suspension")),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=services.MAX_REASON)
