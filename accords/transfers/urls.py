from accords.transfers.views import counsel, manifests, receiving, referrals

urlpatterns = [
    *referrals.urlpatterns,
    *counsel.urlpatterns,
    *receiving.urlpatterns,
    *manifests.urlpatterns,
]
