from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "accords.programme"
    verbose_name = "Programme policy"
