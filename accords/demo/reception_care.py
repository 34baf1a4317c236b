"""Reception's care in the demo: six invented people handed over in Kigali through the transfer
services, then cared for through reception's services, at every stage the caseworker meets:
just taken in; case plan overdue; services provided (an identity document issued, housing) and
overdue (a residence permit, job training); a stipend cycle approved by a second officer, one
person paid and one payment failed; and this month's cycle awaiting approval.

Only the clock is staged by hand ("demo staging"): notices, hand-overs and arrivals are
backdated so that the 30-day plan and the services' due dates have passed as they would have.

The stipend needs a stipend term stating an amount, and the reference data has none (the
US–Rwanda stipends are reported only as under consideration): the demo adds one, whose text
says it is invented for the demo.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accords.cases.models import Person
from accords.cases.services import case_import
from accords.demo.accounts import demo_accounts_ensure
from accords.demo.transfers import clock_stage, rows_stage
from accords.reception.models import Arrival, StipendProgramme
from accords.reception.services import care
from accords.registry.models import Agreement, Source
from accords.registry.services import term_create
from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.notices import NOTICE_LANGUAGES

PREFIX = "DEMO-C-"
DEMO_TERM = "demo-stipend-invented"

# number, given name, family name, born, nationality, languages, days since arrival
PEOPLE = [
    ("01", "Aurelio", "Cardona", "1990-05-17", "CO", ["es"], 3),
    ("02", "Ximena", "Paz", "1993-10-02", "BO", ["es"], 45),
    ("03", "Kofi", "Mensimah", "1987-01-25", "GH", ["en"], 75),
    ("04", "Idris", "Farouk", "1985-08-09", "SD", ["ar", "en"], 75),
    ("05", "Rosa", "Quintana", "1991-03-14", "SV", ["es"], 75),
    ("06", "Thierry", "Kabongo", "1989-12-06", "CD", ["fr"], 75),
]


def _case_file(number, given, family_name, born, nationality, languages, _days) -> dict:
    return {
        "format": 1,
        "case_number": PREFIX + number,
        "person": {
            "given_name": given,
            "family_name": family_name,
            "birth_date": born,
            "country_of_birth": nationality,
            "nationalities": [nationality],
            "languages": languages,
            "detained": True,
        },
        "removal_orders": [
            {
                "basis": "INA240",
                "entered_on": "2024-03-01",
                "final_on": "2024-04-01",
                "final_how": "no_appeal",
                "designated_countries": [nationality],
            }
        ],
        "country_requests": [
            {"country": nationality, "asked_on": "2025-06-01", "answer": "refused"}
        ],
    }


def _handed_over(users, people: list[Person], rwanda: Agreement) -> list[Arrival]:
    officer, supervisor = users["sending.officer"], users["sending.supervisor"]
    receiving = users["receiving.officer"]
    today = timezone.localdate()
    for person in people:
        referral = services.referral_create(
            actor=officer, person=person, agreement=rwanda, proposed_on=today
        )
        language = next((lang for lang in person.languages if lang in NOTICE_LANGUAGES), "en")
        notice = services.notice_serve(actor=officer, referral=referral, language=language)
        # Demo staging: the notice was served 20 days ago; its window has run.
        clock_stage(actor=None, notice=notice, days_ago=20)
        services.acceptance_decide(actor=receiving, referral=referral, decision="accepted")
    flight = services.flight_create(
        actor=supervisor,
        agreement=rwanda,
        departs_on=today,
        route="IAD-KGL (reception demo)",
        seats=len(people),
    )
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    for entry in ManifestEntry.objects.filter(manifest=flight.manifest, status="departed"):
        services.handover_record(
            actor=receiving, entry=entry, at=timezone.now(), place="Kigali International Airport"
        )
    return list(Arrival.objects.filter(person__in=people).order_by("person__case_number"))


def _backdated(arrival: Arrival, days: int) -> Arrival:
    # Demo staging: the person arrived `days` days ago; the plan fell due 30 days after.
    at = timezone.now() - timedelta(days=days)
    due = timezone.localdate(at) + timedelta(days=30)
    rows_stage(actor=None, rows=[arrival], changes={"arrived_at": at, "plan_due_on": due})
    return arrival


def _first_of_month(months_ago: int):
    day = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def _stipend_term(rwanda: Agreement):
    return rwanda.terms.filter(key=DEMO_TERM).first() or term_create(
        actor=None,
        agreement=rwanda,
        key=DEMO_TERM,
        kind="money",
        text="Invented for the demo, not a reported term: a monthly stipend of USD 60 for each "
        "person relocated, for six months.",
        money_kind="stipend",
        money_status="committed",
        amount="60.00",
        currency="USD",
        period="month",
        quantity=6,
        valid_from=_first_of_month(12).isoformat(),
        sources=[
            {"source": Source.objects.order_by("key").first().key, "confidence": "unconfirmed"}
        ],
    )


def demo_care_ensure() -> dict:
    """Stage the demo's reception care once; running it again changes nothing."""
    if Arrival.objects.filter(person__case_number__startswith=PREFIX).exists():
        return {"arrivals": Arrival.objects.filter(person__case_number__startswith=PREFIX).count()}
    demo_accounts_ensure()
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    officer, approver = users["receiving.officer"], users["receiving.approver"]
    rwanda = Agreement.objects.get(key="us-rwanda")
    today = timezone.localdate()
    with transaction.atomic():
        docs = [_case_file(*row) for row in PEOPLE]
        case_import(actor=None, records=list(enumerate(docs, 1)), source="demo reception")
        people = list(Person.objects.filter(case_number__startswith=PREFIX))
        arrivals = _handed_over(users, people, rwanda)
        days = {PREFIX + row[0]: row[-1] for row in PEOPLE}
        a = {
            x.person.case_number[len(PREFIX) :]: _backdated(x, days[x.person.case_number])
            for x in arrivals
        }

        def intake(arrival, needs, consent=True):
            care.intake_record(
                actor=officer,
                arrival=arrival,
                needs=needs,
                consent=consent,
                housed_at="Transit hostel, Kigali (demo)",
                housed_with="alone",
                recorded_on=timezone.localdate(arrival.arrived_at),
            )

        # 01 just taken in; 02 taken in 45 days ago, its case plan overdue.
        intake(a["01"], ["language"])
        intake(a["02"], ["health", "language"])
        # 03-06 arrived 75 days ago, taken in, their plans agreed; services done and overdue.
        for number in ("03", "04", "05", "06"):
            intake(a[number], ["language", "legal"])
            care.care_plan_record(
                actor=officer,
                arrival=a[number],
                agreed_on=timezone.localdate(a[number].arrived_at) + timedelta(days=20),
                goals="Residence permit, then language classes and work.",
            )
        documents = rwanda.terms.filter(key="service-documents").first()
        housing = rwanda.terms.filter(key="service-housing").first()
        training = rwanda.terms.filter(key="service-training").first()
        started = today - timedelta(days=70)
        identity = care.care_service_open(
            actor=officer,
            arrival=a["03"],
            kind="documents",
            document="identity",
            provider="Directorate General of Immigration and Emigration",
            funding_term=documents,
            requested_on=started,
            due_on=started + timedelta(days=30),
        )
        care.care_service_outcome_record(
            actor=officer, service=identity, outcome="done", outcome_on=started + timedelta(days=21)
        )
        hostel = care.care_service_open(
            actor=officer,
            arrival=a["03"],
            kind="housing",
            provider="Transit hostel (demo)",
            funding_term=housing,
            requested_on=started,
            due_on=started,
        )
        care.care_service_outcome_record(
            actor=officer,
            service=hostel,
            outcome="done",
            outcome_on=started,
            place="Transit hostel, Kigali (demo)",
            starts_on=started,
            ends_on=started + timedelta(days=90),
        )
        care.care_service_open(
            actor=officer,
            arrival=a["04"],
            kind="documents",
            document="residence",
            provider="Directorate General of Immigration and Emigration",
            funding_term=documents,
            requested_on=started,
            due_on=today - timedelta(days=12),
        )
        care.care_service_open(
            actor=officer,
            arrival=a["05"],
            kind="job",
            job_step="training",
            provider="Vocational training centre (demo)",
            funding_term=training,
            requested_on=started,
            due_on=today - timedelta(days=3),
        )

        # Stipends: last month's cycle computed, approved by a second officer, one paid and one
        # failed; this month's computed, awaiting approval.
        _stipend_term(rwanda)
        programme = StipendProgramme.objects.filter(agreement=rwanda).first()
        programme = programme or care.stipend_programme_open(actor=officer, agreement=rwanda)
        last = care.stipend_cycle_compute(
            actor=officer, programme=programme, starts_on=_first_of_month(1)
        )
        care.stipend_cycle_approve(actor=approver, cycle=last)
        owed = {e.arrival.person.case_number[len(PREFIX) :]: e for e in last.entitlements.all()}
        paid_on = _first_of_month(1) + timedelta(days=4)
        care.payment_record(
            actor=officer,
            entitlement=owed["03"],
            outcome="paid",
            amount=Decimal("60.00"),
            on=paid_on,
            reference="DEMO-MM-0001",
        )
        care.payment_record(
            actor=officer,
            entitlement=owed["04"],
            outcome="failed",
            amount=Decimal("60.00"),
            on=paid_on,
            reference="DEMO-MM-0002",
        )
        care.stipend_cycle_compute(actor=officer, programme=programme, starts_on=_first_of_month(0))
    return {"arrivals": len(arrivals)}
