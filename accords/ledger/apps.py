from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "accords.ledger"
    verbose_name = "Ledger"
