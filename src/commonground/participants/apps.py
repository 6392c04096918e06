from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "commonground.participants"
    label = "participants"
