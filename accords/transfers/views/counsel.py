"""counsel pages."""

urlpatterns: list = []
