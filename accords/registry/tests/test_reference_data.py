"""The shipped reference data: complete, credited, idempotent, and refused whole when wrong."""

import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from accords.audit.models import AuditEntry
from accords.core.tests.world import registry_empty
from accords.registry.models import (
    Agreement,
    Credit,
    ReportedTransfer,
    Source,
    StatusChange,
    Term,
)
from accords.registry.reference import DATA_DIR, reference_data_load
from accords.registry.services import partial_date
from accords.registry.tests.seed_facts import SEED_FACTS

AGREEMENTS_MD = [
    "uk-rwanda", "us-el-salvador", "us-rwanda", "us-eswatini", "us-south-sudan", "us-uganda",
    "us-ghana", "us-costa-rica", "us-panama", "us-kosovo", "us-equatorial-guinea", "us-palau",
    "us-libya",
    # The update of December 2026
    "us-cameroon", "us-paraguay", "us-belize", "us-honduras", "us-guatemala", "nl-uganda",
    "it-albania",
]  # fmt: skip


def _row_counts() -> dict:
    models = (Agreement, Term, StatusChange, ReportedTransfer, Source, Credit)
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.django_db
def test_every_agreement_of_the_design_is_shipped(reference_data):
    assert set(Agreement.objects.values_list("key", flat=True)) == set(AGREEMENTS_MD)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(reference_data):
    first = _row_counts()
    again = reference_data_load(actor=None)
    assert _row_counts() == first
    assert not [what for what in again if "created" in what], again
    assert again["terms kept"] == first["Term"]


@pytest.mark.django_db
def test_every_fact_is_credited_to_at_least_one_source(reference_data):
    for model in (Term, StatusChange, ReportedTransfer):
        uncredited = model.objects.filter(credits__isnull=True)
        assert not uncredited.exists(), list(uncredited)


@pytest.mark.django_db
@pytest.mark.parametrize("fact", SEED_FACTS, ids=lambda f: f"{f['agreement']}:{f['says'][:40]}")
def test_every_seed_article_fact_is_in_the_registry_credited_to_it(reference_data, fact):
    agreement = Agreement.objects.get(key=fact["agreement"])
    credited = Credit.objects.filter(source__key=fact["source"])
    if fact["kind"] == "term":
        assert credited.filter(term__agreement=agreement, term__key=fact["key"]).exists()
    else:
        day, precision = partial_date(fact["on"], field="on")
        if fact["kind"] == "status":
            lookup = {"status_change__agreement": agreement, "status_change__on": day}
            lookup["status_change__status"] = fact["status"]
        else:
            lookup = {"reported_transfer__agreement": agreement, "reported_transfer__on": day}
        assert credited.filter(**lookup).exists(), fact


@pytest.mark.django_db
def test_both_seed_articles_are_sources(reference_data):
    seeds = {fact["source"] for fact in SEED_FACTS}
    assert len(seeds) == 2
    assert Source.objects.filter(key__in=seeds, kind="press_report").count() == 2


@pytest.mark.django_db
def test_the_uk_rwanda_history_reads_in_date_order_through_the_ruling_to_the_end(reference_data):
    history = list(
        StatusChange.objects.filter(agreement__key="uk-rwanda").values_list("on", "status")
    )
    days = [on for on, _ in history]
    assert days == sorted(days)
    statuses = [status for _, status in history]
    assert statuses[0] == "signed"
    assert ("2023-11-15", "ruled_unlawful") in [(str(d), s) for d, s in history]
    assert ("2024-04-25", "in_force") in [(str(d), s) for d, s in history]
    assert history[-1][1] == "ended" and str(history[-1][0]) == "2024-07-06"
    assert statuses.index("ruled_unlawful") < statuses.index("in_force") < statuses.index("ended")


@pytest.mark.django_db
def test_disagreeing_sources_are_both_kept(reference_data):
    paid = Term.objects.filter(agreement__key="us-el-salvador", money_kind="lump_sum")
    amounts = {t.amount for t in paid}
    assert {4760000, 6000000} <= {int(a) for a in amounts if a is not None}
    sources = {c.source.key for t in paid for c in t.credits.all()}
    assert len(sources) >= 2


@pytest.mark.django_db
def test_uk_rwanda_money_terms_carry_their_currency(reference_data):
    money = Term.objects.filter(agreement__key="uk-rwanda", kind="money", amount__isnull=False)
    assert money.count() >= 7
    assert set(money.values_list("currency", flat=True)) == {"GBP"}
    assert money.filter(money_kind="compensation_claim").exists()


@pytest.mark.django_db
def test_no_real_person_is_named_in_the_reference_data():
    # The seed articles name individuals; the registry records only "an individual case".
    names = ["Ameen", "Abdulsattar", "Braverman", "Nduhungirehe", "Rubio", "Kabas"]
    for path in DATA_DIR.rglob("*.yaml"):
        text = path.read_text()
        assert not [n for n in names if n in text], path.name


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.mark.django_db
def test_a_bad_file_is_refused_whole_naming_file_entry_and_field(tmp_path):
    registry_empty()
    entries = AuditEntry.objects.count()
    data = _copy_data(tmp_path)
    path = data / "agreements" / "us-palau.yaml"
    path.write_text(path.read_text().replace("currency: USD", "currency: XXQ", 1))
    with pytest.raises(ValidationError) as refused:
        reference_data_load(actor=None, directory=data)
    message = str(refused.value)
    assert "us-palau.yaml terms[" in message and "currency" in message
    assert _row_counts() == dict.fromkeys(_row_counts(), 0)
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_fact_without_a_source_is_refused(tmp_path):
    registry_empty()
    data = _copy_data(tmp_path)
    path = data / "agreements" / "us-ghana.yaml"
    text = path.read_text()
    start = text.index("    sources:", text.index("terms:"))
    end = text.index("\n  - ", start)
    path.write_text(text[:start] + "    sources: []" + text[end:])
    with pytest.raises(ValidationError, match="us-ghana.yaml terms.*sources"):
        reference_data_load(actor=None, directory=data)
    assert not Agreement.objects.exists()
