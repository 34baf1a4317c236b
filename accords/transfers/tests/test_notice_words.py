"""The notice's words: gettext catalogues with every plural form, country names in the notice's
language, deadlines as a date and time in the person's zone (across a change of summer time,
and under a programme's 10 days beside the law's 24 hours), the person, the serving officer and
counsel named, on the page and in the PDF. Most tests render unsaved records: no database."""

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel import Locale
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader

from accords.cases.models import Person
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.cases.tests.test_case_file_says_more import OUTSIDE_COUNSEL
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.law.policy import ProgrammePolicy
from accords.registry.models import Agreement
from accords.transfers import notices, services
from accords.transfers.models import Referral

NOTICES_PY = Path(notices.__file__)
TRANSLATED = ("es", "fr", "ar")


def _unsaved(sending="US", receiving="RW", regime="us", detained=False) -> Referral:
    person = Person(case_number="W-1", given_name="Tamsin", family_name="Orvelle",
                    birth_date=date(1990, 1, 1), detained=detained)  # fmt: skip
    agreement = Agreement(key=f"{sending}-{receiving}".lower(), name="English name only",
                          sending_state_id=sending, receiving_state_id=receiving,
                          regime=regime)  # fmt: skip
    return Referral(person=person, agreement=agreement, proposed_on=date(2026, 12, 1))


OFFICER = User(username="officer.account", first_name="Pat", last_name="Quillfeather")


def _text(language, served_at, referral=None, policies=(), **kw) -> str:
    text, _checked = notices.notice_text(
        referral or _unsaved(), language, served_at=served_at, officer=OFFICER,
        policies=policies, **kw,
    )  # fmt: skip
    return text


# --- country names and the agreement in the notice's language ----------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_notice_names_the_countries_in_its_own_language(language):
    text = _text(language, datetime(2026, 5, 4, 14, tzinfo=UTC))
    names = Locale(language).territories
    assert names["US"] in text and names["RW"] in text
    assert "United States" not in text and "English name only" not in text
    # the agreement is named by its two states, in the language
    agreement = notices.translation(language).gettext("the %(sending)s–%(receiving)s agreement")
    assert agreement % {"sending": names["US"], "receiving": names["RW"]} in text


def test_the_english_notice_reads_as_before_with_names_and_a_deadline():
    text = _text("en", datetime(2026, 5, 4, 14, tzinfo=UTC))
    assert "United States" in text and "Rwanda" in text
    assert "To: Tamsin Orvelle, case W-1." in text
    assert "Served by: Pat Quillfeather" in text and "officer.account" not in text
    assert "Counsel of record: none of record." in text


# --- deadlines ------------------------------------------------------------------------------------


def _line(text: str, words: str) -> str:
    return next(line for line in text.splitlines() if words in line)


def test_the_24_hour_deadline_across_the_end_of_summer_time():
    """Served at 01:30 New York summer time on the night the clocks go back: 24 elapsed hours
    later, as the engine counts, the clock reads 00:30 standard time the next day."""
    served = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    line = _line(_text("en", served), "You will not be removed before")
    assert "Monday, November 2, 2026" in line and "12:30" in line and "AM" in line
    assert "Eastern Standard Time, GMT-05:00" in line
    # the moment of service is told in summer time
    assert "Eastern Daylight Time" in _line(_text("en", served), "Served by:")
    # exigent, with access to counsel: 6 elapsed hours, 11:30 UTC, 06:30 standard time
    exigent = _line(_text("en", served, exigent=True), "You will not be removed before")
    assert "Sunday, November 1, 2026" in exigent and "6:30" in exigent
    assert "Eastern Standard Time" in exigent


def test_the_programmes_10_days_beside_the_laws_24_hours_across_the_change():
    """The law in force asks 24 hours; the programme gives 10 days. The notice gives both
    deadlines, the programme's the later, across the change from summer time."""
    served = datetime(2026, 10, 28, 15, 0, tzinfo=UTC)  # 11:00 EDT
    policy = ProgrammePolicy(begins=date(2026, 1, 1), notice_days=10, chosen_by="someone",
                             chosen_on=date(2026, 1, 1))  # fmt: skip
    text = _text("en", served, policies=(policy,))
    law = _line(text, "You will not be removed before")
    assert "Thursday, October 29, 2026" in law and "11:00" in law and "Daylight" in law
    programme = _line(text, "This programme gives you 10 days of notice")
    assert "Saturday, November 7, 2026" in programme and "10:00" in programme
    assert "Eastern Standard Time" in programme
    # without the policy, only the law's deadline
    assert "This programme" not in _text("en", served)
    # and in Spanish, the same moment in Spanish words
    es = _line(_text("es", served, policies=(policy,)), "Este programa le da 10 días")
    assert "sábado, 7 de noviembre de 2026" in es and "10:00" in es


