from accords.reception.views import care, oversight

urlpatterns = [*care.urlpatterns, *oversight.urlpatterns]
