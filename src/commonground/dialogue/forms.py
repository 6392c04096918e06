"""Forms that parse input for conversation pages."""

from __future__ import annotations

from django import forms

from commonground.dialogue.models import MAX_STATEMENT, Conversation
from commonground.dialogue.services import MAX_DESCRIPTION, MAX_TOPIC


class ConversationForm(forms.Form):
    topic = forms.CharField(label="Topic", max_length=MAX_TOPIC)
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What participants are asked to weigh in on.",
    )
    moderation = forms.ChoiceField(
        label="Moderation",
        choices=Conversation.Moderation.choices,
        initial=Conversation.Moderation.STRICT,
        widget=forms.RadioSelect,
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label="Add a statement",
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_STATEMENT}),
        help_text=f"One short, standalone claim others can agree or disagree with "
        f"(at most {MAX_STATEMENT} characters).",
    )
