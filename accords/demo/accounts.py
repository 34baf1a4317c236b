"""One demo account per role. The password is for the local demo only and is printed."""

from django.contrib.auth.models import User

from accords.core.services import SENDING_ROLES, user_create, user_sending_state_set

DEMO_PASSWORD = "accords-demo"

DEMO_ACCOUNTS = [
    # username, role, state served (receiving officers) or worked for (sending), staff (admin)
    ("sending.officer", "sending_officer", "US", False),
    ("sending.supervisor", "sending_supervisor", "US", False),
    ("receiving.officer", "receiving_officer", "RW", False),
    ("counsel", "counsel", "", False),
    ("finance", "finance", "", False),
    ("monitor", "monitor", "", True),
    ("auditor", "auditor", "", True),
    ("registry.editor", "registry_editor", "", True),
    # A second receiving officer: stipend cycles are approved by someone other than who computed.
    ("receiving.approver", "receiving_officer", "RW", False),
    # El Salvador's officer: the demo's agreement with a per-person fee, so the ledger shows fees.
    ("receiving.elsalvador", "receiving_officer", "SV", False),
]

# The demo accounts' holders, by synthetic full names (a notice names its serving officer).
DEMO_NAMES = {
    "sending.officer": ("Dana", "Whitcombe"),
    "sending.supervisor": ("Morgan", "Ellery"),
    "receiving.officer": ("Aline", "Kabera"),
    "counsel": ("Robin", "Asterley"),
    "receiving.approver": ("Eric", "Mutesi"),
}


def demo_accounts_ensure() -> list[tuple[str, str, str]]:
    """Create the accounts that are missing; return (username, role, state) for all of them."""
    for username, role, state, staff in DEMO_ACCOUNTS:
        existing = User.objects.filter(username=username).select_related("profile").first()
        if existing and role in SENDING_ROLES and not existing.profile.sending_state_id:
            # A demo database made before sending officers were bound to a state.
            user_sending_state_set(actor=None, user=existing, sending_state=state)
        if not existing:
            user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                receiving_state=state if role == "receiving_officer" else "",
                sending_state=state if role in SENDING_ROLES else "",
                staff=staff,
                first_name=DEMO_NAMES.get(username, ("", ""))[0],
                last_name=DEMO_NAMES.get(username, ("", ""))[1],
            )
    return [(username, role, state) for username, role, state, _ in DEMO_ACCOUNTS]
