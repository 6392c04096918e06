from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "commonground.dialogue"
    label = "dialogue"
    verbose_name = "Dialogue (conversations and opinion maps)"
