from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accords.core"
    verbose_name = "Accords core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accords.core.roles import roles_sync

        # Roles are data the code depends on: every migrate (and every flush) brings them up to
        # date, once: post_migrate is sent for each app in turn, and roles_sync makes every
        # app's permissions itself, so it answers this app's signal alone.
        post_migrate.connect(
            lambda **kwargs: roles_sync(),
            sender=self,
            dispatch_uid="accords.roles_sync",
            weak=False,
        )
