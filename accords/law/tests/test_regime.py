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
    assert re.fullmatch(r"us@2026-03-17\+[0-9a-f]{12}", load_regime("us").version)
    assert re.fullmatch(r"uk@2024-05-13\+[0-9a-f]{12}", load_regime("uk").version)


@pytest.mark.parametrize(
    ("day", "kind", "hours_or_days", "confidence"),
    [
        (date(2025, 3, 27), "none", None, "official"),
        (date(2025, 3, 28), "days_to_claim_fear", 10, "unconfirmed"),
        (date(2025, 5, 21), "days_to_claim_fear", 10, "official"),
        (date(2025, 6, 23), "hours_before", 0, "official"),
        (date(2025, 7, 9), "hours_before", 24, "official"),
        (date(2026, 2, 25), "hours_before", 24, "reported"),
        (date(2026, 3, 11), "hours_before", 24, "reported"),
        (date(2026, 3, 17), "hours_before", 24, "unconfirmed"),
        (date(2027, 1, 1), "hours_before", 24, "unconfirmed"),
    ],
)
def test_the_notice_rule_follows_the_dvd_timeline(day, kind, hours_or_days, confidence):
    version = load_regime("us").gate("us.notice").version_on(day)
    assert version.kind == kind
    assert version.parameters.get("hours", version.parameters.get("days")) == hours_or_days
    assert version.confidence == confidence
    assert version.unconfirmed is (confidence == "unconfirmed")
    assert version.reference


