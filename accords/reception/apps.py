from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "accords.reception"
    verbose_name = "Reception"
