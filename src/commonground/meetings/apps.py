from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Sessions of a cycle: proposals, evaluation, selection, schedule and reports."""

    name = "commonground.meetings"
    label = "meetings"

    def ready(self) -> None:
        # Screening runs in the transaction of the phase change to evaluation.
        from commonground.meetings.services import proposals

        proposals.connect_screening()
