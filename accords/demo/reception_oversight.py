"""The demo's oversight of reception: synthetic people (all invented) taken through the transfer
services to a hand-over in Kigali, then a monitor's denied visit, a grievance answered late,
follow-ups with survey scores, one person who left on their own and one removed onward to the
country a US judge protected him from, with the refoulement alert showing.

Only the clock is moved by hand, as in the demo's transfers: the people arrived months ago, so
their follow-ups, visits and deadlines have had time to fall due.
"""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accords.cases.models import Person
from accords.cases.services import case_import
from accords.demo.accounts import demo_accounts_ensure
from accords.demo.transfers import clock_stage, rows_stage
from accords.reception import survey
from accords.reception.models import Arrival, Concern, Monitoring
from accords.reception.services import oversight as services
from accords.reception.services.arrivals import monitoring_assign
from accords.registry.models import Agreement
from accords.transfers import services as transfers
from accords.transfers.models import ManifestEntry

PREFIX = "DEMO-O-"
ARRIVED_DAYS_AGO = 100
# number, given name, family name, born, nationality, language
PEOPLE = [
    ("01", "Kofi", "Mensah", "1986-02-11", "GH", "en"),
    ("02", "Aminata", "Diallo", "1990-05-23", "GN", "fr"),
    ("03", "Hamid", "Rahimi", "1988-09-14", "SY", "ar"),
    ("04", "Beatriz", "Lozano", "1993-01-30", "CO", "es"),
    ("05", "Julio", "Cañas", "1985-07-19", "SV", "es"),
]
# El Salvador is the country the fifth person's withholding of removal protects him from.
PROTECTED_FROM = {"05": "SV"}


def _case_file(number, given, family_name, born, nationality, language, protections=()) -> dict:
    return {
        "format": 1,
        "case_number": PREFIX + number,
        "person": {"given_name": given, "family_name": family_name, "birth_date": born,
                   "country_of_birth": nationality, "nationalities": [nationality],
                   "languages": [language], "detained": True,
                   **({"counsel": "counsel"} if number == "05" else {})},
        "removal_orders": [{"basis": "INA240", "entered_on": "2024-03-01", "final_on": "2024-04-01",
                            "final_how": "no_appeal", "designated_countries": [nationality]}],
        "country_requests": [{"country": nationality, "asked_on": "2025-06-01",
                              "answer": "refused"}],
        "protections": [{"kind": "withholding", "country": country, "granted_on": "2024-04-01"}
                        for country in protections],
    }  # fmt: skip


def _handed_over(users, rwanda) -> dict[str, Arrival]:
    """The people referred, noticed, accepted, flown and handed over; arrived long ago."""
    officer, supervisor = users["sending.officer"], users["sending.supervisor"]
    receiving = users["receiving.officer"]
    case_import(actor=None, records=list(enumerate([_case_file(*row) for row in PEOPLE], 1)),
                source="demo reception oversight")  # fmt: skip
    people = Person.objects.filter(case_number__startswith=PREFIX).order_by("case_number")
    referrals = []
    for person in people:
        referral = transfers.referral_create(actor=officer, person=person, agreement=rwanda,
                                             proposed_on=timezone.localdate())  # fmt: skip
        notice = transfers.notice_serve(actor=officer, referral=referral,
                                        language=person.languages[0])  # fmt: skip
        # Demo staging: the notice was served three weeks ago; its window has run.
        clock_stage(actor=None, notice=notice, days_ago=21)
        transfers.acceptance_decide(actor=receiving, referral=referral, decision="accepted")
        referrals.append(referral)
    flight = transfers.flight_create(
        actor=supervisor, agreement=rwanda, seats=len(referrals),
        departs_on=timezone.localdate(), route="IAD-KGL (charter)",
    )  # fmt: skip
    transfers.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    transfers.manifest_lock(actor=supervisor, manifest=flight.manifest)
    transfers.manifest_depart(actor=supervisor, manifest=flight.manifest)
    arrivals = {}
    for referral in referrals:
        entry = ManifestEntry.objects.get(referral=referral, manifest=flight.manifest)
        transfers.handover_record(actor=receiving, entry=entry, at=timezone.now(),
                                  place="Kigali International Airport")  # fmt: skip
        arrivals[referral.person.case_number[len(PREFIX) :]] = entry.arrival
    # Demo staging: they arrived `ARRIVED_DAYS_AGO` days ago.
    arrived_at = timezone.now() - timedelta(days=ARRIVED_DAYS_AGO)
    due = timezone.localdate(arrived_at) + timedelta(days=30)
    rows_stage(actor=None, rows=list(arrivals.values()),
               changes={"arrived_at": arrived_at, "plan_due_on": due})  # fmt: skip
    return arrivals


