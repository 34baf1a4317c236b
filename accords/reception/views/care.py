"""Reception's pages: the care part."""

urlpatterns: list = []
