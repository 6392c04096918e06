from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "commonground.issues"
    label = "issues"
