from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "commonground.opendata"
    label = "opendata"
    verbose_name = "Open data"
