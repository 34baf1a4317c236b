from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accords.demo"
    verbose_name = "Demo data"
