"""Roles as groups with permissions, and who may do what."""

import pytest
from django.core.exceptions import ValidationError

from accords.core.roles import ROLES, user_role
from accords.core.services import SENDING_ROLES, user_create, user_sending_state_set
from accords.demo.accounts import DEMO_ACCOUNTS, demo_accounts_ensure


@pytest.mark.django_db
def test_every_demo_account_holds_its_role():
    demo_accounts_ensure()
    from django.contrib.auth.models import User

    for username, role, state, _ in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user_role(user).key == role
        profile = user.profile
        assert (profile.receiving_state_id or profile.sending_state_id or "") == state
    assert {role for _, role, _, _ in DEMO_ACCOUNTS} == set(ROLES)


@pytest.mark.django_db
def test_demo_accounts_are_made_once():
    demo_accounts_ensure()
    demo_accounts_ensure()
    from django.contrib.auth.models import User

    assert User.objects.count() == len(DEMO_ACCOUNTS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,may_edit_registry,may_read_audit",
    [
        ("sending_officer", False, False),
        ("sending_supervisor", False, False),
        ("receiving_officer", False, False),
        ("counsel", False, False),
        ("finance", False, False),
        ("monitor", False, True),
        ("auditor", False, True),
        ("registry_editor", True, False),
    ],
)
def test_role_permissions(role, may_edit_registry, may_read_audit):
    user = user_create(
        actor=None,
        username=f"u-{role}",
        password="x" * 12,
        role=role,
        receiving_state="RW" if role == "receiving_officer" else "",
        sending_state="US" if role in SENDING_ROLES else "",
    )
    assert user.has_perm("registry.view_agreement")
    assert user.has_perm("registry.add_term") is may_edit_registry
    assert user.has_perm("audit.view_auditentry") is may_read_audit
    assert not user.has_perm("audit.change_auditentry")


@pytest.mark.django_db
def test_a_receiving_officer_is_bound_to_one_state():
    with pytest.raises(ValidationError, match="receiving_state"):
        user_create(actor=None, username="r", password="x" * 12, role="receiving_officer")
    with pytest.raises(ValidationError, match="Unknown ISO"):
        user_create(
            actor=None, username="r", password="x" * 12, role="receiving_officer",
            receiving_state="ZZ",
        )  # fmt: skip


@pytest.mark.django_db
def test_a_sending_officer_works_for_one_state():
    for role in SENDING_ROLES:
        with pytest.raises(ValidationError, match="sending_state"):
            user_create(actor=None, username=f"s-{role}", password="x" * 12, role=role)
    with pytest.raises(ValidationError, match="Only sending officers"):
        user_create(actor=None, username="c", password="x" * 12, role="counsel",
                    sending_state="US")  # fmt: skip
    officer = user_create(actor=None, username="s", password="x" * 12, role="sending_officer",
                          sending_state="gb")  # fmt: skip
    assert officer.profile.sending_state_id == "GB"


@pytest.mark.django_db
def test_an_unknown_role_is_named():
    with pytest.raises(ValidationError, match='Unknown role "pilot"'):
        user_create(actor=None, username="p", password="x" * 12, role="pilot")


@pytest.mark.django_db
def test_the_audit_log_in_the_admin_is_read_only_even_for_auditors(client):
    demo_accounts_ensure()
    from accords.demo.accounts import DEMO_PASSWORD

    client.login(username="auditor", password=DEMO_PASSWORD)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    client.login(username="counsel", password=DEMO_PASSWORD)
    assert client.get("/admin/audit/auditentry/").status_code == 302


@pytest.mark.django_db
def test_a_demo_officer_made_before_sending_states_is_bound_to_the_united_states():
    demo_accounts_ensure()
    from django.contrib.auth.models import User

    from accords.core.models import Profile

    Profile.objects.filter(user__username="sending.officer").update(sending_state=None)
    demo_accounts_ensure()
    assert User.objects.get(username="sending.officer").profile.sending_state_id == "US"
    with pytest.raises(ValidationError, match="Only sending officers"):
        user_sending_state_set(actor=None, user=User.objects.get(username="counsel"),
                               sending_state="US")  # fmt: skip


@pytest.mark.django_db
def test_monitors_and_auditors_differ_as_their_jobs_do():
    """A monitor watches flights, plans and reception and reads the log, and holds no
    permission to case files, referrals or notices (the selectors would show them none); an
    auditor reads those records, and writes nothing."""
    monitor = user_create(actor=None, username="u-monitor", password="x" * 12, role="monitor")
    auditor = user_create(actor=None, username="u-auditor", password="x" * 12, role="auditor")
    for permission in ("cases.view_person", "transfers.view_referral",
                       "transfers.view_noticedocument"):  # fmt: skip
        assert not monitor.has_perm(permission)
        assert auditor.has_perm(permission)
    for permission in ("transfers.view_flight", "transfers.view_plan", "audit.view_auditentry"):
        assert monitor.has_perm(permission) and auditor.has_perm(permission)
    assert monitor.has_perm("reception.add_welfarevisit")
    assert not auditor.has_perm("reception.add_welfarevisit")
    assert auditor.has_perm("ledger.view_transfer") and not monitor.has_perm("ledger.view_transfer")
    written = [p for p in auditor.get_all_permissions() if not p.split(".")[1].startswith("view_")]
    assert written == []


@pytest.mark.django_db
def test_syncing_the_roles_puts_back_exactly_each_roles_permissions():
    from django.contrib.auth.models import Group, Permission

    from accords.core.roles import roles_sync

    officer = Group.objects.get(name="sending_officer")
    officer.permissions.add(Permission.objects.get(codename="change_auditentry"))
    Group.objects.get(name="auditor").delete()
    roles_sync()
    for role in ROLES.values():
        held = Group.objects.get(name=role.key).permissions.values_list(
            "content_type__app_label", "codename"
        )
        assert sorted(f"{app}.{codename}" for app, codename in held) == sorted(role.permissions)


@pytest.mark.django_db
def test_a_role_naming_a_permission_no_model_has_is_named(monkeypatch):
    from accords.core import roles

    wrong = roles.Role("finance", "Finance", ("ledger.view_claim", "ledger.fly_payment"))
    monkeypatch.setitem(roles.ROLES, "finance", wrong)
    with pytest.raises(LookupError, match=r"ledger\.fly_payment$"):
        roles.roles_sync()
