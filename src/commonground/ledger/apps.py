from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "commonground.ledger"
    label = "ledger"
