"""Case facts as tables of columns, and the engine's input columns built from them.

The facts of many cases come from the database (`facts_from_database`), and the facts of one
case file from its JSON document (`facts_from_case_file`); both give the same tables, and one
function, `engine_columns`, turns them into the safeguards engine's input for one receiving
state on one date. So `accords check CASE.json` and `accords screen` cannot disagree about
what a case says; they differ only in what counts: the database gives the gates only the facts
whose source may establish them (`COUNTING`), a file is taken as given.

Facts dated after the date considered are left out before choosing the latest of each kind,
so a past decision can be replayed with the facts as they then stood.
"""

import io
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from django.db import connection

from accords.law.columns import conform_cases, fill_defaults

Str, Date, Bool = pl.String(), pl.Date(), pl.Boolean()
Instant = pl.Datetime("us", "UTC")
Countries = pl.List(pl.String)

TABLES: dict[str, dict[str, pl.DataType]] = {
    "persons": {
        "person_id": pl.Int64(), "case_number": Str, "birth_date": Date, "nationalities": Countries,
        "family_id": pl.Int64(), "unaccompanied_minor": Bool, "detained": Bool, "has_counsel": Bool,
        "counsel_bar_number": Str,
    },
    "family_members": {"person_id": pl.Int64(), "birth_date": Date},
    "orders": {
        "person_id": pl.Int64(), "basis": Str, "entered_on": Date, "final_on": Date,
        "final_how": Str, "in_absentia": Bool, "designated_countries": Countries,
        "appeal_pending": Bool,
    },
    "protections": {"person_id": pl.Int64(), "kind": Str, "country": Str, "granted_on": Date},
    "proceedings": {
        "person_id": pl.Int64(), "kind": Str, "filed_on": Date, "decided_on": Date,
        "stay_requested": Bool, "grounds": Str,
    },
    "stays": {
        "person_id": pl.Int64(), "granted_by": Str, "valid_from": Date, "valid_until": Date,
        "scope": Str,
    },
    "criminal": {
        "person_id": pl.Int64(), "kind": Str, "offence_category": Str, "on": Date,
        "charge_outcome": Str, "serving_sentence": Bool,
    },
    "notices": {
        "person_id": pl.Int64(), "destination": Str, "served_at": Instant, "understood": Bool,
        "served_on": Str, "interpreter_language": Str, "exigent": Bool, "counsel_access": Bool,
        "counsel_bar_number": Str,
    },
    "fear_claims": {
        "person_id": pl.Int64(), "country": Str, "stated_on": Date, "referred_on": Date,
        "interview_noticed_at": Instant, "screened_on": Date, "outcome": Str,
        "proceedings_ended": Bool,
    },
    "acceptances": {
        "person_id": pl.Int64(), "receiving_state": Str, "decision": Str, "decided_on": Date,
        "lapsed_on": Date,
    },
    "country_requests": {
        "person_id": pl.Int64(), "country": Str, "asked_on": Date, "answer": Str,
    },
    "assurances": {
        "person_id": pl.Int64(), "receiving_state": Str, "given_on": Date, "assures": Countries,
        "credible": Bool,
    },
    "uk": {
        "person_id": pl.Int64(), "asylum_claim_on": Date, "asylum_refused_on": Date,
        "inadmissible_on": Date, "dangerous_journey": Bool, "age_disputed": Bool,
        "age_dispute_resolved_on": Date, "intent_notice_served_on": Date,
        "removal_directions_notified_at": Instant, "rule39_in_force": Bool,
        "rule39_disapplied_by_minister": Bool, "compelling_claim_pending": Bool,
    },
}  # fmt: skip

