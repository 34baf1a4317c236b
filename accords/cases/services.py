"""Every write to the caseload. Imports validate everything first, writing nothing if a record
is wrong, then write in chunks of whole cases."""

import time
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from accords.cases import selectors
from accords.cases.casefile import Problem, case_file_hash, case_file_problems
from accords.cases.models import (
    Acceptance,
    Assurance,
    Counsel,
    CountryRequest,
    CriminalRecord,
    Family,
    FamilyMember,
    FearClaim,
    Notice,
    Person,
    Proceeding,
    Protection,
    Provenance,
    RecordableFact,
    RemovalOrder,
    SavedFilter,
    Standing,
    Stay,
    StayRequest,
    UkProcess,
)
from accords.cases.standing import standings_refresh
from accords.core.actions import action
from accords.core.roles import user_role

# Case-file section -> the model its items become.
SECTIONS = {
    "person.family_members": FamilyMember,
    "removal_orders": RemovalOrder,
    "protections": Protection,
    "proceedings": Proceeding,
    "stays": Stay,
    "stay_requests": StayRequest,
    "assurances": Assurance,
    "criminal_history": CriminalRecord,
    "notices": Notice,
    "fear_claims": FearClaim,
    "acceptances": Acceptance,
    "country_requests": CountryRequest,
}


class CaseFileErrors(Exception):
    """A file with problems: nothing was written. `problems` says each line and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(map(str, problems[:5])))


def counsel_usernames() -> frozenset[str]:
    return frozenset(User.objects.filter(groups__name="counsel").values_list("username", flat=True))


def _item(model, item: dict) -> dict:
    fields = dict(item)
    for key, value in fields.items():
        if key.endswith("_at") and isinstance(value, str):
            fields[key] = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if model is Stay:
        fields.setdefault("scope", Stay.ALL_REMOVALS)
    return fields


def _items(doc: dict, section: str) -> list[dict]:
    """A section's items; "person.family_members" lies inside the person."""
    if section.startswith("person."):
        return doc["person"].get(section.removeprefix("person."), [])
    return doc.get(section, [])


def _counsel_of_record(named, accounts: dict[str, int]) -> tuple[Counsel | None, int | None]:
    """Counsel of record as the file describes them, and their Accords account's id. Counsel
    is one per bar and bar number: the file's description updates what Accords holds."""
    if not isinstance(named, dict):
        return None, accounts.get(named or "")
    account = accounts.get(named.get("account") or "")
    counsel, _ = Counsel.objects.update_or_create(
        bar=named["bar"], bar_number=named["bar_number"],
        defaults={"name": named["name"], "address": named["address"],
                  "email": named.get("email", ""), "account_id": account},
    )  # fmt: skip
    return counsel, account


def _same_fact(fact: RecordableFact) -> tuple:
    """What says which fact a row is, as values of its fields' types (a file gives text)."""
    fields = [fact._meta.get_field(name) for name in fact.SAME_FACT]
    return tuple(field.to_python(getattr(fact, field.attname)) for field in fields)


