"""Reception's pages: the oversight part."""

urlpatterns: list = []
