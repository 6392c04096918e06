"""Forms that parse input for forum pages; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy
from django_countries import countries

from commonground.core.labels import region_label_lazy
from commonground.forums.forum_settings import SETTINGS, Setting
from commonground.forums.models import Level
from commonground.participants.models import StakeholderGroup
from commonground.stakeholders import REGIONS


class CountryField(forms.ChoiceField):
    """An ISO 3166-1 alpha-2 code, in either case: ``ke`` is Kenya, as in the CLI and API."""

    def to_python(self, value: object) -> str:
        return str(super().to_python(value)).strip().upper()


class JoinForm(forms.Form):
    stakeholder_group = forms.ChoiceField(
        label=gettext_lazy("Which stakeholder group do you speak for here?"),
        choices=StakeholderGroup.choices,
        widget=forms.RadioSelect,
    )
    country = CountryField(
        label=gettext_lazy("Country"), choices=[("", gettext_lazy("Choose a country")), *countries]
    )
    affiliation = forms.CharField(
        label=gettext_lazy("Affiliation (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The organisation you belong to, if you want it shown."),
    )
    other_hats = forms.MultipleChoiceField(
        label=gettext_lazy("Other hats you disclose (optional)"),
        choices=StakeholderGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _settings_field(setting: Setting) -> forms.Field:
    common: dict[str, Any] = {"label": setting.label, "help_text": setting.help_text}
    if setting.kind is bool:
        return forms.BooleanField(required=False, **common)
    if setting.kind is int:
        lower, upper = setting.minimum, setting.maximum  # whole numbers for an int setting
        return forms.IntegerField(
            min_value=None if lower is None else int(lower),
            max_value=None if upper is None else int(upper),
            **common,
        )
    if setting.kind is float:
        # The field reads a decimal point only ("0.05"; "0,05" is refused in every language,
        # as in the API's JSON): the help says so, whatever the page's decimal separator.
        common["help_text"] = gettext(
            "%(help)s Write decimals with a point, e.g. 0.05, in every language."
        ) % {"help": setting.help_text}
        return forms.FloatField(min_value=setting.minimum, max_value=setting.maximum, **common)
    widget = forms.Textarea(attrs={"rows": 6}) if setting.multiline else forms.TextInput
    return forms.CharField(
        max_length=setting.max_length, required=not setting.multiline, widget=widget, **common
    )


class ForumSettingsForm(forms.Form):
    """Every setting of ``forum_settings.SETTINGS``, in its sections (the page's fieldsets)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for setting in SETTINGS:
            self.fields[setting.name] = _settings_field(setting)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {}
        for setting in SETTINGS:
            grouped.setdefault(str(setting.section), []).append(self[setting.name])
        return list(grouped.items())


class ForumCreateForm(forms.Form):
    """A new forum; ``parents`` are the forums the person may create forums under."""

    slug = forms.SlugField(
        label=gettext_lazy("Short name in addresses"),
        max_length=60,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens, e.g. kenya-igf."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=160)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices)
    parent = forms.ChoiceField(label=gettext_lazy("Part of"), required=False)
    country = CountryField(
        label=gettext_lazy("Country (national forums)"),
        choices=[("", gettext_lazy("None")), *countries],
        required=False,
    )
    region = forms.ChoiceField(
        label=gettext_lazy("UN regional group (regional forums)"),
        choices=[("", gettext_lazy("None")), *((r, region_label_lazy(r)) for r in REGIONS)],
        required=False,
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea, max_length=4000, required=False
    )

    def __init__(self, *args: Any, parents: list[tuple[str, str]], top: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        top_choice = [("", gettext_lazy("Nothing: the top of the tree"))] if top else []
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ChoiceField)  # declared above
        parent.choices = [*top_choice, *parents]
        parent.required = not top


class CycleForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the cycle"),
        max_length=60,
        help_text=gettext_lazy("Usually the year, e.g. 2027."),
    )
