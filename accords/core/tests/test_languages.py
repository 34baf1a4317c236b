"""Every user in their language and time zone: pages in English, French, Spanish and Arabic
(right to left), the language a visitor's browser asks for, each user's language and zone kept
on their profile, every time shown in the reader's zone, and the hand-over form read in it."""

import gettext
import io
import re
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.utils import formats, timezone, translation

from accords.audit.models import AuditEntry
from accords.core.catalogues import APP_TEMPLATES, PLURAL_FORMS, catalogues, compiled, messages
from accords.core.models import Profile
from accords.demo.accounts import DEMO_PASSWORD
from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.tests import stages

KIGALI, NEW_YORK = ZoneInfo("Africa/Kigali"), ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def english_after():
    """A request leaves its language active in this thread: each test ends in English."""
    yield
    translation.activate("en")


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def _translated(po_language: str) -> dict:
    """Every translation of the project's catalogues in one language, by message id."""
    found = {}
    for po in catalogues():
        if po.parent.parent.name == po_language:
            with po.open("rb") as source:
                found.update({m.id: m.string for m in read_po(source)
                              if m.id and m.string and not m.context})  # fmt: skip
    return found


def test_every_message_marked_in_the_owned_pages_is_translated_in_each_language():
    """Extracts the messages marked in each app's templates and Python now (not what the
    catalogues say they hold) and lists every one missing a translation."""
    missing = []
    for app in APP_TEMPLATES:
        marked = [m for m in messages(app) if m.id]
        for language in PLURAL_FORMS:
            po = next(
                p
                for p in catalogues()
                if p.name == "django.po" and p.parts[-5] == app and p.parts[-3] == language
            )
            with po.open("rb") as source:
                catalogue = read_po(source, locale=language)
            for message in marked:
                have = catalogue.get(message.id, context=message.context)
                strings = have.string if have else ""
                strings = strings if isinstance(strings, tuple) else (strings,)
                if have is None or have.fuzzy or not all(strings):
                    missing.append(f"{app}/{language}: {message.id!r}")
    assert missing == [], "untranslated (run `python -m accords.core.catalogues extract`):\n" + (
        "\n".join(missing)
    )


def test_arabic_plural_forms_compile_and_choose_each_of_the_six_forms():
    (po,) = [
        p
        for p in catalogues()
        if p.name == "django.po" and p.parts[-5] == "transfers" and p.parts[-3] == "ar"
    ]
    catalogue = gettext.GNUTranslations(io.BytesIO(compiled(po)))
    forms = {n: catalogue.ngettext("%(n)s person listed", "%(n)s people listed", n) % {"n": n}
             for n in (0, 1, 2, 3, 11, 100, 102, 111)}  # fmt: skip
    assert len({forms[n].replace(str(n), "") for n in (0, 1, 2, 3, 11, 100)}) == 6, forms
    assert forms[2] == "شخصان مدرجان (2)" and forms[3] == "3 أشخاص مدرجين"
    assert forms[11] == forms[111].replace("111", "11") == "11 شخصًا مدرجًا"  # "many"
    assert forms[102].replace("102", "") == forms[100].replace("100", "")  # "other" again
    with translation.override("ar"):
        assert translation.ngettext("%(n)s referral", "%(n)s referrals", 2) == "إحالتان (%(n)s)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "asks, lang, direction",
    [("en-GB,en;q=0.8", "en", "ltr"), ("fr-FR,fr;q=0.9,en;q=0.5", "fr", "ltr"),
     ("es-SV,es;q=0.9", "es", "ltr"), ("ar-LY,ar;q=0.9,en;q=0.3", "ar", "rtl")],
)  # fmt: skip
def test_a_visitor_reads_the_agreements_in_the_language_their_browser_asks_for(
    asks, lang, direction
):
    page = Client().get("/agreements/", HTTP_ACCEPT_LANGUAGE=asks).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in page
    words = ("Agreements", "Statistics", "Sign in", "Sending state", "Receiving state")
    if lang == "en":
        assert all(w in page for w in words)
        return
    catalogue = _translated(lang)
    for word in words:
        assert escape(catalogue[word]) in page and catalogue[word] != word
        assert f">{word}<" not in page, f"{word!r} left in English on the {lang} page"