def demo_reception_oversight_ensure() -> dict:
    """Stage the demo's oversight once; running it again changes nothing."""
    demo_accounts_ensure()
    names = ["sending.officer", "sending.supervisor", "receiving.officer", "monitor", "counsel"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    monitor, officer = users["monitor"], users["receiving.officer"]
    rwanda = Agreement.objects.get(key="us-rwanda")
    today = timezone.localdate()
    with transaction.atomic():
        if Arrival.objects.filter(person__case_number__startswith=PREFIX).exists():
            _monitors_assigned(monitor, today)
            return _summary()
        a = _handed_over(users, rwanda)
        _monitors_assigned(monitor, today)

        # A welfare visit done, and one denied ten days ago: the concern it raised is overdue.
        done = services.visit_plan(actor=monitor, arrival=a["02"], planned_on=today)
        services.visit_record(actor=monitor, visit=done, status="done", visited_on=today,
                              findings="Housed in a shared hostel room; French classes not yet "
                                       "offered.")  # fmt: skip
        denied = services.visit_plan(actor=monitor, arrival=a["01"], planned_on=today)
        services.visit_record(actor=monitor, visit=denied, status="denied", visited_on=today,
                              findings="The hostel manager refused entry without a ministry "
                                       "letter.")  # fmt: skip
        # Demo staging: the visit was ten days ago.
        ten_days_ago = today - timedelta(days=10)
        rows_stage(actor=None, rows=[denied],
                   changes={"planned_on": ten_days_ago, "visited_on": ten_days_ago})  # fmt: skip
        rows_stage(actor=None, rows=list(Concern.objects.filter(visit=denied)),
                   changes={"raised_on": ten_days_ago,
                            "answer_due_on": Concern.due_after(ten_days_ago, "high")})  # fmt: skip
        services.visit_plan(actor=monitor, arrival=a["03"], planned_on=today + timedelta(days=5))
        concern = services.concern_raise(actor=monitor, arrival=a["02"], severity="medium",
                                         text="Language classes promised under the agreement "
                                              "have not started.")  # fmt: skip
        services.concern_answer(
            actor=officer, concern=concern,
            answer="Classes start on the first Monday of next month.",
        )  # fmt: skip

        # A grievance filed forty days ago, answered today: late.
        grievance = services.grievance_file(actor=officer, arrival=a["02"], subject="stipend",
                                            text="The stipend for the second month was not "
                                                 "paid.")  # fmt: skip
        rows_stage(actor=None, rows=[grievance],
                   changes={"filed_on": today - timedelta(days=40),
                            "answer_due_on": today - timedelta(days=10)})  # fmt: skip
        services.grievance_answer(actor=officer, grievance=grievance, resolution="upheld",
                                  answer="Paid with the third month's stipend.",
                                  answered_on=today)  # fmt: skip

        # Follow-ups at one and three months, with the survey's scores.
        for number, month, base in (("03", 1, 2), ("03", 3, 3), ("02", 1, 3)):
            scores = {key: min(5, base + i % 2) for i, key in enumerate(survey.INDICATORS)}
            arrived_on = timezone.localdate(a[number].arrived_at)
            services.follow_up_record(actor=officer, arrival=a[number], month=month,
                                      done_on=arrived_on + timedelta(days=30 * month + 2),
                                      scores=scores)  # fmt: skip

        # One left on their own; one removed onward to the country he is protected from. The
        # protection reached Accords with the sending state's next export of his case file.
        services.outcome_record(actor=officer, arrival=a["04"], kind="left",
                                on=today - timedelta(days=20))  # fmt: skip
        case_import(actor=None, source="demo reception oversight",
                    records=[(1, _case_file(*PEOPLE[4], protections=["SV"]))])  # fmt: skip
        services.outcome_record(actor=monitor, arrival=a["05"], kind="removed_onward",
                                country=PROTECTED_FROM["05"], on=today - timedelta(days=3),
                                note="Seen escorted onto a flight to San Salvador.")  # fmt: skip
    return _summary()


def _monitors_assigned(monitor, today) -> None:
    """The demo's monitor watches every agreement under which someone has arrived."""
    for agreement in Agreement.objects.filter(arrivals__isnull=False).distinct():
        if not Monitoring.objects.filter(monitor=monitor, agreement=agreement).exists():
            monitoring_assign(actor=None, monitor=monitor, agreement=agreement, since=today)


def _summary() -> dict:
    arrivals = Arrival.objects.filter(person__case_number__startswith=PREFIX)
    return {"arrivals": arrivals.count(),
            "alerts": sum(a.alerts.count() for a in arrivals)}  # fmt: skip
