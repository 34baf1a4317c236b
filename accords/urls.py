from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accords.api import api
from accords.audit import views as audit_views
from accords.cases import views as case_views
from accords.core import views as core_views
from accords.jobs import views as job_views
from accords.ledger import views as ledger_views
from accords.registry import views as registry_views
from accords.transparency import views as transparency_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("agreements/", registry_views.agreement_list, name="agreement_list"),
    path("agreements/<slug:key>/", registry_views.agreement_detail, name="agreement_detail"),
    path("cases/", case_views.worklist, name="worklist"),
    path("cases/caseload.csv", case_views.worklist_csv, name="worklist_csv"),
    path("cases/saved-filters/", case_views.worklist_filter_save, name="worklist_filter_save"),
    path(
        "cases/saved-filters/<int:pk>/delete/",
        case_views.worklist_filter_delete,
        name="worklist_filter_delete",
    ),  # fmt: skip
    path("cases/<str:case_number>/officer/", case_views.case_officer, name="case_officer"),
    path("cases/<str:case_number>/", case_views.case_detail, name="case_detail"),
    path("", include("accords.transfers.urls")),
    path("", include("accords.reception.urls")),
    path("", include("accords.programme.views")),
    *audit_views.urlpatterns,
    *ledger_views.urlpatterns,
    *transparency_views.urlpatterns,
    *job_views.urlpatterns,
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", core_views.PasswordChange.as_view(), name="password_change"),
    path("accounts/settings/", core_views.account_settings, name="account_settings"),
    # The admin's own password page would change it without an audit entry: it sends here.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # The language switch: Django's set_language (a POST from the form on every page).
    # A signed-in user's choice is also saved on their profile (core_views.language_set).
    path("i18n/setlang/", core_views.language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
]
