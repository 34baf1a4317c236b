from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "accords.audit"
    verbose_name = "Audit log"

    def ready(self):
        from accords.audit.rows import install

        install()
