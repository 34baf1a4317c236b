from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class TransparencyConfig(AppConfig):
    name = "accords.transparency"
    verbose_name = "Public statistics"

    def ready(self):
        # Each app's own measures (`<app>/statistics.py`) join the registry.
        import accords.transparency.measures  # noqa: F401

        autodiscover_modules("statistics")
