from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "accords.cases"
    verbose_name = "Cases"
