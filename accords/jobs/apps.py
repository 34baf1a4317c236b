from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "accords.jobs"
    verbose_name = "Background jobs"
