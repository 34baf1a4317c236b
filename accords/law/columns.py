"""The input contract of the safeguards engine: case columns, and the terms of an agreement.

A row is one person P proposed for transfer under one agreement A (which names the receiving
state R); the date D is the `as_of` handed to `evaluate`. The cases app builds these columns
straight from the database; tests and the single-case explanation build them from plain dicts
with `cases_frame`. Everything here is a fact on record; the engine decides nothing from
absence except what the defaults below say (a missing flag is "not so", a missing list is empty).

The agreement side is `AgreementTerms`: one agreement's eligibility terms as the registry holds
them on the day of screening.

Conventions:
- Countries are ISO 3166-1 alpha-2 codes in upper case ("RW", "SV", "GB").
- Dates are calendar dates; a fact dated after D is treated as not yet on record on D, so a past
  transfer can be replayed with the facts as they then stood.
- Datetimes are naive UTC.
- Criminal history holds convictions only. A charge that was dismissed or withdrawn is not a
  conviction and must never be written into `convictions`; open charges go in `pending_charges`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from accords.law.offences import offence_categories

STAY = pl.Struct(
    {
        "granted_by": pl.String,  # "IJ", "BIA", "court of appeals", "district court", "ICE", ...
        "from": pl.Date,  # first day in force
        "until": pl.Date,  # last day in force; null = until further order
        "country": pl.String,  # the one country removal to which it bars; null = every removal
    }
)

COUNTRY_REQUEST = pl.Struct(
    {
        "country": pl.String,  # the country asked to accept the person
        "asked_on": pl.Date,
        "answer": pl.String,  # "accepted" | "refused" | "no_answer"
    }
)

CASE_SCHEMA: dict[str, pl.DataType] = {
    # --- the person ---
    "case_id": pl.String(),  # the case's stable identifier
    "nationalities": pl.List(pl.String),  # every nationality held; empty = stateless/unknown
    "birth_date": pl.Date(),  # as recorded (or as found by an age assessment)
    "unaccompanied_minor": pl.Boolean(),  # a child with no parent or legal guardian present
    "in_family_with_children": pl.Boolean(),  # travels in a family with a child under 18
    "detained": pl.Boolean(),  # in immigration detention now (shortens some windows)
    "has_counsel": pl.Boolean(),  # counsel of record exists (notice must reach them too)
    # --- the removal order (US) ---
    "order_basis": pl.String(),  # "INA240" | "INA241a5" | "INA238b" | "expedited"; null = none
    "order_date": pl.Date(),  # the day the order was entered
    "order_final_on": pl.Date(),  # the day it became final; null = not recorded as final
    "order_final_how": pl.String(),  # "bia_dismissed" | "appeal_waived" | "no_appeal" |
    # "in_absentia" | "voluntary_departure_overstayed" (evidence of finality, 8 CFR 1241.1)
    "order_in_absentia": pl.Boolean(),  # entered in the person's absence
    "order_designated_countries": pl.List(pl.String),  # countries the order names for removal
    "appeal_pending": pl.Boolean(),  # a direct appeal to the BIA is pending (automatic stay)
    # --- protections, country by country (US) ---
    "withholding_countries": pl.List(pl.String),  # withholding of removal, INA 241(b)(3)
    "cat_countries": pl.List(pl.String),  # CAT withholding or deferral
    # --- stays of removal; a mere request (Form I-246) is not a stay and is not listed ---
    "stays": pl.List(STAY),
    # --- motion to reopen (US); the filed date is null unless a motion is pending ---
    "reopen_motion_filed_on": pl.Date(),
    "reopen_motion_stay_requested": pl.Boolean(),
    "reopen_motion_grounds": pl.String(),  # "changed_country_conditions" |
    # "exceptional_circumstances" | "other" (sets which filing deadline applies)
    # --- petition for review in a court of appeals; filed date null unless pending ---
    "review_petition_filed_on": pl.Date(),
    "review_petition_stay_requested": pl.Boolean(),
    # --- written notice of the third-country destination (US) ---
    "notice_served_at": pl.Datetime("us"),  # null = no notice served
    "notice_destination": pl.String(),  # the country the notice names
    "notice_in_language_understood": pl.Boolean(),  # written in, or read in, a language understood
    "notice_served_on_counsel": pl.Boolean(),  # also served on counsel of record
    "notice_interpreter_language": pl.String(),  # language an interpreter used, if any (evidence)
    "notice_exigent": pl.Boolean(),  # officer recorded exigent circumstances (shorter notice)
    "notice_counsel_access": pl.Boolean(),  # ... and the person had access to counsel meanwhile
    # --- a stated fear of the receiving state (US) ---
    "fear_stated": pl.Boolean(),  # the person stated a fear of removal to a country
    "fear_country": pl.String(),  # the country feared; null while stated = assume R
    "fear_referred_on": pl.Date(),  # referred to USCIS / an asylum officer for screening
    "fear_interview_noticed_at": pl.Datetime("us"),  # when the interview was announced to them
    "fear_screened_on": pl.Date(),  # the day the screening decided
    "fear_outcome": pl.String(),  # "positive" | "negative" | "pending" | "none"
    "protection_proceedings_ended": pl.Boolean(),  # proceedings on the fear ended against them
    # --- the receiving state's answer about this person by name ---
    "accepted_on": pl.Date(),  # the receiving state accepted this person by name
    "acceptance_declined": pl.Boolean(),  # the receiving state declined this person
    # --- diplomatic assurances about this person from the receiving state (8 CFR 208.18(c)) ---
    "assured_credibly": pl.Boolean(),  # given, and found credible by the sending state
    "assured_no_onward_removal": pl.Boolean(),  # they assure no onward removal
    # --- the INA 241(b)(2) country-sequence log ---
    "country_requests": pl.List(COUNTRY_REQUEST),
    # --- criminal history: convictions only ---
    "convictions": pl.List(pl.String),  # offence categories, e.g. "child_sex_offence", "violent"
    "pending_charges": pl.Boolean(),  # a criminal case is open against the person
    "ever_charged": pl.Boolean(),  # ever charged with a crime, whatever the outcome
    "serving_sentence": pl.Boolean(),  # currently serving a criminal sentence
    # --- UK (Rwanda partnership) ---
    "asylum_claim_on": pl.Date(),  # the day the asylum claim was made
    "asylum_refused_on": pl.Date(),  # the claim was refused on its merits (failed asylum seeker)
    "inadmissible_on": pl.Date(),  # the claim was declared inadmissible (safe third country)
    "dangerous_journey": pl.Boolean(),  # arrived by a dangerous journey (e.g. small boat)
    "age_disputed": pl.Boolean(),  # the person's claimed age is disputed
    "age_dispute_resolved_on": pl.Date(),  # the day an age assessment resolved the dispute
    "intent_notice_served_on": pl.Date(),  # notice of intent naming the receiving state served
    "removal_directions_notified_at": pl.Datetime("us"),  # removal directions notified
    "rule39_in_force": pl.Boolean(),  # an ECtHR interim measure bars this removal
    "rule39_disapplied_by_minister": pl.Boolean(),  # a Minister decided not to comply (SoRA s.5)
    "compelling_claim_pending": pl.Boolean(),  # SoRA s.4 compelling-circumstances claim pending
}

# The columns whose facts depend on the receiving state: the notice naming it, a fear of it, its
# answer about the person. Every other column is the same whichever state is considered, so a
# gate that reads none of these takes the same branch under every agreement (`evaluate.Assessor`).
RECEIVING_COLUMNS = frozenset(
    {
        "notice_served_at", "notice_destination", "notice_in_language_understood",
        "notice_served_on_counsel", "notice_interpreter_language", "notice_exigent",
        "notice_counsel_access", "assured_credibly", "assured_no_onward_removal",
        "fear_stated", "fear_country", "fear_referred_on", "fear_interview_noticed_at",
        "fear_screened_on", "fear_outcome", "protection_proceedings_ended",
        "accepted_on", "acceptance_declined",
    }
)  # fmt: skip

# Absence of a flag means "not so"; absence of a list means "none". Everything else stays null.
_DEFAULTS: dict[str, Any] = {
    name: (False if dtype == pl.Boolean else [])
    for name, dtype in CASE_SCHEMA.items()
    if dtype == pl.Boolean or isinstance(dtype, pl.List)
}


def repeated(value: Any, size: int, dtype: pl.DataType, name: str = "") -> pl.Series:
    """A column of one value `size` times. Made from a one-row series, not by `pl.repeat`,
    which runs a query: on a few cases (re-screening a person) polars' cost is per call."""
    return pl.Series(name, [value], dtype=dtype).new_from_index(0, size)


