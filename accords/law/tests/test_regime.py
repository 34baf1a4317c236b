"""The regime files: dated versions, validation that names what is wrong, and the version id."""

import re
import shutil
from datetime import date

import pytest

from accords.law import regime as regimes
from accords.law.columns import cases_frame
from accords.law.evaluate import evaluate, explain
from accords.law.regime import RegimeError, load_regime, read_regime
from accords.law.tests.scenario import UK_RWANDA, US_RWANDA, us_ready

SHIPPED = regimes.REGIMES_DIR


@pytest.fixture
def regime_dir(tmp_path, monkeypatch):
    """A copy of the shipped regime files that a test may edit like an administrator would."""
    for name in ("common.yaml", "us.yaml", "uk.yaml"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    monkeypatch.setattr(regimes, "REGIMES_DIR", tmp_path)
    load_regime.cache_clear()
    yield tmp_path
    load_regime.cache_clear()


def test_every_gate_named_in_the_law_is_in_its_regime():
    assert [g.id for g in load_regime("us").gates] == [
        "agreement.in_force",
        "agreement.exclusions",
        "agreement.nationality",
        "third_country",
        "us.final_order",
        "us.no_stay",
        "us.country_sequence",
        "us.receiving_acceptance",
        "us.withholding",
        "us.cat",
        "us.no_chain_refoulement",
        "us.notice",
        "us.fear_claim",
        "us.reopen_window",
        "us.judicial_review",
        "us.assurances",
    ]
    assert {g.id for g in load_regime("uk").gates} >= {
        "uk.inadmissible",
        "uk.scheme_eligible",
        "uk.notice_of_intent",
        "uk.removal_notice",
        "uk.rule39",
        "uk.safe_country",
        "uk.compelling_circumstances",
    }


def test_the_regime_version_names_the_latest_change_and_the_content():
    assert re.fullmatch(r"us@2026-03-12\+[0-9a-f]{12}", load_regime("us").version)
    assert re.fullmatch(r"uk@2024-05-13\+[0-9a-f]{12}", load_regime("uk").version)


@pytest.mark.parametrize(
    ("day", "kind", "hours_or_days", "unconfirmed"),
    [
        (date(2025, 3, 27), "none", None, False),
        (date(2025, 3, 28), "days_to_claim_fear", 10, True),
        (date(2025, 5, 21), "days_to_claim_fear", 10, False),
        (date(2025, 6, 23), "hours_before", 0, False),
        (date(2025, 7, 9), "hours_before", 24, False),
        (date(2026, 3, 11), "hours_before", 24, False),
        (date(2026, 3, 12), "days_to_claim_fear", 10, True),
    ],
)
def test_the_notice_rule_follows_the_dvd_timeline(day, kind, hours_or_days, unconfirmed):
    version = load_regime("us").gate("us.notice").version_on(day)
    assert version.kind == kind
    assert version.parameters.get("hours", version.parameters.get("days")) == hours_or_days
    assert version.unconfirmed is unconfirmed
    assert version.reference


def test_an_administrator_settles_the_unconfirmed_rule_by_adding_a_dated_version(regime_dir):
    before = load_regime("us").version
    with open(regime_dir / "us.yaml", "a") as file:
        file.write(
            """
  - id: us.notice
    description: duplicate on purpose
    citation: x
    versions: [{kind: none, reference: x}]
"""
        )
    load_regime.cache_clear()
    with pytest.raises(RegimeError, match="gate us.notice is defined twice"):
        load_regime("us")

    shutil.copy(SHIPPED / "us.yaml", regime_dir)
    text = (regime_dir / "us.yaml").read_text()
    settled = """      - from: 2026-06-01
        kind: hours_before
        parameters:
          hours: 48
          exigent_hours: 12
          none_with_credible_assurances: false
          language_required: true
          counsel_required: true
        reference: First Circuit, D.V.D. v. DHS (appeal decided)

  - id: us.fear_claim
"""
    (regime_dir / "us.yaml").write_text(
        text.replace("\n  - id: us.fear_claim\n", "\n" + settled, 1)
    )
    load_regime.cache_clear()
    after = load_regime("us")
    assert after.version != before and after.version.startswith("us@2026-06-01+")
    on = date(2026, 6, 2)
    row = explain(us_ready(on), US_RWANDA, on)
    notice = next(g for g in row["gates"] if g["gate"] == "us.notice")
    assert notice["rule"]["parameters"]["hours"] == 48
    assert notice["unconfirmed"] is False
    assert row["regime_version"] == after.version


def test_a_date_no_version_covers_is_pending_until_an_administrator_adds_one():
    results = evaluate(cases_frame([{"case_id": "c"}]), UK_RWANDA, date(2022, 4, 1))
    scheme = results.filter(gate="uk.scheme_eligible").row(0, named=True)
    assert scheme["outcome"] == "pending"
    assert "administrator" in scheme["clears_by"]


def _write(tmp_path, body: str):
    path = tmp_path / "xx.yaml"
    path.write_text(body)
    return read_regime("xx", [path])


GATE = """
regime: xx
gates:
  - id: us.notice
    description: notice
    citation: somewhere
    versions:
"""


@pytest.mark.parametrize(
    ("versions", "message"),
    [
        ("      - {kind: telepathy, reference: r}", "gate us.notice: version 1: field kind"),
        ("      - {kind: hours_before, reference: r}", "field parameters: kind hours_before needs"),
        (
            "      - {kind: days_to_claim_fear, reference: r, parameters: "
            "{days: ten, language_required: true, counsel_required: true, order_bases: []}}",
            "field parameters.days: expected int",
        ),
        (
            "      - {kind: days_to_claim_fear, reference: r, parameters: "
            "{days: 10, language_required: true, counsel_required: true, order_bases: [INA999]}}",
            "field parameters.order_bases",
        ),
        ("      - {kind: none}", "field reference"),
        ("      - {kind: none, reference: r, from: soon}", "field from: expected a date"),
        (
            "      - {kind: none, reference: r, from: 2025-01-01, until: 2025-06-01}\n"
            "      - {kind: none, reference: r, from: 2025-03-01}",
            "field until",
        ),
        ("      - {kind: none, reference: r, colour: red}", "unknown field(s) colour"),
    ],
)
def test_bad_regime_data_is_refused_naming_file_gate_and_field(tmp_path, versions, message):
    with pytest.raises(RegimeError) as refused:
        _write(tmp_path, GATE + versions + "\n")
    assert str(refused.value).startswith("xx.yaml: gate us.notice")
    assert message in str(refused.value)


def test_an_unknown_gate_is_refused(tmp_path):
    with pytest.raises(RegimeError, match="xx.yaml: gate us.telepathy: field id"):
        _write(tmp_path, GATE.replace("us.notice", "us.telepathy") + "      - {kind: none}\n")