def _write(doc: dict, families: dict[str, Family], counsel: dict[str, int]) -> str:
    """Write one validated case file; say whether it was created, updated or unchanged."""
    digest = case_file_hash(doc)
    person = Person.objects.filter(case_number=doc["case_number"]).first()
    if person and person.case_file_hash == digest:
        return "unchanged"
    outcome = "updated" if person else "created"
    data = doc["person"]
    family_key = data.get("family")
    if family_key and family_key not in families:
        families[family_key], _ = Family.objects.get_or_create(key=family_key)
    person = person or Person(case_number=doc["case_number"])
    person.given_name, person.family_name = data["given_name"], data["family_name"]
    person.birth_date = data["birth_date"]
    person.country_of_birth = data.get("country_of_birth", "")
    person.nationalities, person.languages = data["nationalities"], data.get("languages", [])
    person.family = families.get(family_key) if family_key else None
    person.unaccompanied_minor = data.get("unaccompanied_minor", False)
    person.detained = data.get("detained", False)
    person.counsel_of_record, person.counsel_id = _counsel_of_record(data.get("counsel"), counsel)
    person.status = doc.get("status", "open")
    person.case_file_hash = digest
    person.save()
    for section, model in SECTIONS.items():
        facts, kept = model.objects.filter(person=person), set()
        if issubclass(model, RecordableFact):  # those recorded in Accords stay
            imported = Q(provenance=Provenance.IMPORT)
            kept = {_same_fact(f) for f in facts.exclude(imported)}
            facts = facts.filter(imported)
        facts.delete()
        items = (model(person=person, **_item(model, item)) for item in _items(doc, section))
        model.objects.bulk_create(f for f in items if not kept or _same_fact(f) not in kept)
    before = UkProcess.objects.filter(person=person).first()
    kept = {f: getattr(before, f) for f in before.fields_recorded_in_accords} if before else {}
    UkProcess.objects.filter(person=person).delete()
    if doc.get("uk") or kept:
        UkProcess.objects.create(person=person, **{**_item(UkProcess, doc.get("uk", {})), **kept},
                                 fields_recorded_in_accords=sorted(kept))  # fmt: skip
    return outcome


# A chunk of cases is one write transaction. On SQLite every write waits for the one write
# lock, so chunks are sized, as the import goes, to hold it about a second: a web write waits
# at most that long, however large the import and however busy the machine.
CHUNK_SECONDS = 1.0
CHUNK_FIRST, CHUNK_MOST = 50, 500
# SQLite wakes a writer waiting for the lock at most every 100 ms; the import pauses longer
# than that between chunks, so a waiting writer always gets its turn (PostgreSQL locks rows and
# needs no pause).
SQLITE_TURN = 0.15


def case_files_check(
    records, counsel_names: frozenset[str] | None = None, progress=None
) -> tuple[list[Problem], list[dict]]:
    """(problems, valid documents) of (line, document or Problem) pairs, as `case_import`
    checks them before writing anything; reads only."""
    if counsel_names is None:
        counsel_names = counsel_usernames()
    problems, valid = [], []
    seen: dict[str, int] = {}
    for done, (line, doc) in enumerate(records, start=1):
        found = (
            [doc]
            if isinstance(doc, Problem)
            else case_file_problems(doc, line=line, counsel=counsel_names)
        )
        if not found and doc["case_number"] in seen:
            found = [Problem(line, "case_number", f"repeats line {seen[doc['case_number']]}")]
        if found:
            problems.extend(found)
        else:
            seen[doc["case_number"]] = line
            valid.append(doc)
        if progress and (done % 100 == 0 or done == len(records)):
            progress("checked", done, len(records))
    return problems, valid


def _changed(docs: list[dict]) -> list[dict]:
    """The documents that are not in the database as they are (by case-file hash); a re-run
    of an interrupted import goes straight to where it stopped."""
    out = []
    for start in range(0, len(docs), 500):
        part = docs[start : start + 500]
        stored = dict(
            Person.objects.filter(case_number__in=[d["case_number"] for d in part]).values_list(
                "case_number", "case_file_hash"
            )
        )
        out += [d for d in part if stored.get(d["case_number"]) != case_file_hash(d)]
    return out


@action("case.import_chunk", records=("source",))
def case_import_chunk(*, actor, case_files: list[dict], source: str) -> dict:
    """Write validated case files, each whole, in one transaction. The audit entry keeps the
    people's ids and their case files' digests, never the files."""
    counsel = dict(User.objects.filter(groups__name="counsel").values_list("username", "id"))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    families: dict[str, Family] = {}
    for doc in case_files:
        counts[_write(doc, families, counsel)] += 1
    ids = dict(
        Person.objects.filter(case_number__in=[d["case_number"] for d in case_files]).values_list(
            "case_number", "pk"
        )
    )
    cases = [[ids[d["case_number"]], case_file_hash(d)] for d in case_files]
    standings_refresh(ids.values())
    return {**counts, "cases": cases}