def fill_defaults(frame: pl.DataFrame) -> pl.DataFrame:
    """Nulls in the frame's flag and list columns of CASE_SCHEMA made "not so" and "none".

    Only columns that have nulls are touched, so a frame filled once passes through unchanged.
    """
    # Null counts in one call, and the flags filled by one expression: polars' cost is per
    # call and per expression, not per row, where a few people are re-screened.
    nulls = frame.null_count().row(0, named=True)
    to_fill = [name for name in _DEFAULTS if nulls.get(name)]
    flags = [name for name in to_fill if CASE_SCHEMA[name] == pl.Boolean]
    fills = [pl.col(flags).fill_null(False)] if flags else []
    fills += [
        pl.col(name).fill_null(pl.lit(_DEFAULTS[name], dtype=CASE_SCHEMA[name]))
        for name in to_fill
        if name not in flags
    ]
    return frame.with_columns(fills) if fills else frame


def _plain(value: Any, dtype: pl.DataType) -> Any:
    """Accept ISO strings for dates and datetimes, so fixtures and imports read naturally."""
    if isinstance(value, str) and dtype == pl.Date:
        return date.fromisoformat(value)
    if isinstance(value, str) and isinstance(dtype, pl.Datetime):
        return datetime.fromisoformat(value)
    if isinstance(value, list) and isinstance(dtype, pl.List):
        return [_plain(item, dtype.inner) for item in value]
    if isinstance(value, dict) and isinstance(dtype, pl.Struct):
        fields = {field.name: field.dtype for field in dtype.fields}
        return {key: _plain(item, fields[key]) for key, item in value.items()}
    return value