# The database table and the column expressions each fact table reads.
_SOURCES = {
    "persons": (
        "cases_person",
        "id, case_number, birth_date, nationalities, family_id, unaccompanied_minor, detained, "
        "counsel_id IS NOT NULL OR counsel_of_record_id IS NOT NULL, "
        "(SELECT bar_number FROM cases_counsel WHERE cases_counsel.id = counsel_of_record_id)",
    ),
    "family_members": ("cases_familymember", "person_id, birth_date"),
    "orders": (
        "cases_removalorder",
        "person_id, basis, entered_on, final_on, final_how, in_absentia, designated_countries, "
        "appeal_pending",
    ),
    "protections": ("cases_protection", "person_id, kind, country, granted_on"),
    "proceedings": (
        "cases_proceeding",
        "person_id, kind, filed_on, decided_on, stay_requested, grounds",
    ),
    "stays": ("cases_stay", "person_id, granted_by, valid_from, valid_until, scope"),
    "criminal": (
        "cases_criminalrecord",
        'person_id, kind, offence_category, "on", charge_outcome, serving_sentence',
    ),
    "notices": (
        "cases_notice",
        "person_id, destination, served_at, understood, served_on, interpreter_language, exigent, "
        "counsel_access, counsel_bar_number",
    ),
    "fear_claims": (
        "cases_fearclaim",
        "person_id, country, stated_on, referred_on, interview_noticed_at, screened_on, outcome, "
        "proceedings_ended",
    ),
    "acceptances": (
        "cases_acceptance",
        "person_id, receiving_state, decision, decided_on, lapsed_on",
    ),
    "country_requests": ("cases_countryrequest", "person_id, country, asked_on, answer"),
    "assurances": (
        "cases_assurance",
        "person_id, receiving_state, given_on, assures, credible",
    ),
    "uk": (
        "cases_ukprocess",
        "person_id, asylum_claim_on, asylum_refused_on, inadmissible_on, dangerous_journey, "
        "age_disputed, age_dispute_resolved_on, intent_notice_served_on, "
        "removal_directions_notified_at, rule39_in_force, rule39_disapplied_by_minister, "
        "compelling_claim_pending",
    ),
}


# Which rows of a table the gates may read: each fact by where it came from (docs/provenance.md).
# The receiving state's answer counts only from that state: its officer answering the referral
# in Accords, or its diplomatic note confirmed by a second supervisor. An answer in the sending
# state's import is a report, not an answer. A notice counts when Accords served it, or when
# the import names the served document by its reference and SHA-256.
COUNTING = {
    "acceptances": "((provenance = 'workflow' AND recorded_as = 'receiving_officer') "
    "OR (provenance = 'document' AND confirmed_by_id IS NOT NULL))",
    "notices": "(provenance <> 'import' OR (document_reference <> '' AND document_sha256 <> ''))",
    "assurances": "document_reference <> ''",
}


def _typed(raw: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Text columns as both databases print them, parsed to the table's types."""
    columns = []
    for name, dtype in schema.items():
        text = pl.col(name).cast(pl.String)
        if dtype == pl.Date:
            columns.append(text.str.slice(0, 10).str.to_date("%Y-%m-%d").alias(name))
        elif isinstance(dtype, pl.Datetime):
            parsed = text.str.replace(r"\+00(:00)?$", "").str.replace("T", " ")
            columns.append(
                parsed.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us")
                .dt.replace_time_zone("UTC")
                .alias(name)
            )
        elif dtype == pl.Boolean:
            columns.append(text.is_in(["t", "true", "1", "True"]).alias(name))
        elif isinstance(dtype, pl.List):
            columns.append(text.str.json_decode(dtype).alias(name))
        else:
            columns.append(text.cast(dtype).alias(name))
    return raw.select(columns)


def _copy_out(sql: str) -> bytes:
    """A query's rows as CSV text, through COPY, which streams text fast (PostgreSQL)."""
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy,
    ):
        for block in copy:
            buffer.write(block)
    return buffer.getvalue()


