"""Accounts under guessing and neglect: sign-in throttling, one's own password, the idle session,
and what the audit log never keeps."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.core.services import user_create
from accords.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def officer():
    demo_accounts_ensure()
    return User.objects.get(username="sending.officer")


def _sign_in(client, password, username="sending.officer", address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True


def test_five_wrong_passwords_lock_the_sixth_try_out_even_with_the_right_one(
    client, officer, throttled
):
    for _ in range(4):
        assert _sign_in(client, "a-wrong-guess").status_code == 200
    fifth = _sign_in(client, "a-wrong-guess")
    assert fifth.status_code == 429
    assert "paused for 15 minutes" in fifth.content.decode()

    sixth = _sign_in(client, DEMO_PASSWORD)
    assert sixth.status_code == 429
    assert "Signing in is paused" in sixth.content.decode()
    assert not _signed_in(client)


def test_after_the_cool_off_the_right_password_works_again(client, officer, throttled):
    for _ in range(5):
        _sign_in(client, "a-wrong-guess")
    # Sixteen minutes pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert _sign_in(client, DEMO_PASSWORD).status_code == 302
    assert _signed_in(client)


def test_trying_again_during_the_cool_off_starts_the_wait_again(client, officer, throttled):
    for _ in range(5):
        _sign_in(client, "a-wrong-guess")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    assert _sign_in(client, DEMO_PASSWORD).status_code == 429
    # Ten more minutes: twenty since the lockout, ten since the last try.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    assert _sign_in(client, DEMO_PASSWORD).status_code == 429
    assert not _signed_in(client)


def test_the_lockout_holds_one_username_from_one_address_only(client, officer, throttled):
    for _ in range(5):
        _sign_in(client, "a-wrong-guess", address="203.0.113.7")
    assert _sign_in(client, DEMO_PASSWORD, address="198.51.100.20").status_code == 302
    client.logout()
    assert _sign_in(client, DEMO_PASSWORD, username="counsel").status_code == 302


def test_the_admin_sign_in_is_throttled_alike(client, officer, throttled):
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": "monitor", "password": "a-wrong-guess"},
            REMOTE_ADDR="203.0.113.7",
        )
    answer = client.post(
        "/admin/login/",
        {"username": "monitor", "password": DEMO_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert answer.status_code == 429
    assert not _signed_in(client)


def test_a_user_changes_their_password_from_the_header_link(client, officer):
    client.force_login(officer)
    assert 'href="/accounts/password/"' in client.get("/").content.decode()
    new = "quiet-harbour-lantern-47"
    done = client.post(
        "/accounts/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert _signed_in(client), "the session that changed the password stays signed in"
    assert "Your password is changed" in client.get("/").content.decode()

    client.logout()
    assert _sign_in(client, DEMO_PASSWORD).status_code == 200
    assert _sign_in(client, new).status_code == 302

    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == officer
    assert new not in str(entry.details)


def test_a_password_change_ends_the_users_other_sessions(client, officer):
    elsewhere = Client()
    elsewhere.force_login(officer)
    assert elsewhere.get("/cases/").status_code == 200
    client.force_login(officer)
    new = "quiet-harbour-lantern-47"
    client.post(
        "/accounts/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert client.get("/cases/").status_code == 200
    assert elsewhere.get("/cases/").status_code == 302


def test_a_password_change_needs_the_old_password_and_a_password_the_validators_accept(
    client, officer
):
    client.force_login(officer)
    wrong_old = client.post(
        "/accounts/password/",
        {
            "old_password": "not-it",
            "new_password1": "x7-lantern-quiet",
            "new_password2": "x7-lantern-quiet",
        },
    )
    assert wrong_old.status_code == 200
    assert "old_password" in wrong_old.context["form"].errors
    weak = client.post(
        "/accounts/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert "new_password2" in weak.context["form"].errors
    assert "too common" in weak.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(DEMO_PASSWORD)
    assert not AuditEntry.objects.filter(action="user.password_change").exists()


def test_the_password_page_is_for_signed_in_users(client):
    assert client.get("/accounts/password/").status_code == 302


def test_an_account_with_a_weak_password_is_refused_naming_the_field():
    before = (User.objects.count(), AuditEntry.objects.count())
    for weak in ("password", "1234567890", "short", "weak.officer"):
        with pytest.raises(ValidationError) as refused:
            user_create(
                actor=None, username="weak.officer", password=weak, role="sending_officer",
                sending_state="US",
            )  # fmt: skip
        assert "password" in refused.value.message_dict
    assert (User.objects.count(), AuditEntry.objects.count()) == before


def test_the_audit_log_never_keeps_a_password():
    user_create(
        actor=None, username="new.officer", password="quiet-harbour-lantern-47",
        role="sending_officer", sending_state="US",
    )  # fmt: skip
    entry = AuditEntry.objects.filter(action="user.create").latest("seq")
    assert "quiet-harbour-lantern-47" not in str(entry.details)
    assert entry.details["withheld"] == ["password"]
    assert entry.details["arguments"]["username"] == "new.officer"


def test_a_session_ends_after_thirty_idle_minutes(client, officer):
    client.force_login(officer)
    assert client.get("/cases/").status_code == 200
    # Thirty-one minutes without a request: the session has run out.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get("/cases/").status_code == 302
    assert not _signed_in(client)


def test_each_request_gives_the_session_thirty_more_minutes(client, officer):
    client.force_login(officer)
    # Twenty-five idle minutes: five left.
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    answer = client.get("/cases/")
    assert answer.status_code == 200
    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    assert answer.cookies["sessionid"]["max-age"] == 30 * 60


def test_the_admins_password_link_leads_to_the_audited_page(client, officer):
    client.force_login(User.objects.get(username="monitor"))
    answer = client.get("/admin/password_change/")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password/"
