from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "commonground.forums"
    label = "forums"
