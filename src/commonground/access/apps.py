from django.apps import AppConfig


class AccessConfig(AppConfig):
    """No models: installed for its template library (``{% load access %}``)."""

    name = "commonground.access"
    label = "access"