def test_the_fear_claim_window_is_a_date_when_the_10_day_rule_was_in_force():
    served = datetime(2025, 6, 2, 16, 0, tzinfo=UTC)  # 12:00 EDT, days_to_claim_fear in force
    line = _line(_text("fr", served), "Dites que vous craignez")
    assert "jeudi 12 juin 2025" in line and "12:00" in line and "UTC-04:00" in line


def test_uk_deadlines_follow_the_step_and_detention():
    served = datetime(2026, 3, 27, 10, 0, tzinfo=UTC)  # a Friday; London changes on 29 March
    detained = _unsaved("GB", "RW", "uk", detained=True)
    answer = _line(_text("en", served, detained, uk_step="notice_of_intent"), "Answer this notice")
    # 7 days, the window runs to the end of the 7th day (UTC): 4 April 00:00 UTC = 01:00 BST
    assert "Saturday, April 4, 2026" in answer and "1:00" in answer
    assert "British Summer Time" in answer
    removal = _line(_text("en", served, detained, uk_step="removal_directions"),
                    "You will not be removed before")  # fmt: skip
    # 72 hours end Monday 30 March 10:00 UTC; 2 working days after Friday run on Tuesday
    # 31 March: cleared from Wednesday 1 April (UTC), as the engine's day counts
    assert "Wednesday, April 1, 2026" in removal
    assert "You will not be removed" not in _text("en", served, detained, uk_step="")


@pytest.fixture
def world(db):
    world_ensure()
    return {u.username: u for u in User.objects.all()}


def _referral(number: str, **person) -> Referral:
    doc = case_doc(number, notices=[], acceptances=[], person=person)
    case_import(actor=None, records=[(1, doc)], source="test")
    return services.referral_create(
        actor=User.objects.get(username="sending.officer"),
        person=Person.objects.get(case_number=number),
        agreement=Agreement.objects.get(key="us-rwanda"),
        proposed_on=timezone.localdate(),
    )


def test_the_deadline_stated_is_when_the_engine_lets_the_notice_gate_pass(world):
    referral = _referral("W-ENG", languages=["en"])
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language="en")  # fmt: skip
    version = notices.load_regime("us").gate("us.notice").version_on(timezone.localdate())
    kind, ends = notices.deadline("us.notice", version, notice.served_at)
    said = notices.Words("en", notices.person_zone(referral.person, referral.agreement))
    assert said.moment(ends) in notice.document.text

    def outcome(at: datetime) -> str:
        found = case_explanation(referral.person, referral.agreement, at.replace(tzinfo=None))
        return next(g for g in found["gates"] if g["gate"] == "us.notice")["outcome"]

    assert outcome(ends - timedelta(minutes=1)) == "pending"
    assert outcome(ends + timedelta(minutes=1)) == "pass"


def test_no_deadline_where_the_order_already_designates_the_destination(world):
    """The engine needs no notice where the removal order names the receiving state: the
    notice then promises no moment the engine would not hold the transfer to."""
    order = {"basis": "INA240", "entered_on": "2024-06-01", "final_on": "2024-07-01",
             "final_how": "no_appeal", "designated_countries": ["HN", "RW"]}  # fmt: skip
    doc = case_doc("W-DES", notices=[], acceptances=[], removal_orders=[order],
                   person={"languages": ["en"]})  # fmt: skip
    case_import(actor=None, records=[(1, doc)], source="test")
    referral = services.referral_create(
        actor=world["sending.officer"], person=Person.objects.get(case_number="W-DES"),
        agreement=Agreement.objects.get(key="us-rwanda"), proposed_on=timezone.localdate(),
    )  # fmt: skip
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language="en")  # fmt: skip
    text = notice.document.text
    assert "24 hours before removal" in text and "You will not be removed before" not in text


def test_a_demo_notice_moved_back_in_time_states_its_deadline_from_then(world):
    from accords.demo.transfers import clock_stage

    referral = _referral("W-CLK", languages=["en"])
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language="en")  # fmt: skip
    clock_stage(actor=None, notice=notice, days_ago=3)
    notice.refresh_from_db()
    version = notices.load_regime("us").gate("us.notice").version_on(timezone.localdate())
    _kind, ends = notices.deadline("us.notice", version, notice.served_at)
    said = notices.Words("en", notices.person_zone(referral.person, referral.agreement))
    text = notice.document.__class__.objects.get(pk=notice.document.pk).text
    assert said.moment(ends) in text and said.moment(notice.served_at) in text


# --- Arabic plural forms ---------------------------------------------------------------------------


AR_DAYS = {1: "يوم واحد", 2: "يومان", 3: "3 أيام", 11: "11 يوماً", 100: "100 يوم"}


