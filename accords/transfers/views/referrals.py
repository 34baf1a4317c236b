"""referrals pages."""

urlpatterns: list = []