def cases_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    """Build a correctly typed case frame from plain dicts; unknown keys are an error."""
    for index, record in enumerate(records):
        unknown = sorted(set(record) - set(CASE_SCHEMA))
        if unknown:
            raise ValueError(f"case record {index}: unknown column(s) {', '.join(unknown)}")
    rows = [{key: _plain(value, CASE_SCHEMA[key]) for key, value in r.items()} for r in records]
    return fill_defaults(pl.DataFrame(rows, schema=CASE_SCHEMA))


_CASE_SCHEMA = pl.Schema(CASE_SCHEMA)


def conform_cases(cases: pl.DataFrame) -> pl.DataFrame:
    """Check a frame built elsewhere (e.g. from the database) against the contract.

    Missing columns are added with their defaults; a column of the wrong type is an error
    naming the column, because a silent cast could turn a fact into its absence.
    """
    if "case_id" not in cases.columns:
        raise ValueError("case frame: column case_id is required")
    schema = cases.schema
    if schema == _CASE_SCHEMA:  # conformed already (re-screening, polars' cost is per call)
        return fill_defaults(cases)
    for name, dtype in schema.items():
        expected = CASE_SCHEMA.get(name)
        if expected is None:
            raise ValueError(f"case frame: unknown column {name}")
        if dtype != expected and dtype != pl.Null:
            raise ValueError(f"case frame: column {name} is {dtype}, expected {expected}")
    missing = [pl.lit(None, dtype=dt).alias(n) for n, dt in CASE_SCHEMA.items() if n not in cases]
    untyped = [pl.col(n).cast(CASE_SCHEMA[n]) for n, dt in schema.items() if dt == pl.Null]
    typed = cases.with_columns(*missing, *untyped) if missing or untyped else cases
    # Indexing, not `select`, puts the columns in order: a select of every column costs ten
    # times more, and every state's columns assembled beside the shared ones come here so.
    return fill_defaults(typed[list(CASE_SCHEMA)])


# Exclusion categories an agreement may list; "conviction:<category>" names one offence
# category of `offences.py` (e.g. "conviction:child_sex_offence") matched against `convictions`.
EXCLUSION_CATEGORIES = frozenset(
    {
        "unaccompanied_minor",
        "family_with_children",
        "pending_case",
        "serving_sentence",
        "criminal_record",
        "criminal_charges",
    }
)

# Agreements that accept only the nationals of a region name the region; these are its
# members, as ISO 3166 codes. West Africa: the members of ECOWAS, whose nationals may enter
# Ghana without a visa (the reason given for the US–Ghana arrangement), after Burkina Faso,
# Mali and Niger left it on 2025-01-29.
NATIONALITY_REGIONS = {
    "region:west_africa": frozenset(
        {"BJ", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "NG", "SN", "SL", "TG"}
    ),
}


@dataclass(frozen=True)
class ForcePeriod:
    """A span in which the agreement was in force; `ended` is the first day it no longer was."""

    began: date
    ended: date | None = None


@dataclass(frozen=True)
class Assurances:
    """Diplomatic assurances from the receiving state about the people sent to it."""

    given_on: date
    credible: bool  # the State Department (or equivalent) found them credible
    bars_onward_removal: bool = False  # they promise no removal onward to a feared country


@dataclass(frozen=True)
class AgreementTerms:
    """The eligibility terms of one transfer agreement, which the engine checks as gates."""

    id: str
    regime: str  # "us" | "uk": which regime file governs transfers under it
    sending_state: str  # ISO alpha-2
    receiving_state: str  # ISO alpha-2
    in_force: tuple[ForcePeriod, ...]
    excluded: frozenset[str] = frozenset()  # EXCLUSION_CATEGORIES or "conviction:<category>"
    allowed_nationalities: frozenset[str] | None = None  # None = any nationality
    bars_onward_refoulement: bool = False  # the agreement forbids onward removal by R
    assurances: Assurances | None = None
    # The programme's own policy beyond the law (`policy.ProgrammePolicy` versions, dated):
    # evaluated as gates of their own, never as the law's.
    policies: tuple = ()

    def __post_init__(self) -> None:
        unknown = {
            c
            for c in self.excluded
            if c not in EXCLUSION_CATEGORIES
            and c.removeprefix("conviction:") not in offence_categories()
        }
        if unknown:
            raise ValueError(f"agreement {self.id}: unknown exclusion(s) {sorted(unknown)}")
        if self.regime not in {"us", "uk"}:
            raise ValueError(f"agreement {self.id}: unknown regime {self.regime!r}")
