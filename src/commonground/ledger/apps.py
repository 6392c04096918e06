from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "commonground.ledger"
    label = "ledger"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from commonground.ledger.guard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="ledger-guard")
