from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accords.core"
    verbose_name = "Accords core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accords.core.roles import roles_sync

        # Roles are data the code depends on: every migrate brings them up to date.
        post_migrate.connect(
            lambda **kwargs: roles_sync(), dispatch_uid="accords.roles_sync", weak=False
        )