def _parse_csv(text: bytes, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    names = list(schema)
    raw = (
        pl.read_csv(
            text,
            has_header=False,
            new_columns=names,
            schema_overrides=dict.fromkeys(names, pl.String),
            infer_schema=False,
        )
        if text
        else pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    )
    return _typed(raw, schema)


# Up to how many people PostgreSQL's facts are read as rows, not streamed as text (`_read_few`).
FEW = 1_000


def _read_few(queries: dict[str, str]) -> dict[str, pl.DataFrame]:
    """The fact tables of a few people (re-screening after a write) on PostgreSQL: every query
    sent at once, as one text of statements (one round trip, not fourteen), the rows taken as
    the driver typed them. Parsing text into columns, as `_typed` does for the whole caseload,
    would cost more here than the read: polars' cost is per operation, not per row."""
    tables = {}
    with connection.cursor() as cursor:
        cursor.execute("; ".join(queries.values()))
        for at, (name, schema) in enumerate((name, TABLES[name]) for name in queries):
            if at:
                cursor.nextset()
            # JSON arrives as its text (Django's loader), to be decoded here as JSONField would.
            lists = [i for i, dtype in enumerate(schema.values()) if isinstance(dtype, pl.List)]
            rows = [
                [json.loads(v) if i in lists and v is not None else v for i, v in enumerate(row)]
                for row in cursor.fetchall()
            ]
            tables[name] = pl.DataFrame(rows, schema=schema, orient="row")
    return tables


def _read_all(queries: dict[str, str]) -> dict[str, pl.DataFrame]:
    """Each fact table's query read as typed columns. On PostgreSQL one table's text is parsed
    (by polars, off the interpreter lock) while the next one streams in."""
    if connection.vendor != "postgresql":
        tables = {}
        with connection.cursor() as cursor:
            for name, sql in queries.items():
                cursor.execute(sql)
                rows = [[None if v is None else str(v) for v in row] for row in cursor.fetchall()]
                text = dict.fromkeys(TABLES[name], pl.String)
                tables[name] = _typed(pl.DataFrame(rows, schema=text, orient="row"), TABLES[name])
        return tables
    with ThreadPoolExecutor(max_workers=1) as parser:
        parsed = {
            name: parser.submit(_parse_csv, _copy_out(sql), TABLES[name])
            for name, sql in queries.items()
        }
        return {name: table.result() for name, table in parsed.items()}


def facts_from_database(person_ids: list[int] | None = None) -> dict[str, pl.DataFrame]:
    """The fact tables of open cases (or of the people named), each read in one query, with
    only the facts that count in the workflow (`COUNTING`).

    For the whole caseload each fact table is read whole and narrowed to the open cases here:
    asking the database to match every fact row against the open people costs more than the
    rows of closed cases it saves (on a million cases, about a third of the time of the read).
    """
    queries = {}
    for name, (table, columns) in _SOURCES.items():
        key = "id" if name == "persons" else "person_id"
        conditions = [COUNTING[name]] if name in COUNTING else []
        if person_ids is not None:
            # Written out as integers, not as hundreds of parameters the driver would have to
            # find and quote in the text of each of fourteen queries.
            conditions.append(f"{key} IN ({','.join(str(int(i)) for i in person_ids) or 'NULL'})")
        elif name == "persons":
            conditions.append("status = 'open'")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        queries[name] = f"SELECT {columns} FROM {table}{where}"
    if person_ids is not None:
        few = connection.vendor == "postgresql" and len(person_ids) <= FEW
        return _read_few(queries) if few else _read_all(queries)
    tables = _read_all(queries)
    open_people = tables["persons"].select("person_id")
    return {
        name: table.join(open_people, on="person_id", how="semi", maintain_order="left")
        if name != "persons"
        else table
        for name, table in tables.items()
    }


def facts_from_case_file(doc: dict, *, person_id: int = 0) -> dict[str, pl.DataFrame]:
    """The same tables for one validated case-file document, every fact taken as given: a
    what-if (`accords check`), not the workflow, where an imported answer counts for nothing."""
    person = doc["person"]
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["persons"].append(
        {
            "person_id": person_id,
            "case_number": doc["case_number"],
            "birth_date": person["birth_date"],
            "nationalities": json.dumps(person.get("nationalities", [])),
            # A family key alone: the one member known here stands for the family.
            "family_id": 1 if person.get("family") else None,
            "unaccompanied_minor": person.get("unaccompanied_minor", False),
            "detained": person.get("detained", False),
            "has_counsel": bool(person.get("counsel")),
            "counsel_bar_number": (person.get("counsel") or {}).get("bar_number")
            if isinstance(person.get("counsel"), dict)
            else None,
        }
    )
    rows["family_members"] += [
        {"person_id": person_id, "birth_date": member["birth_date"]}
        for member in person.get("family_members", [])
    ]
    sections = {
        "orders": "removal_orders",
        "protections": "protections",
        "proceedings": "proceedings",
        "stays": "stays",
        "criminal": "criminal_history",
        "notices": "notices",
        "fear_claims": "fear_claims",
        "acceptances": "acceptances",
        "country_requests": "country_requests",
        "assurances": "assurances",
    }
    for table, section in sections.items():
        for item in doc.get(section, []):
            row = {"person_id": person_id, **item}
            if table == "orders":
                row["designated_countries"] = json.dumps(item.get("designated_countries", []))
            if table == "assurances":
                row["assures"] = json.dumps(item.get("assures", []))
            rows[table].append(row)
    if doc.get("uk"):
        rows["uk"].append({"person_id": person_id, **doc["uk"]})
    tables = {}
    for name, schema in TABLES.items():
        raw = pl.DataFrame(
            [{k: _text(r.get(k), schema[k]) for k in schema} for r in rows[name]],
            schema=dict.fromkeys(schema, pl.String),
            orient="row",
        )
        tables[name] = _typed(raw, schema)
    return tables


def _text(value, dtype: pl.DataType) -> str | None:
    """A case-file value as the database would print it (date-times in UTC)."""
    if value is None:
        return None
    if isinstance(dtype, pl.Datetime):
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment.isoformat(sep=" ")
    return str(value)


def _latest(frame: pl.LazyFrame, by: str, keep: list[str]) -> pl.LazyFrame:
    return frame.sort(by).group_by("person_id").agg(pl.col(c).last() for c in keep)


def _left_joined(
    frame: pl.LazyFrame, parts: list[tuple[pl.DataFrame, pl.LazyFrame, Any]]
) -> pl.LazyFrame:
    """`frame` left-joined to each part, given as (the table it is worked out from, its query,
    the join key). A part whose table holds no rows would join only nulls: its columns are
    added as nulls of its types, and its query never runs. Re-screening one person, most of
    their tables are empty, and polars' cost is per operation, not per row."""
    nulls: dict[str, pl.DataType] = {}
    for table, part, on in parts:
        if table.is_empty():
            keys = {on} if isinstance(on, str) else set(on)
            nulls.update((c, t) for c, t in part.collect_schema().items() if c not in keys)
        else:
            frame = frame.join(part, on=on, how="left", maintain_order="left")
    return frame.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in nulls.items())


