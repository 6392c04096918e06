from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "commonground.issues"
    label = "issues"

    def ready(self) -> None:
        # A cycle's tally shard rows are made in the transaction that opens it.
        from commonground.issues import tallies

        tallies.connect_shards()
