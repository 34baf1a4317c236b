from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "accords.transfers"
    verbose_name = "Transfers"