def engine_base(tables: dict[str, pl.DataFrame], as_of: date) -> pl.DataFrame:
    """Every fact on record on `as_of` that is the same whatever the receiving state, one row
    per person: computed once, it serves `engine_columns` for every receiving state."""
    on = pl.lit(as_of)
    persons = tables["persons"]
    lazy = {name: table.lazy() for name, table in tables.items()}
    # A family "has children" when any member is under 18 on the day considered: a member
    # with a case in Accords (the same family key), or one the person's case file names.
    minor = pl.col("birth_date").dt.offset_by("18y") > on
    families = (
        persons.lazy()
        .filter(pl.col("family_id").is_not_null())
        .group_by("family_id")
        .agg(in_family_with_children=minor.any())
    )
    named_children = (
        lazy["family_members"]
        .filter(minor & (pl.col("birth_date") <= on))
        .group_by("person_id")
        .agg(has_named_child=pl.lit(True))
    )
    orders = _latest(
        lazy["orders"].filter(pl.col("entered_on") <= on),
        "entered_on",
        [
            "basis",
            "entered_on",
            "final_on",
            "final_how",
            "in_absentia",
            "designated_countries",
            "appeal_pending",
        ],
    ).with_columns(  # fmt: skip
        pl.when(pl.col("final_on") <= on).then(pl.col("final_on")).alias("final_on")
    )
    protections = (
        lazy["protections"]
        .filter(pl.col("granted_on") <= on)
        .group_by("person_id")
        .agg(
            withholding_countries=pl.col("country").filter(pl.col("kind") == "withholding"),
            cat_countries=pl.col("country").filter(
                pl.col("kind").is_in(["cat_withholding", "cat_deferral"])
            ),
        )
    )
    open_proceeding = (pl.col("filed_on") <= on) & (
        pl.col("decided_on").is_null() | (pl.col("decided_on") > on)
    )
    proceedings = lazy["proceedings"].filter(open_proceeding)
    motions = _latest(
        proceedings.filter(pl.col("kind") == "motion_to_reopen"),
        "filed_on",
        ["filed_on", "stay_requested", "grounds"],
    ).rename(
        {
            "filed_on": "reopen_motion_filed_on",
            "stay_requested": "reopen_motion_stay_requested",
            "grounds": "reopen_motion_grounds",
        }
    )
    petitions = _latest(
        proceedings.filter(pl.col("kind") == "petition_for_review"),
        "filed_on",
        ["filed_on", "stay_requested"],
    ).rename(
        {"filed_on": "review_petition_filed_on", "stay_requested": "review_petition_stay_requested"}
    )
    appeals = (
        proceedings.filter(pl.col("kind") == "appeal")
        .group_by("person_id")
        .agg(appeal_filed=pl.lit(True))
    )
    stays = (
        lazy["stays"]
        .filter(pl.col("valid_from") <= on)
        .group_by("person_id")
        .agg(
            stays=pl.struct(
                granted_by="granted_by",
                **{"from": "valid_from", "until": "valid_until"},
                # null: the stay bars every removal; a code: removal to that country only
                country=pl.when(pl.col("scope") != "all_removals").then("scope"),
            )
        )
    )
    criminal = lazy["criminal"].filter(pl.col("on") <= on)
    crimes = criminal.group_by("person_id").agg(
        convictions=pl.col("offence_category").filter(pl.col("kind") == "conviction"),
        pending_charges=(
            (pl.col("kind") == "charge") & (pl.col("charge_outcome") == "pending")
        ).any(),
        serving_sentence=pl.col("serving_sentence").any(),
        ever_charged=pl.lit(True),
    )
    requests = (
        lazy["country_requests"]
        .filter(pl.col("asked_on") <= on)
        .group_by("person_id")
        .agg(country_requests=pl.struct("country", "asked_on", "answer"))
    )
    uk = lazy["uk"].with_columns(
        pl.col("removal_directions_notified_at").dt.replace_time_zone(None)
    )
    frame = _left_joined(
        persons.lazy(),
        [(persons, families, "family_id"), (tables["family_members"], named_children, "person_id")],
    ).with_columns(
        in_family_with_children=pl.col("in_family_with_children").fill_null(False)
        | pl.col("has_named_child").fill_null(False)
    )
    frame = _left_joined(
        frame,
        [
            (tables["orders"], orders, "person_id"),
            (tables["protections"], protections, "person_id"),
            (tables["proceedings"], motions, "person_id"),
            (tables["proceedings"], petitions, "person_id"),
            (tables["proceedings"], appeals, "person_id"),
            (tables["stays"], stays, "person_id"),
            (tables["criminal"], crimes, "person_id"),
            (tables["country_requests"], requests, "person_id"),
            (tables["uk"], uk, "person_id"),
        ],
    ).collect()
    # Once here rather than for every receiving state: the lists and flags no fact filled.
    return fill_defaults(frame)


