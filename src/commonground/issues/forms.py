"""Forms that parse input for issue pages."""

from __future__ import annotations

from django import forms

from commonground.issues.services import MAX_DESCRIPTION, MAX_TITLE


class IssueForm(forms.Form):
    title = forms.CharField(label="Title", max_length=MAX_TITLE)
    description = forms.CharField(
        label="Description",
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: **bold**, *italic*, lists, links. What is the concern, who is "
        "affected, and why should the forum take it up?",
    )
    topics = forms.CharField(
        label="Topics (optional)",
        required=False,
        max_length=400,
        help_text="Comma-separated, e.g. connectivity, data protection, SDG 9.",
    )

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("topics", "").split(",") if t.strip()]
