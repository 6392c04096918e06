"""Forms that parse input for forum pages; the services validate and decide."""

from __future__ import annotations

from django import forms
from django_countries import countries

from commonground.participants.models import StakeholderGroup


class CountryField(forms.ChoiceField):
    """An ISO 3166-1 alpha-2 code, in either case: ``ke`` is Kenya, as in the CLI and API."""

    def to_python(self, value: object) -> str:
        return str(super().to_python(value)).strip().upper()


class JoinForm(forms.Form):
    stakeholder_group = forms.ChoiceField(
        label="Which stakeholder group do you speak for here?",
        choices=StakeholderGroup.choices,
        widget=forms.RadioSelect,
    )
    country = CountryField(label="Country", choices=[("", "Choose a country"), *countries])
    affiliation = forms.CharField(
        label="Affiliation (optional)",
        max_length=200,
        required=False,
        help_text="The organisation you belong to, if you want it shown.",
    )
    other_hats = forms.MultipleChoiceField(
        label="Other hats you disclose (optional)",
        choices=StakeholderGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class RecognitionSettingsForm(forms.Form):
    min_groups = forms.IntegerField(label="Groups needed for recognition", min_value=1, max_value=6)
    min_supporters = forms.IntegerField(label="Supporters a group needs to count", min_value=1)
    min_share = forms.FloatField(
        label="Share of a group's active members it needs to count", min_value=0, max_value=1
    )
    agenda_slots = forms.IntegerField(label="Agenda slots", min_value=1, max_value=10_000)