def engine_columns(
    tables: dict[str, pl.DataFrame],
    *,
    receiving: str,
    as_of: date | datetime,
    base: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The engine's case columns (`accords.law.columns.CASE_SCHEMA`) for transfers to one
    receiving state, from the facts on record on `as_of` (a day, or a moment in naive UTC);
    `base` is `engine_base(tables, day)` when the caller has it already (screening several
    states)."""
    return engine_columns_by_state(tables, receiving=[receiving], as_of=as_of, base=base)[receiving]


def engine_columns_by_state(
    tables: dict[str, pl.DataFrame],
    *,
    receiving: list[str],
    as_of: date | datetime,
    base: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """`engine_columns` for several receiving states at once: the columns the same for every
    state are made once, and the facts that depend on the state (notices, fear claims,
    answers, assurances: RECEIVING_COLUMNS) once for all the states, so re-screening a person
    under every agreement costs little more than under one."""
    moment = as_of if isinstance(as_of, datetime) else None
    day = as_of.date() if moment else as_of
    frame = engine_base(tables, day) if base is None else base
    common = _common_columns(frame)
    per_state = _receiving_columns(tables, frame, receiving, day, moment)
    if not receiving:
        return {}
    size = len(frame)
    # Checked against the contract once, every state's rows under one another.
    every = conform_cases(pl.concat([common] * len(receiving)).hstack(per_state))
    return {state: every.slice(i * size, size) for i, state in enumerate(receiving)}


def _receiving_columns(
    tables: dict[str, pl.DataFrame], frame: pl.DataFrame, receiving: list[str], day: date,
    moment: datetime | None,
) -> pl.DataFrame:  # fmt: skip
    """RECEIVING_COLUMNS for every state in `receiving` and every person of `frame`: one row
    per state and person, state after state, each state's people in `frame`'s order."""
    on = pl.lit(day)
    states = pl.Series(receiving, dtype=pl.String)
    # The notices on record: those served by the end of the day considered, or, at a moment
    # (naive UTC), those served by then.
    day_ends = pl.lit(day).cast(pl.Datetime("us")).dt.replace_time_zone("UTC") + pl.duration(days=1)
    served = (
        pl.col("served_at") <= pl.lit(moment).dt.replace_time_zone("UTC")
        if moment
        else pl.col("served_at") < day_ends
    )
    notices = _latest_per_state(
        tables["notices"].lazy().filter(pl.col("destination").is_in(receiving) & served),
        "destination",
        "served_at",
        ["served_at", "destination", "understood", "served_on", "interpreter_language", "exigent",
         "counsel_access", "counsel_bar_number"],
    ).select(  # fmt: skip
        "person_id",
        "receiving",
        pl.col("served_at").dt.replace_time_zone(None).alias("notice_served_at"),
        pl.col("destination").alias("notice_destination"),
        pl.col("understood").alias("notice_in_language_understood"),
        (pl.col("served_on") == "person_and_counsel").alias("notice_served_on_counsel"),
        pl.when(pl.col("interpreter_language") != "").then("interpreter_language")
        .alias("notice_interpreter_language"),
        pl.col("exigent").alias("notice_exigent"),
        pl.col("counsel_access").fill_null(False).alias("notice_counsel_access"),
        pl.col("counsel_bar_number").alias("notice_counsel_bar_number"),
    )  # fmt: skip
    fear = _latest_per_state(
        tables["fear_claims"].lazy().filter(
            pl.col("country").is_in(receiving) & (pl.col("stated_on") <= on)
        ),
        "country",
        "stated_on",
        ["country", "referred_on", "interview_noticed_at", "screened_on", "outcome",
         "proceedings_ended"],
    ).select(  # fmt: skip
        "person_id",
        "receiving",
        pl.lit(True).alias("fear_stated"),
        pl.col("country").alias("fear_country"),
        pl.when(pl.col("referred_on") <= on).then("referred_on").alias("fear_referred_on"),
        pl.col("interview_noticed_at").dt.replace_time_zone(None).alias("fear_interview_noticed_at"),
        pl.when(pl.col("screened_on") <= on).then("screened_on").alias("fear_screened_on"),
        pl.when(pl.col("screened_on") <= on).then("outcome").otherwise(pl.lit("pending"))
        .alias("fear_outcome"),
        pl.col("proceedings_ended").alias("protection_proceedings_ended"),
    )  # fmt: skip
    # An answer counts from the day it was given until the day its referral was withdrawn.
    acceptance = _latest_per_state(
        tables["acceptances"]
        .lazy()
        .filter(
            pl.col("receiving_state").is_in(receiving)
            & (pl.col("decided_on") <= on)
            & (pl.col("lapsed_on").is_null() | (pl.col("lapsed_on") > on))
        ),
        "receiving_state",
        "decided_on",
        ["decision", "decided_on"],
    ).select(
        "person_id",
        "receiving",
        pl.when(pl.col("decision") == "accepted").then("decided_on").alias("accepted_on"),
        (pl.col("decision") == "declined").alias("acceptance_declined"),
    )
    # Assurances about this person from the receiving state, once given (and with the
    # document's reference, which `COUNTING` requires of the database's).
    assured = (
        tables["assurances"]
        .lazy()
        .filter(pl.col("receiving_state").is_in(receiving) & (pl.col("given_on") <= on))
        .group_by("person_id", pl.col("receiving_state").alias("receiving"))
        .agg(
            assured_credibly=pl.col("credible").any(),
            assured_no_onward_removal=pl.col("assures").list.contains("no_onward_removal").any(),
        )
    )
    # Each state's rows lined up with the people on (person, state), state after state.
    grid = pl.LazyFrame({"receiving": states}).join(
        frame.lazy().select("person_id", "counsel_bar_number"),
        how="cross",
        maintain_order="left_right",
    )
    on = ["person_id", "receiving"]
    parts = [
        (tables["notices"], notices, on),
        (tables["fear_claims"], fear, on),
        (tables["acceptances"], acceptance, on),
        (tables["assurances"], assured, on),
    ]
    return (
        _left_joined(grid, parts)
        .select(
            "notice_served_at",
            "notice_destination",
            "notice_in_language_understood",
            # Served on counsel of record: a notice naming the counsel it served (by bar number)
            # counts only if that is the person's counsel of record.
            (
                pl.col("notice_served_on_counsel")
                & (
                    pl.col("notice_counsel_bar_number").fill_null("").eq("")
                    | pl.col("counsel_bar_number").is_null()
                    | (pl.col("notice_counsel_bar_number") == pl.col("counsel_bar_number"))
                )
            ).alias("notice_served_on_counsel"),
            "notice_interpreter_language",
            "notice_exigent",
            "notice_counsel_access",
            "fear_stated",
            "fear_country",
            "fear_referred_on",
            "fear_interview_noticed_at",
            "fear_screened_on",
            "fear_outcome",
            "protection_proceedings_ended",
            "accepted_on",
            "acceptance_declined",
            pl.col("assured_credibly").fill_null(False),
            pl.col("assured_no_onward_removal").fill_null(False),
        )
        .collect()
    )


def _latest_per_state(frame: pl.LazyFrame, state: str, by: str, keep: list[str]) -> pl.LazyFrame:
    """`_latest` per person and state (the column `state` named `receiving`)."""
    return (
        frame.sort(by)
        .group_by("person_id", pl.col(state).alias("receiving"))
        .agg(pl.col(c).last() for c in keep)
    )


def _common_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """The engine's columns the same whatever the receiving state."""
    return frame.select(
        pl.col("case_number").alias("case_id"),
        "nationalities",
        "birth_date",
        "unaccompanied_minor",
        pl.col("in_family_with_children").fill_null(False),
        "detained",
        "has_counsel",
        pl.col("basis").alias("order_basis"),
        pl.col("entered_on").alias("order_date"),
        pl.col("final_on").alias("order_final_on"),
        pl.col("final_how").replace("", None).alias("order_final_how"),
        pl.col("in_absentia").alias("order_in_absentia"),
        pl.col("designated_countries").alias("order_designated_countries"),
        (pl.col("appeal_pending").fill_null(False) | pl.col("appeal_filed").fill_null(False)).alias(
            "appeal_pending"
        ),
        "withholding_countries",
        "cat_countries",
        "stays",
        "reopen_motion_filed_on",
        "reopen_motion_stay_requested",
        pl.col("reopen_motion_grounds").replace("", None),
        "review_petition_filed_on",
        "review_petition_stay_requested",
        "country_requests",
        "convictions",
        "pending_charges",
        "ever_charged",
        "serving_sentence",
        *[c for c in TABLES["uk"] if c != "person_id"],
    )