def _departed_manifest(world):
    for person in stages.people("Z-1", "Z-2"):
        stages.ready(world, person)
    flight = stages.flight(world, seats=5, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    flight.manifest.refresh_from_db()
    return flight.manifest


def _shown(moment: datetime, zone: ZoneInfo) -> str:
    with translation.override("en"):
        return f"{formats.date_format(moment.astimezone(zone), 'DATETIME_FORMAT')} ({zone.key})"


@pytest.mark.django_db
def test_one_departure_reads_in_kigali_time_in_kigali_and_new_york_time_in_new_york():
    world = stages.world_make()
    manifest = _departed_manifest(world)
    kigali = _signed_in("receiving.officer").get(f"/manifests/{manifest.pk}/").content.decode()
    new_york = _signed_in("sending.supervisor").get(f"/manifests/{manifest.pk}/")
    new_york = new_york.content.decode()
    departed = manifest.departed_at
    assert _shown(departed, KIGALI) in kigali and ">Africa/Kigali<" in kigali
    assert _shown(departed, NEW_YORK) in new_york and ">America/New_York<" in new_york
    assert _shown(departed, NEW_YORK) not in kigali and _shown(departed, KIGALI) not in new_york


@pytest.mark.django_db
def test_the_hand_over_form_is_prefilled_and_read_back_in_the_officers_zone():
    world = stages.world_make()
    manifest = _departed_manifest(world)
    entry = ManifestEntry.objects.filter(manifest=manifest).order_by("pk").first()
    officer = _signed_in("receiving.officer")
    page = officer.get(f"/manifests/{manifest.pk}/").content.decode()
    offered = re.search(rf'name="e{entry.pk}-at" value="([^"]+)"', page).group(1)
    local = datetime.strptime(offered, "%Y-%m-%dT%H:%M").replace(tzinfo=KIGALI)
    assert timedelta(0) <= local - timezone.now() <= timedelta(minutes=2), (offered, "not Kigali")
    assert "In your time zone, Africa/Kigali." in page

    answer = officer.post(f"/manifest-entries/{entry.pk}/hand-over",
                          {f"e{entry.pk}-at": offered, f"e{entry.pk}-place": "Kigali"})  # fmt: skip
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "handed_over" and entry.handed_over_at == local
    after = officer.get(f"/manifests/{manifest.pk}/").content.decode()
    assert _shown(local, KIGALI) in after


@pytest.mark.django_db
def test_a_user_keeps_their_language_and_zone_on_their_profile_by_an_audited_action():
    world = stages.world_make()
    user = world["counsel"]
    client = _signed_in("counsel")
    assert ">UTC<" in client.get("/accounts/settings/").content.decode()  # no state: UTC

    refused = client.post("/accounts/settings/", {"language": "es", "time_zone": "Mars/Olympus"})
    assert refused.status_code == 200 and "time_zone" in refused.context["form"].errors
    assert Profile.objects.filter(user=user, language="", time_zone="").exists()

    entries = AuditEntry.objects.filter(action="user.preferences_set").count()
    saved = client.post("/accounts/settings/", {"language": "es", "time_zone": "America/Bogota"})
    assert saved.status_code == 302
    assert Profile.objects.filter(user=user, language="es", time_zone="America/Bogota").exists()
    entry = AuditEntry.objects.filter(action="user.preferences_set").latest("pk")
    assert AuditEntry.objects.filter(action="user.preferences_set").count() == entries + 1
    assert "America/Bogota" not in str(entry.details)  # names and a digest, not the values

    # Another browser, asking for English: the profile's Spanish and zone win.
    elsewhere = _signed_in("counsel").get("/accounts/settings/", HTTP_ACCEPT_LANGUAGE="en")
    page = elsewhere.content.decode()
    assert '<html lang="es" dir="ltr">' in page and ">America/Bogota<" in page
    assert "Idioma y zona horaria" in page

    # The header's switch keeps the choice on the profile too.
    client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/settings/"})
    assert Profile.objects.get(user=user).language == "ar"
    entries = AuditEntry.objects.filter(action="user.preferences_set").count()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/settings/"})
    assert AuditEntry.objects.filter(action="user.preferences_set").count() == entries
    assert 'dir="rtl"' in _signed_in("counsel").get("/agreements/").content.decode()


@pytest.mark.django_db
def test_an_officer_reads_times_in_their_states_zone_until_they_choose_another():
    stages.world_make()
    assert ">Africa/Kigali<" in _signed_in("receiving.officer").get("/").content.decode()
    assert ">America/New_York<" in _signed_in("sending.officer").get("/").content.decode()
    assert ">UTC<" in Client().get("/").content.decode()
