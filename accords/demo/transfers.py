"""The transfer workflow in the demo: a handful of invented people under the United
States–Rwanda agreement at every stage a referral can be in, through the services.

It leaves referrals open awaiting notice, with notice served and the window running, with a
fear claim pending, accepted, declined, withdrawn, departed and handed over; one cleared and
waiting for a flight; one served through an interpreter whose fear claim was screened
negative; one to Eswatini (which Rwanda's officer does not see); and a locked manifest ready
to depart in which one person was granted a stay after the manifest was locked, so departing
it takes that person off with the reason and departs the rest. Two people depart under the
United States–El Salvador agreement, the one with a per-person fee among its terms, so the
ledger shows the fee of each transfer as the workflow posts it.

Only the clock is staged by hand: notices and referrals are backdated (the action
`demo.clock_stage`) so that windows have run, or are running, as they would have in the days
since.
"""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accords.cases.models import Notice, Person
from accords.cases.services import case_import
from accords.core.actions import action
from accords.demo.accounts import demo_accounts_ensure
from accords.registry.models import Agreement
from accords.transfers import services
from accords.transfers.models import NoticeDocument, Referral
from accords.transfers.notices import (
    NOTICE_LANGUAGES,
    gates_passing_at_service,
    notice_text,
)

PREFIX = "DEMO-T-"
FAMILY = "DEMO-T-FAMILY-1"

# number, given name, family name, born, nationality, languages, family, counsel
PEOPLE = [
    ("01", "Mateo", "Quispe", "1987-04-12", "PE", ["es"], "", ""),
    ("02", "Lucía", "Andrade", "1992-09-03", "EC", ["es"], "", "counsel"),
    ("03", "Yonas", "Tesfaye", "1990-01-21", "ER", ["ti", "en"], "", "counsel"),
    ("04", "Carlos", "Mejía", "1984-11-30", "HN", ["es"], "", ""),
    ("05", "Rafael", "Soto", "1979-06-08", "VE", ["es"], "", ""),
    ("06", "Ana", "Ferreira", "1995-02-14", "BR", ["pt", "es"], "", ""),
    ("07", "Jean", "Mugisha", "1988-08-19", "CD", ["fr", "sw"], "", ""),
    ("08", "Samuel", "Otieno", "1991-12-01", "KE", ["sw", "en"], "", ""),
    ("09", "Marisol", "Reyes", "1986-03-27", "GT", ["es"], FAMILY, ""),
    ("10", "Diego", "Reyes", "1985-07-02", "GT", ["es"], FAMILY, ""),
    ("11", "Sofía", "Reyes", "2014-10-15", "GT", ["es"], FAMILY, ""),
    ("12", "Omar", "Haddad", "1983-05-09", "SY", ["ar", "fr"], "", ""),
    ("13", "Luis", "Paredes", "1989-12-24", "CO", ["es"], "", "counsel"),
    ("14", "Nadia", "Karimi", "1993-04-30", "AF", ["fa", "en"], "", ""),
    ("15", "Tomás", "Villalba", "1982-02-11", "PY", ["es"], "", ""),
    ("16", "Selam", "Gebre", "1994-07-07", "ER", ["ti"], "", ""),
    ("17", "Andrés", "Colmenares", "1990-05-18", "VE", ["es"], "", ""),
    ("18", "Gabriel", "Urdaneta", "1986-10-02", "VE", ["es"], "", ""),
]


def _case_file(number, given, family_name, born, nationality, languages, family, counsel) -> dict:
    """A final order from 2024, the home country asked first and refusing."""
    person = {"given_name": given, "family_name": family_name, "birth_date": born,
              "country_of_birth": nationality, "nationalities": [nationality],
              "languages": languages, "detained": True}  # fmt: skip
    if family:
        person["family"] = family
    if counsel:
        person["counsel"] = counsel
    return {
        "format": 1,
        "case_number": PREFIX + number,
        "person": person,
        "removal_orders": [{"basis": "INA240", "entered_on": "2024-03-01", "final_on": "2024-04-01",
                            "final_how": "no_appeal", "designated_countries": [nationality]}],
        "country_requests": [{"country": nationality, "asked_on": "2025-06-01",
                              "answer": "refused"}],
    }  # fmt: skip


def _staged_notice(actor, referral: Referral, days_ago: int, **serving) -> None:
    """Serve notice (in the person's language where there is a template, unless `serving`
    says otherwise) as if `days_ago` days ago."""
    person = referral.person
    language = next((lang for lang in person.languages if lang in NOTICE_LANGUAGES), "en")
    serving = {"language": language, **serving}
    notice = services.notice_serve(actor=actor, referral=referral, **serving)
    clock_stage(actor=None, notice=notice, days_ago=days_ago)


