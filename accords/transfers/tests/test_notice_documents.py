"""Notices as served: only one in a language the person understands can clear the notice gate,
and each notice reads as a web page and as a PDF in every language Accords has it in."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader

from accords.cases.models import Notice, Person
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement
from accords.transfers import services
from accords.transfers.models import Referral
from accords.transfers.notice_pdf import NOT_DRAWN


@pytest.fixture
def world(db):
    world_ensure()
    user_create(actor=None, username="counsel.two", password=DEMO_PASSWORD, role="counsel")
    return {u.username: u for u in User.objects.all()}


def _referral(world, number: str, **person) -> Referral:
    doc = case_doc(number, notices=[], acceptances=[], person=person)
    case_import(actor=None, records=[(1, doc)], source="test")
    return services.referral_create(
        actor=world["sending.officer"],
        person=Person.objects.get(case_number=number),
        agreement=Agreement.objects.get(key="us-rwanda"),
        proposed_on=timezone.localdate(),
    )


def _notice_gate(referral: Referral) -> dict:
    now = timezone.now().replace(tzinfo=None)
    explanation = case_explanation(referral.person, referral.agreement, now)
    return next(g for g in explanation["gates"] if g["gate"] == "us.notice")


def _backdate(notice: Notice, days: int) -> None:
    # Simulates the notice's window having run: served `days` ago rather than just now.
    Notice.objects.filter(pk=notice.pk).update(served_at=timezone.now() - timedelta(days=days))


def test_only_a_notice_the_person_understands_clears_the_notice_gate(world):
    referral = _referral(world, "N-1", languages=["ti"], counsel="counsel")
    officer = world["sending.officer"]
    unread = services.notice_serve(actor=officer, referral=referral, language="en")
    assert not unread.understood
    gate = _notice_gate(referral)
    assert gate["outcome"] != "pass" and "language the person understands" in gate["reason"]
    # Its window running out changes nothing: the person could not read it.
    _backdate(unread, 12)
    assert _notice_gate(referral)["outcome"] != "pass"

    read_aloud = services.notice_serve(
        actor=officer, referral=referral, language="en", interpreter_name="T. Interpreter",
        interpreter_language="ti",
        interpreter_attestation="I read this notice aloud in Tigrinya; the person understood it.",
    )  # fmt: skip
    assert read_aloud.understood
    running = _notice_gate(referral)
    assert running["outcome"] == "pending" and running["earliest_clear"] > timezone.localdate()
    _backdate(read_aloud, 11)
    assert _notice_gate(referral)["outcome"] == "pass"


def test_a_notice_in_the_persons_own_language_clears_once_its_window_has_run(world):
    referral = _referral(world, "N-2", languages=["fr", "en"])
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language="fr")  # fmt: skip
    assert _notice_gate(referral)["reason"] == "the 24-hour notice period is running"
    _backdate(notice, 11)
    assert _notice_gate(referral)["outcome"] == "pass"


def _pdf_text(pdf: bytes) -> str:
    """The text drawn on the PDF's pages, as a PDF reader extracts it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def test_a_script_the_font_cannot_draw_is_marked_not_dropped(world, client):
    """An interpreter's attestation written in Ge'ez script (the font draws Latin and Arabic):
    the PDF marks the line and says why, and the record keeps it as written."""
    referral = _referral(world, "N-4", languages=["ti"])
    attestation = "ኣንቢበዮ"  # synthetic words in Ge'ez script
    notice = services.notice_serve(
        actor=world["sending.officer"], referral=referral, language="en",
        interpreter_name="Interpreter One", interpreter_language="ti",
        interpreter_attestation=attestation,
    )  # fmt: skip
    client.login(username="sending.officer", password=DEMO_PASSWORD)
    pdf = client.get(f"/notices/{notice.document.pk}.pdf").content
    text = " ".join(_pdf_text(pdf).split())  # lines wrapped on the page joined again
    assert NOT_DRAWN in text and "cannot draw" in text and attestation not in text
    assert notice.document.interpreter_attestation == attestation


