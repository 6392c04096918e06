"""Forms that parse input for contribution pages; the services validate and decide."""

from __future__ import annotations

from django import forms

from commonground.contributions import services
from commonground.contributions.models import Feasibility, Priority, ReportReason, Stance
from commonground.participants.models import StakeholderGroup


def _lines(text: str) -> list[str]:
    """One entry per line (commas also separate actors)."""
    return [part.strip() for part in text.replace("\r", "").split("\n") if part.strip()]


class SignalForm(forms.Form):
    jurisdiction = forms.CharField(
        label="Jurisdiction",
        max_length=services.MAX_JURISDICTION,
        help_text="A government: the ISO country code, e.g. KE. An IGO: its acronym, e.g. ITU.",
    )
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices)
    statement = forms.CharField(
        label="Statement",
        max_length=services.MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown. Why your institution is concerned.",
    )


class SolutionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=services.MAX_TITLE)
    description = forms.CharField(
        label="Description",
        max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. What would be done, and how it addresses the issue.",
    )
    actors = forms.CharField(
        label="Who would have to act (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line or separated by commas, e.g. telecom regulators.",
    )

    def actor_list(self) -> list[str]:
        text = self.cleaned_data.get("actors", "")
        return [a.strip() for line in _lines(text) for a in line.split(",") if a.strip()]


class AdviceForm(forms.Form):
    feasibility = forms.ChoiceField(label="Feasibility", choices=Feasibility.choices)
    conditions = forms.CharField(
        label="Conditions",
        required=False,
        max_length=services.MAX_ADVICE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    benefits = forms.CharField(
        label="Benefits",
        required=False,
        max_length=services.MAX_ADVICE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risks = forms.CharField(
        label="Risks",
        required=False,
        max_length=services.MAX_ADVICE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    affected_groups = forms.MultipleChoiceField(
        label="Stakeholder groups affected",
        required=False,
        choices=StakeholderGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.CharField(
        label="Evidence links (optional)",
        required=False,
        max_length=services.MAX_EVIDENCE * (services.MAX_URL + 2),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One http(s) address per line.",
    )

    def service_fields(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data["evidence"] = _lines(data.get("evidence", ""))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown.",
    )
    stance = forms.ChoiceField(
        label="Your stance (optional)",
        required=False,
        choices=[("", "No stance"), *Stance.choices],
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", choices=ReportReason.choices)
    note = forms.CharField(label="Note (optional)", required=False, max_length=services.MAX_NOTE)


class ModerateForm(forms.Form):
    action = forms.ChoiceField(choices=[("hide", "Hide"), ("restore", "Restore")])
    reason = forms.CharField(label="Public reason", max_length=services.MAX_REASON)


class SuspendForm(forms.Form):
    participant = forms.CharField(
        label="Participant's public id",
        max_length=16,
        help_text="As on their profile, e.g. p1a2b3c4d5e6.",
    )
    action = forms.ChoiceField(choices=[("suspend", "Suspend"), ("unsuspend", "Lift suspension")])
    reason = forms.CharField(label="Reason", max_length=services.MAX_REASON)