def case_import(
    *,
    actor,
    records: list[tuple[int, object]],
    source: str,
    skip_invalid=False,
    progress=None,
) -> dict:
    """Import case files: (line, document or Problem) pairs. Everything is validated first,
    holding no write lock; with problems and no `skip_invalid`, raise CaseFileErrors and write
    nothing. Then a chunk of cases at a time, each chunk one `case_import_chunk` (one
    transaction, one audit entry), so other writers go on between chunks. A case is never split
    across chunks: an import killed half-way leaves whole cases, and running it again writes the
    rest. `progress(step, done, total)` hears of "checked" and "written" records."""
    problems, valid = case_files_check(records, progress=progress)
    if problems and not skip_invalid:
        raise CaseFileErrors(problems)
    to_write = _changed(valid)
    counts = {"created": 0, "updated": 0, "unchanged": len(valid) - len(to_write)}
    sqlite = connection.vendor == "sqlite"
    if not to_write:  # nothing changes, but the log still shows the import ran
        case_import_chunk(actor=actor, case_files=[], source=source)
    done, size = 0, CHUNK_FIRST
    while done < len(to_write):
        if done and sqlite and not connection.in_atomic_block:
            time.sleep(SQLITE_TURN)
        part = to_write[done : done + size]
        began = time.monotonic()
        result = case_import_chunk(actor=actor, case_files=part, source=source)
        took = max(time.monotonic() - began, 0.001)
        size = max(1, min(CHUNK_MOST, round(len(part) * CHUNK_SECONDS / took)))
        for outcome in counts:
            counts[outcome] += result[outcome]
        done += len(part)
        if progress:
            progress("written", done, len(to_write))
    skipped = sorted({p.line for p in problems})
    return {**counts, "skipped": len(skipped), "source": source}


@action("case.officer_assign")
def officer_assign(*, actor, people: list[Person], officer: User | None) -> dict:
    """A sending supervisor assigns cases to a sending officer (or to nobody); the officer
    finds them under "my cases"."""
    role = user_role(actor) if actor is not None else None
    if actor is not None and (role is None or role.key != "sending_supervisor"):
        raise ValidationError({"officer": _("Only a sending supervisor assigns cases.")})
    if officer is not None and not officer.groups.filter(name="sending_officer").exists():
        raise ValidationError({"officer": _("Cases are assigned to a sending officer.")})
    ids = [p.pk for p in people]
    Person.objects.filter(pk__in=ids).update(officer=officer)
    Standing.objects.filter(person_id__in=ids).update(officer=officer)
    return {"assigned": len(ids)}


@action("worklist_filter.save")
def saved_filter_save(*, actor, name: str, query: dict) -> SavedFilter:
    """Keep a worklist filter under a name for its user; the same name replaces the query."""
    saved = SavedFilter.objects.filter(user=actor, name=name).first() or SavedFilter(
        user=actor, name=name
    )
    saved.query = query
    saved.full_clean()
    saved.save()
    return saved


@action("worklist_filter.delete")
def saved_filter_delete(*, actor, saved: SavedFilter) -> dict:
    if saved.user_id != actor.pk:
        raise ValidationError({"saved": _("A saved filter is deleted only by its owner.")})
    pk = saved.pk
    saved.delete()
    return {"deleted": pk}


@action("caseload.export", records=("agreement", "decision", "gate", "clears_by", "mine", "sort"),
        withholds=("query",))  # fmt: skip
def caseload_export(*, actor, query: str = "", agreement: str = "", decision: str = "",
                    gate: str = "", clears_by: date | None = None, mine: bool = False,
                    sort: str = "decision") -> dict:  # fmt: skip
    """Record that a user takes the caseload out of Accords as a file: the filters they chose
    and how many people's rows it holds, before any row leaves. The search text may be a name
    or a birth date, so the log keeps only that there was one (a digest of a name could be
    guessed back)."""
    selection = selectors.worklist(
        user=actor, query=query, agreement=agreement, decision=decision, gate=gate,
        clears_by=clears_by, mine=mine,
    )  # fmt: skip
    rows = selection.everyone().count()
    return {"rows": rows, "searched": bool(query)}