@pytest.mark.parametrize("language", ["en", "es", "fr", "ar"])
def test_each_notice_is_a_real_pdf(world, client, language):
    referral = _referral(world, "N-3", languages=[language], counsel="counsel")
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language=language)  # fmt: skip
    document = notice.document
    client.login(username="sending.officer", password=DEMO_PASSWORD)
    response = client.get(f"/notices/{document.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    text = " ".join(_pdf_text(pdf).split())
    for shown in ("N-3", "Rwanda", "us-rwanda", "Served electronically on counsel"):
        assert shown in text
    assert ("NOT checked" in text) is (not document.translation_checked)
    # The exact text as served travels inside the PDF, whatever the fonts could draw.
    assert document.text.encode("utf-8") in pdf
    # Every language Accords has notices in is drawn, in the notice's own words.
    assert NOT_DRAWN not in text and "cannot draw" not in text
    if language == "ar":
        # Drawn in Arabic letters, shaped (a reader gets their joined forms back, which do not
        # read as the words typed), with the Latin names inside the Arabic text as typed.
        assert any("\u0600" <= c <= "\u06ff" for c in text)
        assert {"Rwanda", "counsel", "United", "States"} <= _words(text)
    else:
        said = _words(document.text)
        assert len(said & _words(text)) > 0.9 * len(said)


def test_the_notice_page_shows_the_text_and_the_record_of_service(world, client):
    referral = _referral(world, "N-4", languages=["ti"], counsel="counsel")
    services.notice_serve(
        actor=world["sending.officer"], referral=referral, language="ar",
        interpreter_name="T. Interpreter", interpreter_language="ti",
        interpreter_attestation="Read aloud in Tigrinya.",
    )  # fmt: skip
    document = referral.notices.get()
    client.login(username="counsel", password=DEMO_PASSWORD)
    page = client.get(f"/notices/{document.pk}/").content.decode()
    assert 'lang="ar" dir="rtl"' in page and "إشعار بالترحيل إلى بلد ثالث" in page
    assert "translation not checked by a qualified translator" in page
    assert "T. Interpreter" in page and "Read aloud in Tigrinya." in page
    assert f"{document.served_electronically_at:%Y-%m-%d}" in page


def test_notices_are_shown_only_to_who_may_see_the_person(world, client):
    referral = _referral(world, "N-5", counsel="counsel.two")
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language="es")  # fmt: skip
    pk = notice.document.pk
    client.login(username="counsel", password=DEMO_PASSWORD)
    assert client.get(f"/notices/{pk}/").status_code == 404
    assert client.get(f"/notices/{pk}.pdf").status_code == 404
    client.login(username="counsel.two", password=DEMO_PASSWORD)
    assert client.get(f"/notices/{pk}.pdf").status_code == 200
    client.login(username="finance", password=DEMO_PASSWORD)
    assert client.get(f"/notices/{pk}/").status_code == 403
    client.logout()
    assert client.get(f"/notices/{pk}.pdf").status_code == 302


def test_every_notice_rule_is_spelled_out_in_each_notice_language():
    """Every version of every rule a notice explains, in every language: plain sentences
    with their figures filled in, or the regime's own words marked as given in English."""
    from accords.law.regime import load_regime
    from accords.transfers.notices import NOTICE_GATES, NOTICE_LANGUAGES, RIGHTS, rules_in_force

    for regime_id, gates in NOTICE_GATES.items():
        regime = load_regime(regime_id)
        for gate_id in gates:
            for version in regime.gate(gate_id).versions:
                assert version.kind in RIGHTS, f"{gate_id} {version.kind} has no plain words"
                day = version.begins or timezone.localdate().replace(year=2000)
                for language in NOTICE_LANGUAGES:
                    lines = rules_in_force(regime_id, day, language)
                    assert lines and not any("%(" in line for line in lines), (gate_id, language)


@pytest.mark.django_db
def test_a_spanish_notice_gives_the_deadlines_in_spanish(world):
    referral = _referral(world, "N-ES")
    services.notice_serve(actor=world["sending.officer"], referral=referral, language="es")
    text = referral.notices.get().text
    assert "Este aviso debe entregársele al menos 24 horas antes de la expulsión." in text
    assert "No será expulsado antes del" in text
    assert "You have" not in text and "If you say" not in text and "You will" not in text


def test_a_rule_with_no_plain_words_yet_is_given_in_english_and_said_to_be(monkeypatch):
    from accords.transfers import notices

    day = timezone.localdate()
    kind = notices.load_regime("us").gate("us.notice").version_on(day).kind
    monkeypatch.delitem(notices.RIGHTS, kind)
    line = notices.rules_in_force("us", day, "es")[0]
    assert line.startswith("- Written notice naming the destination") and "(en inglés)" in line