def _refer(actor, person: Person, agreement: Agreement, days_ago: int,
           proposed_in: int = 14) -> Referral:  # fmt: skip
    proposed = timezone.localdate() + timedelta(days=proposed_in)
    referral = services.referral_create(
        actor=actor, person=person, agreement=agreement, proposed_on=proposed
    )
    clock_stage(actor=None, referral=referral, days_ago=days_ago)
    return referral


@action("demo.clock_stage", records=("days_ago",))
def clock_stage(*, actor, days_ago: int, notice: Notice | None = None,
                referral: Referral | None = None) -> None:  # fmt: skip
    """Demo staging, and only that: a notice served or a referral made `days_ago` days ago, so
    its window has run that long. An action like any other, so the log binds what it moves."""
    moved = timezone.now() - timedelta(days=days_ago)
    if notice is not None:
        Notice.objects.filter(pk=notice.pk).update(served_at=moved)
        NoticeDocument.objects.filter(notice=notice, served_electronically_at__isnull=False).update(
            served_electronically_at=moved
        )
        # The text states its deadlines from the moment of service: written again from then.
        document = NoticeDocument.objects.select_related("referral").get(notice=notice)
        text, _checked = notice_text(
            document.referral, document.language, served_at=moved, officer=notice.recorded_by,
            exigent=notice.exigent and notice.counsel_access,
            exempt=gates_passing_at_service(document.referral, moved),
        )  # fmt: skip
        NoticeDocument.objects.filter(pk=document.pk).update(text=text)
    if referral is not None:
        Referral.objects.filter(pk=referral.pk).update(referred_at=moved)


@action("demo.rows_stage")
def rows_stage(*, actor, rows: list, changes: dict) -> dict:
    """Demo staging, and only that: move the dates of `rows` (instances of one model: a visit
    ten days ago, arrivals 75 days ago) as time would have. An action like any other, so the
    log binds what it moves."""
    model = type(rows[0])
    moved = model.objects.filter(pk__in=[row.pk for row in rows]).update(**changes)
    for row in rows:
        row.refresh_from_db()
    return {"rows": moved}


def _summary() -> dict:
    referrals = Referral.objects.filter(person__case_number__startswith=PREFIX)
    ready = (
        referrals.filter(entries__status="listed", entries__manifest__locked_at__isnull=False)
        .values_list("entries__manifest", flat=True)
        .first()
    )
    return {"referrals": referrals.count(), "manifest_ready": ready}


