"""Forms that parse input for conversation pages."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from commonground.dialogue.models import MAX_STATEMENT, Conversation
from commonground.dialogue.services import MAX_DESCRIPTION, MAX_TOPIC


class ConversationForm(forms.Form):
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=MAX_TOPIC)
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What participants are asked to weigh in on."),
    )
    moderation = forms.ChoiceField(
        label=gettext_lazy("Moderation"),
        choices=Conversation.Moderation.choices,
        initial=Conversation.Moderation.STRICT,
        widget=forms.RadioSelect,
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Add a statement"),
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_STATEMENT}),
        help_text=format_lazy(
            gettext_lazy(
                "One short, standalone claim others can agree or disagree with"
                " (at most {limit} characters)."
            ),
            limit=MAX_STATEMENT,
        ),
    )
