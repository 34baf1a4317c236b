"""The roles people work in, as Django groups with permissions.

A user holds one role. Receiving officers are bound to one receiving state (their profile
says which); counsel see only their own clients. What a role may *see* is enforced in the
selectors of each app; what it may *do* is these permissions.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    permissions: tuple[str, ...]


REGISTRY_READ = ("registry.view_agreement", "registry.view_term", "registry.view_source")
REGISTRY_WRITE = tuple(
    f"registry.{verb}_{model}"
    for model in ("agreement", "term", "source", "statuschange", "reportedtransfer", "credit")
    for verb in ("add", "change")
)

CASES_READ = ("cases.view_person", "cases.view_decision", "cases.view_screening")
CASES_WRITE = ("cases.add_person", "cases.change_person")

# Referrals and notices: an officer refers, serves notice, withdraws, and records the facts that
# can close a gate as they learn them (a fear claim and its screening, a stay granted).
NOTICES_READ = ("transfers.view_noticedocument",)
REFERRAL_WRITE = (
    "transfers.add_referral",
    "transfers.change_referral",
    "transfers.add_noticedocument",
    "cases.add_fearclaim",
    "cases.change_fearclaim",
    "cases.add_stay",
)
# Counsel record for their clients a fear the client stated and a stay a court granted.
CLIENT_WRITE = ("cases.add_fearclaim", "cases.add_stay")

# Transfers: a receiving officer answers for their state by name and records each hand-over;
# a sending supervisor creates flights and plans, and locks and departs manifests.
TRANSFERS_READ = ("transfers.view_referral", "transfers.view_flight", "transfers.view_manifest")
FLIGHTS_READ = ("transfers.view_flight", "transfers.view_manifest")
PLANS_READ = ("transfers.view_plan",)
RECEIVING_ANSWER = ("cases.add_acceptance", "transfers.change_manifestentry")
DEPARTURES = ("transfers.add_flight", "transfers.add_plan", "transfers.change_manifest")
# A sending supervisor records the receiving state's answer that came by diplomatic note, and
# confirms one another supervisor recorded (the services refuse confirming one's own).
DIPLOMATIC_NOTES = ("transfers.add_diplomaticnote", "transfers.change_diplomaticnote")

# Reception's care: the receiving state's caseworkers (its receiving officers) record intake,
# case plans, services and their outcomes, open stipend programmes, compute and approve cycles
# (the services refuse approving one's own) and record payments. Arrivals are read by both
# states' officers and by counsel, each scoped by the selectors.
ARRIVALS_READ = ("reception.view_arrival",)
RECEPTION_CARE = (
    "reception.add_intake",
    "reception.add_careplan",
    "reception.add_careservice",
    "reception.change_careservice",
    "reception.add_stipendprogramme",
    "reception.add_stipendcycle",
    "reception.change_stipendcycle",
    "reception.add_payment",
)
# Reception's oversight: a monitor plans and records welfare visits, raises concerns, files
# grievances and records outcomes; the receiving state's officer answers concerns and
# grievances, records follow-ups and outcomes; counsel file grievances for their clients; the
# monitor, the sending state and counsel read refoulement alerts.
OVERSIGHT_MONITOR = ("reception.add_welfarevisit", "reception.change_welfarevisit",
                     "reception.add_concern", "reception.add_grievance", "reception.add_outcome",
                     "reception.view_refoulementalert")  # fmt: skip
OVERSIGHT_CASEWORKER = ("reception.change_concern", "reception.add_grievance",
                        "reception.change_grievance", "reception.add_followup",
                        "reception.add_outcome")  # fmt: skip
OVERSIGHT_COUNSEL = ("reception.add_grievance", "reception.view_refoulementalert")
OVERSIGHT_SENDING = ("reception.view_refoulementalert",)
# The ledger: finance reads every agreement's books and records commitments, payments and
# claims between states; auditors read them.
LEDGER_READ = ("ledger.view_transfer", "ledger.view_claim")
LEDGER_WRITE = ("ledger.add_transfer", "ledger.add_claim", "ledger.change_claim")
# Programme policy (accords/programme): the sending state's supervisors choose what their
# programme gives beyond the law; the sending side, monitors and auditors read it.
POLICY_READ = ("programme.view_programmepolicy",)
POLICY_WRITE = ("programme.add_programmepolicy",)

ROLES = {
    role.key: role
    for role in (
        Role(
            "sending_officer",
            "Sending officer",
            (
                *REGISTRY_READ,
                *CASES_READ,
                *CASES_WRITE,
                *TRANSFERS_READ,
                *PLANS_READ,
                *NOTICES_READ,
                *REFERRAL_WRITE,
                *ARRIVALS_READ,
                *OVERSIGHT_SENDING,
                *POLICY_READ,
            ),
        ),
        Role(
            "sending_supervisor",
            "Sending supervisor",
            (
                *REGISTRY_READ,
                *CASES_READ,
                *CASES_WRITE,
                "cases.add_screening",
                *TRANSFERS_READ,
                *PLANS_READ,
                *DEPARTURES,
                *DIPLOMATIC_NOTES,
                *NOTICES_READ,
                *REFERRAL_WRITE,
                *ARRIVALS_READ,
                *OVERSIGHT_SENDING,
                *POLICY_READ,
                *POLICY_WRITE,
            ),
        ),
        Role(
            "receiving_officer",
            "Receiving officer",
            (
                *REGISTRY_READ,
                *CASES_READ,
                *TRANSFERS_READ,
                *RECEIVING_ANSWER,
                *NOTICES_READ,
                *ARRIVALS_READ,
                *RECEPTION_CARE,
                *OVERSIGHT_CASEWORKER,
            ),
        ),
        Role(
            "counsel",
            "Counsel",
            (
                *REGISTRY_READ,
                *CASES_READ,
                "transfers.view_referral",
                *NOTICES_READ,
                *CLIENT_WRITE,
                *ARRIVALS_READ,
                *OVERSIGHT_COUNSEL,
            ),
        ),
        Role("finance", "Finance officer", (*REGISTRY_READ, *LEDGER_READ, *LEDGER_WRITE)),
        # A monitor watches the agreements assigned to them: the flights and plans, reception,
        # welfare and refoulement alerts of those agreements, and reads (and verifies) the
        # log. No case file, referral or notice: the selectors would show them none.
        Role(
            "monitor",
            "Monitor",
            (
                *REGISTRY_READ,
                *FLIGHTS_READ,
                *PLANS_READ,
                "audit.view_auditentry",
                *ARRIVALS_READ,
                *OVERSIGHT_MONITOR,
                *POLICY_READ,
            ),
        ),
        # An auditor reads the log, the ledger and the sending state's records, all read-only,
        # and verifies the log.
        Role(
            "auditor",
            "Auditor",
            (
                *REGISTRY_READ,
                *CASES_READ,
                *TRANSFERS_READ,
                *PLANS_READ,
                *NOTICES_READ,
                "audit.view_auditentry",
                *LEDGER_READ,
                *POLICY_READ,
            ),
        ),
        Role("registry_editor", "Reference-data editor", (*REGISTRY_READ, *REGISTRY_WRITE)),
    )
}


def roles_sync() -> None:
    """Make each role's group hold exactly its permissions (idempotent)."""
    # post_migrate reaches apps one by one; make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    named = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    unknown = sorted({p for role in ROLES.values() for p in role.permissions} - named.keys())
    if unknown:
        raise LookupError(f"roles name permissions no model has: {', '.join(unknown)}")
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.key)
        group.permissions.set([named[p] for p in role.permissions])


def user_role(user) -> Role | None:
    if not user.is_authenticated:
        return None
    names = {g.name for g in user.groups.all()}
    return next((r for key, r in ROLES.items() if key in names), None)
