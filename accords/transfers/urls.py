from accords.transfers.views import counsel, diplomatic_notes, manifests, receiving, referrals

urlpatterns = [
    *referrals.urlpatterns,
    *diplomatic_notes.urlpatterns,
    *counsel.urlpatterns,
    *receiving.urlpatterns,
    *manifests.urlpatterns,
]
