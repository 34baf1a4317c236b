from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "accords.registry"
    verbose_name = "Agreement registry"
