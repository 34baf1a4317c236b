"""receiving pages."""

urlpatterns: list = []
