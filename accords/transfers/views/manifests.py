"""manifests pages."""

urlpatterns: list = []