def demo_transfers_ensure() -> dict:
    """Stage the demo's referrals, flights and manifests once; running it again changes
    nothing. Returns how many demo referrals exist and the locked manifest ready to depart."""
    if Referral.objects.filter(person__case_number__startswith=PREFIX).exists():
        return _summary()
    demo_accounts_ensure()
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    officer, supervisor = users["sending.officer"], users["sending.supervisor"]
    receiving = users["receiving.officer"]
    rwanda = Agreement.objects.get(key="us-rwanda")
    today = timezone.localdate()
    with transaction.atomic():
        docs = [_case_file(*row) for row in PEOPLE]
        case_import(actor=None, records=list(enumerate(docs, 1)), source="demo transfers")
        p = {x.case_number[len(PREFIX) :]: x for x in Person.objects.filter(
            case_number__startswith=PREFIX)}  # fmt: skip

        # Open, awaiting notice; and one to Eswatini, out of Rwanda's sight.
        _refer(officer, p["01"], rwanda, days_ago=1)
        _refer(officer, p["14"], Agreement.objects.get(key="us-eswatini"), days_ago=2)
        # Notice served three days ago: the ten-day window is running.
        _staged_notice(officer, _refer(officer, p["02"], rwanda, days_ago=5), days_ago=3)
        # A fear of Rwanda stated after the notice, not yet screened.
        claimant = _refer(officer, p["03"], rwanda, days_ago=9)
        _staged_notice(officer, claimant, days_ago=6)
        services.fear_claim_record(actor=officer, person=claimant.person, country="RW",
                                   stated_on=today - timedelta(days=5))  # fmt: skip
        # Accepted by Rwanda while the window still runs; and declined, with reasons.
        accepted = _refer(officer, p["04"], rwanda, days_ago=8)
        _staged_notice(officer, accepted, days_ago=4)
        services.acceptance_decide(actor=receiving, referral=accepted, decision="accepted")
        declined = _refer(officer, p["05"], rwanda, days_ago=12)
        _staged_notice(officer, declined, days_ago=10)
        services.acceptance_decide(
            actor=receiving, referral=declined, decision="declined",
            reasons="Identity documents could not be verified with the country of nationality.",
        )  # fmt: skip
        services.referral_withdraw(actor=officer, referral=_refer(officer, p["06"], rwanda, 15),
                                   reason="A motion to reopen was granted.")  # fmt: skip

        # Today's flight: two people cleared, planned, departed; one handed over.
        for number in ("07", "08"):
            cleared = _refer(officer, p[number], rwanda, days_ago=30, proposed_in=0)
            _staged_notice(officer, cleared, days_ago=20)
            services.acceptance_decide(actor=receiving, referral=cleared, decision="accepted")
        gone = services.flight_create(actor=supervisor, agreement=rwanda, departs_on=today,
                                      route="IAD-KGL", seats=4)  # fmt: skip
        services.plan_create(actor=supervisor, flight=gone, policy_name="default-2026")
        services.manifest_lock(actor=supervisor, manifest=gone.manifest)
        services.manifest_depart(actor=supervisor, manifest=gone.manifest)
        arrived = gone.manifest.entries.get(referral__person=p["08"])
        services.handover_record(actor=receiving, entry=arrived, at=timezone.now(),
                                 place="Kigali International Airport")  # fmt: skip

        # Today's second flight: a family of three and two others, planned and locked; then a
        # stay is granted to one of them, which will take him off at departure. (A manifest
        # departs only on its flight's day, so the one left to depart flies today.)
        for number in ("09", "10", "11", "12", "13"):
            cleared = _refer(officer, p[number], rwanda, days_ago=25, proposed_in=0)
            _staged_notice(officer, cleared, days_ago=15)
            services.acceptance_decide(actor=receiving, referral=cleared, decision="accepted")
        ready = services.flight_create(actor=supervisor, agreement=rwanda, departs_on=today,
                                       route="IAD-KGL (evening)", seats=6,
                                       escort_ratio=1.5)  # fmt: skip
        services.plan_create(actor=supervisor, flight=ready, policy_name="default-2026")
        services.manifest_lock(actor=supervisor, manifest=ready.manifest)
        services.stay_record(actor=officer, person=p["13"], granted_by="BIA", valid_from=today)

        # Cleared and waiting for the next flight to be planned.
        waiting = _refer(officer, p["15"], rwanda, days_ago=22)
        _staged_notice(officer, waiting, days_ago=16)
        services.acceptance_decide(actor=receiving, referral=waiting, decision="accepted")
        # No template in Tigrinya: the English notice read by an interpreter; a fear of
        # Rwanda stated, screened and found negative.
        interpreted = _refer(officer, p["16"], rwanda, days_ago=10)
        _staged_notice(
            officer, interpreted, days_ago=8, language="en",
            interpreter_name="Interpreter on the demo roster", interpreter_language="ti",
            interpreter_attestation="I read the whole notice aloud in Tigrinya; she said she "
                                    "understood it and asked no questions.",
        )  # fmt: skip
        claim = services.fear_claim_record(actor=officer, person=interpreted.person, country="RW",
                                           stated_on=today - timedelta(days=7))  # fmt: skip
        services.fear_claim_screen(actor=officer, claim=claim, outcome="negative",
                                   screened_on=today - timedelta(days=6))  # fmt: skip

        # Under an agreement with a per-person fee: El Salvador accepts two people, who depart
        # today; the acceptance reserves each fee and the departure posts it.
        el_salvador = Agreement.objects.get(key="us-el-salvador")
        for number in ("17", "18"):
            cleared = _refer(officer, p[number], el_salvador, days_ago=30, proposed_in=0)
            _staged_notice(officer, cleared, days_ago=20)
            services.acceptance_decide(actor=users["receiving.elsalvador"], referral=cleared,
                                       decision="accepted")  # fmt: skip
        fee_flight = services.flight_create(actor=supervisor, agreement=el_salvador,
                                            departs_on=today, route="IAD-SAL", seats=2)  # fmt: skip
        services.plan_create(actor=supervisor, flight=fee_flight, policy_name="default-2026")
        services.manifest_lock(actor=supervisor, manifest=fee_flight.manifest)
        services.manifest_depart(actor=supervisor, manifest=fee_flight.manifest)
    return _summary()