@pytest.mark.parametrize("days", sorted(AR_DAYS))
def test_arabic_says_each_count_of_days_in_its_own_plural_form(monkeypatch, days):
    """A rule version whose figure changes: the Arabic notice takes the form the count needs."""
    version = SimpleNamespace(kind="days_to_claim_fear", parameters={"days": days},
                              begins=None, reference="test")  # fmt: skip
    gate = SimpleNamespace(version_on=lambda day: version, description="")
    monkeypatch.setattr(notices, "load_regime", lambda _: SimpleNamespace(gate=lambda _: gate))
    line = notices.rules_in_force("us", date(2026, 1, 1), "ar")[0]
    assert AR_DAYS[days] in line
    others = [form for n, form in AR_DAYS.items() if n != days and form not in AR_DAYS[days]]
    assert not any(form in line for form in others), line
    if days == 100:
        assert "يوماً" not in line


# --- the catalogues --------------------------------------------------------------------------------


def _msgids() -> set:
    keywords = {"gettext": None, "ngettext": (1, 2)}
    return {m[1] for m in extract_from_file("python", NOTICES_PY, keywords=keywords)}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_notice_message_is_translated_with_all_its_plural_forms(language):
    po = notices.LOCALE_DIR / language / "LC_MESSAGES" / "notices.po"
    with po.open("rb") as f:
        catalogue = read_po(f, locale=language)
    missing, incomplete = [], []
    for msgid in _msgids():
        message = catalogue.get(msgid)
        if message is None or message.fuzzy or not message.string:
            missing.append(msgid)
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(msgid, tuple) and len(forms) != catalogue.num_plurals:
            incomplete.append(msgid)
        if any(not form for form in forms):
            incomplete.append(msgid)
        # every placeholder a translation uses is one the message gives
        for form in forms:
            form % {"days": 1, "hours": 1, **{k: "" for k in _placeholders(msgid)}}
    assert not missing, f"{language}: no translation for {missing}"
    assert not incomplete, f"{language}: plural forms missing for {incomplete}"
    if language == "ar":
        assert catalogue.num_plurals == 6


def _placeholders(msgid) -> set[str]:
    import re

    text = " ".join(msgid) if isinstance(msgid, tuple) else msgid
    return set(re.findall(r"%\((\w+)\)s", text))


# --- the page and the PDF name the person, the serving officer and counsel -------------------------


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


@pytest.mark.parametrize("counsel", ["counsel", OUTSIDE_COUNSEL], ids=["in-accords", "outside"])
def test_the_pdf_and_page_name_person_officer_and_counsel(world, client, counsel):
    referral = _referral("W-PDF", languages=["es"], counsel=counsel)
    extra = {} if counsel == "counsel" else {"counsel_service": "mail"}
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language="es", **extra)  # fmt: skip
    person = referral.person
    officer = world["sending.officer"].get_full_name()
    named = "Robin Asterley" if counsel == "counsel" else "Ada Placeholder"
    assert officer and f"{person.given_name} {person.family_name}" in notice.document.text
    client.login(username="sending.officer", password=DEMO_PASSWORD)
    pdf = _pdf_text(client.get(f"/notices/{notice.document.pk}.pdf").content)
    page = client.get(f"/notices/{notice.document.pk}/").content.decode()
    for shown in (person.given_name, person.family_name, person.case_number, officer, named):
        assert shown in pdf and shown in page, shown
    assert "sending.officer" not in pdf and "Served by: sending.officer" not in page


def test_a_notice_pdf_instantiates_no_font(monkeypatch):
    """The variable font is instantiated once per machine, never per PDF (it took some 4 s a
    weight); Arabic lines are still shaped and drawn."""
    from fontTools.varLib import instancer

    from accords.cases.models import Notice
    from accords.registry.models import State
    from accords.transfers import notice_pdf
    from accords.transfers.models import NoticeDocument

    for weight in notice_pdf.WEIGHTS.values():
        notice_pdf.static_font(weight)

    def instantiated(*args, **kwargs):
        raise AssertionError("a variable font was instantiated while drawing a PDF")

    monkeypatch.setattr(instancer, "instantiateVariableFont", instantiated)
    referral = _unsaved()
    referral.agreement.sending_state = State(code="US", name="United States")
    referral.agreement.receiving_state = State(code="RW", name="Rwanda")
    served = datetime(2026, 11, 2, 15, tzinfo=UTC)
    text = _text("ar", served, referral)
    notice = Notice(person=referral.person, destination="RW", served_at=served, language="ar",
                    understood=True, served_on="person", recorded_by=OFFICER)  # fmt: skip
    document = NoticeDocument(notice=notice, referral=referral, language="ar",
                              translation_checked=False, text=text)  # fmt: skip
    drawn = _pdf_text(notice_pdf.notice_pdf(document))
    assert "Pat Quillfeather" in drawn and "Tamsin" in drawn
    assert any("\u0600" <= c <= "\u06ff" for c in drawn)