def test_an_administrator_settles_the_unconfirmed_rule_by_adding_a_dated_version(regime_dir):
    before = load_regime("us").version
    with open(regime_dir / "us.yaml", "a") as file:
        file.write(
            """
  - id: us.notice
    title: Notice served
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
    title: Notice served
    description: notice
    citation: somewhere
    versions:
"""


@pytest.mark.parametrize(
    ("versions", "message"),
    [
        ("      - {kind: telepathy, reference: r}", "gate us.notice: version 1: field kind"),
        (
            "      - {kind: hours_before, reference: r}",
            "field parameters: required: kind hours_before needs hours, exigent_hours",
        ),
        (
            "      - {kind: days_to_claim_fear, reference: r, parameters: "
            "{days: ten, language_required: true, counsel_required: true, order_bases: []}}",
            "field parameters.days: 'ten' is not of type 'integer'",
        ),
        (
            "      - {kind: days_to_claim_fear, reference: r, parameters: "
            "{days: 10, language_required: true, counsel_required: true, order_bases: [INA999]}}",
            "field parameters.order_bases",
        ),
        ("      - {kind: none}", "field reference"),
        (
            "      - {kind: none, reference: r, from: soon}",
            "field from: expected a date (YYYY-MM-DD), got 'soon'",
        ),
        (
            "      - {kind: none, reference: r, from: 2025-01-01, until: 2025-06-01}\n"
            "      - {kind: none, reference: r, from: 2025-03-01}",
            "field until",
        ),
        (
            "      - {kind: none, reference: r, colour: red}",
            "field colour: not a field of a regime file",
        ),
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


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("gates: []", "xx.yaml: field regime: required"),
        ("regime: xx\ngates: {us.notice: 1}", "xx.yaml: field gates: {'us.notice': 1} is not of type 'array'"),
        ("regime: xx\ngates:\n  - id: us.notice\n    title: t\n    citation: c\n    versions: [{kind: none, reference: r}]",
         "xx.yaml: gate us.notice: field description: required"),
        ("regime: xx\ngates:\n  - id: us.notice\n    description: d\n    citation: c\n    versions: [{kind: none, reference: r}]",
         "xx.yaml: gate us.notice: field title: required"),
        ("regime: xx\ngates:\n  - id: us.notice\n    title: ' '\n    description: d\n    citation: c\n    versions: [{kind: none, reference: r}]",
         "xx.yaml: gate us.notice: field title: must not be empty"),
        ("regime: xx\ngates:\n  - id: us.notice\n    title: t\n    description: '  '\n    citation: c\n    versions: [{kind: none, reference: r}]",
         "xx.yaml: gate us.notice: field description: must not be empty"),
        ("regime: xx\ngates:\n  - id: us.notice\n    title: t\n    description: d\n    citation: c\n    versions: []",
         "xx.yaml: gate us.notice: field versions: [] should be non-empty"),
        ("regime: xx\ngates:\n  - [not, a, gate]", "xx.yaml: gate #1: ['not', 'a', 'gate'] is not of type 'object'"),
        ("regime: xx\ncolour: red\ngates: []", "xx.yaml: field colour: not a field of a regime file"),
        ("regime: [", "xx.yaml: not valid YAML"),
        ("", "xx.yaml: None is not of type 'object'"),
    ],
)  # fmt: skip
def test_a_broken_regime_file_is_refused_naming_file_gate_and_field(tmp_path, body, message):
    with pytest.raises(RegimeError) as refused:
        _write(tmp_path, body)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("{kind: none, reference: r, from: 2025-13-01}",
         "version 1: field from: expected a date (YYYY-MM-DD), got '2025-13-01'"),
        ("{kind: none, reference: r, until: 20250101}",
         "version 1: field until: expected a date (YYYY-MM-DD), got 20250101"),
        ("{kind: none, reference: r, confidence: rumoured}", "version 1: field confidence: 'rumoured' is not one of"),
        ("{kind: none, reference: r, parameters: {hours: 24}}", "version 1: field parameters: this kind takes no parameters"),
        ("{kind: hours_before, reference: r, parameters: {hours: -1, exigent_hours: 6, "
         "none_with_credible_assurances: true, language_required: true, counsel_required: false}}",
         "version 1: field parameters.hours: -1 is less than the minimum of 0"),
        ("{kind: hours_before, reference: r, parameters: {hours: 24, exigent_hours: 6, "
         "none_with_credible_assurances: yes please, language_required: true, counsel_required: false}}",
         "version 1: field parameters.none_with_credible_assurances: 'yes please' is not of type 'boolean'"),
        ("{kind: hours_before, reference: r, parameters: {hours: 24, exigent_hours: 6, minutes: 3, "
         "none_with_credible_assurances: true, language_required: true, counsel_required: false}}",
         "version 1: field parameters.minutes: not a field of a regime file"),
        ("{kind: hours_before, reference: r, parameters: {hours: 24, "
         "none_with_credible_assurances: true, language_required: true, counsel_required: false}}",
         "version 1: field parameters.exigent_hours: required"),
        ("{kind: none, reference: ''}", "version 1: field reference: must not be empty"),
        ("{kind: listed_safe, reference: r, parameters: {safe_states: [rw]}}",
         "version 1: field kind: 'listed_safe' is not one of ['none', 'hours_before', 'days_to_claim_fear']"),
    ],
)  # fmt: skip
def test_a_broken_version_is_refused_naming_its_gate_version_and_field(tmp_path, version, message):
    with pytest.raises(RegimeError) as refused:
        _write(tmp_path, GATE + f"      - {version}\n")
    assert str(refused.value).startswith(f"xx.yaml: gate us.notice: {message}")


def test_a_country_list_holds_iso_codes(tmp_path):
    body = GATE.replace("us.notice", "uk.safe_country")
    with pytest.raises(
        RegimeError,
        match=r"gate uk.safe_country: version 1: field parameters.safe_states.0: 'rw' does not match",
    ):
        _write(
            tmp_path,
            body + "      - {kind: listed_safe, reference: r, parameters: {safe_states: [rw]}}\n",
        )


def test_a_date_parameter_is_read_as_a_date(tmp_path):
    body = GATE.replace("us.notice", "uk.scheme_eligible")
    regime = _write(
        tmp_path,
        body + "      - {kind: scheme, reference: r, parameters: {claims_from: 2022-01-01}}\n",
    )
    assert regime.gate("uk.scheme_eligible").versions[0].parameters["claims_from"] == date(
        2022, 1, 1
    )


def test_the_documented_schema_is_the_one_the_loader_checks():
    from accords.law.regime_schema import schema_text

    assert (SHIPPED.parents[2] / "docs" / "regime.schema.json").read_text() == schema_text()
