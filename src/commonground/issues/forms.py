"""Forms that parse input for issue pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info, gettext_lazy

from commonground.issues.services import MAX_DESCRIPTION, MAX_TITLE

# Each language under its own name, as a reader of that language looks for it.
LANGUAGE_CHOICES = [
    (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
]


class IssueForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=MAX_TITLE)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Markdown: **bold**, *italic*, lists, links. What is the concern, who is affected,"
            " and why should the forum take it up?"
        ),
    )
    topics = forms.CharField(
        label=gettext_lazy("Topics (optional)"),
        required=False,
        max_length=400,
        help_text=gettext_lazy("Comma-separated, e.g. connectivity, data protection, SDG 9."),
    )

    language = forms.ChoiceField(
        label=gettext_lazy("Written in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text=gettext_lazy("The language of the title and description."),
    )

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("topics", "").split(",") if t.strip()]


class TranslationForm(forms.Form):
    """A community translation (of an issue, a solution or a message); ``language`` only
    when adding one; the body field is named as the original's (``description``, ``text``)."""

    language = forms.ChoiceField(label=gettext_lazy("Translated into"), choices=LANGUAGE_CHOICES)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=MAX_TITLE)

    def __init__(
        self,
        *args: Any,
        original: str = "",
        editing: bool = False,
        body: str = "description",
        body_label: Any = None,
        body_max: int = MAX_DESCRIPTION,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields[body] = forms.CharField(
            label=body_label or gettext_lazy("Description"),
            max_length=body_max,
            widget=forms.Textarea(attrs={"rows": 10}),
            help_text=gettext_lazy("Markdown, as in the original: translate it faithfully."),
        )
        if editing:
            del self.fields["language"]
        else:
            language = self.fields["language"]
            assert isinstance(language, forms.ChoiceField)
            language.choices = [(c, n) for c, n in LANGUAGE_CHOICES if c != original]


class ModerateTranslationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("hide", gettext_lazy("Hide")), ("restore", gettext_lazy("Restore"))]
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
