"""Writing a synthetic caseload straight into the tables: a million cases in about a minute.

Importing case files goes through the ORM, one person and ten sections at a time (some twenty
queries a case, hours for a million). Here the people's ids are reserved first, so each fact row
can point at its person, and each chunk's tables are appended by `core.bulk` (COPY on
PostgreSQL), all in one transaction with one audit entry.

What is written is what `case_import` writes for the same `case_files(n, seed)` documents:
the same rows, the same defaults, the same case-file hash (so importing those documents later
changes nothing). A test proves it.
"""

from collections.abc import Callable, Sequence
from itertools import islice

import polars as pl
from django.contrib.auth.models import User

from accords.cases.casefile import case_file_hash
from accords.cases.models import Family, Person, UkProcess
from accords.cases.services import SECTIONS, case_import, counsel_usernames
from accords.core.actions import action
from accords.core.bulk import bulk_append, reserve_ids
from accords.demo.caseload import case_files, caseload_chunks, chunk_case_files, with_counsel

MODELS = {"persons": Person, **SECTIONS, "uk": UkProcess}


def caseload_prefix(seed: int) -> str:
    """What the case numbers (and family keys) of the caseload of `seed` begin with."""
    return f"S{seed}-"


def caseload_import(
    *,
    actor,
    n: int,
    seed: int,
    counsel: Sequence[str] = (),
    progress: Callable | None = None,
    batch: int = 500,
) -> dict:
    """Import `case_files(n, seed, counsel=counsel)` through `case_import`, as a person or
    system importing files would: a batch at a time, each batch its own transaction and audit
    entry. Cases already imported are unchanged, so running it again adds nothing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    docs = case_files(n, seed, counsel=counsel)
    for start in range(0, n, batch):
        records = [(start + line, doc) for line, doc in enumerate(islice(docs, batch), start=1)]
        result = case_import(actor=actor, records=records, source=f"synthetic caseload {seed}")
        for outcome in counts:
            counts[outcome] += result[outcome]
        if progress:
            progress(len(records))
    return counts


def _families(persons: pl.DataFrame, known: dict[str, int]) -> pl.Series:
    """Each person's family id; families met for the first time are written now."""
    keys = persons["family"].drop_nulls().unique(maintain_order=True)
    new = [key for key in keys if key not in known]
    if new:
        ids = reserve_ids(Family, len(new))
        known.update(zip(new, ids, strict=True))
        bulk_append(Family, pl.DataFrame({"id": ids, "key": new}), with_id=True)
    return persons["family"].replace_strict(known, default=None, return_dtype=pl.Int64)


@action("caseload.bulk_load", records=("n", "seed"))
def caseload_bulk_load(
    *, actor, n: int, seed: int, counsel: Sequence[str] = (), progress: Callable | None = None
) -> dict:
    """Write the cases of `case_files(n, seed, counsel=counsel)` that are not in the database
    yet (by case number); cases already there are left as they are. `progress(k)` is called
    after each chunk with the number of cases it covered."""
    unknown = sorted(set(counsel) - counsel_usernames())
    if unknown:
        raise ValueError(f"counsel: no counsel named {', '.join(unknown)} in Accords")
    counsel_ids = dict(User.objects.filter(username__in=counsel).values_list("username", "id"))
    prefix = caseload_prefix(seed)
    numbers = Person.objects.filter(case_number__startswith=prefix).values_list("case_number")
    present = pl.DataFrame(list(numbers), schema={"case_number": pl.String}, orient="row")
    families = dict(Family.objects.filter(key__startswith=prefix).values_list("key", "id"))
    created = 0
    for tables in caseload_chunks(n, seed):
        persons = with_counsel(tables["persons"], counsel)
        hashes = [case_file_hash(doc) for doc in chunk_case_files(tables, counsel)]
        persons = persons.with_columns(case_file_hash=pl.Series(hashes, dtype=pl.String))
        persons = persons.join(present, on="case_number", how="anti", maintain_order="left")
        if not persons.is_empty():
            ids = reserve_ids(Person, persons.height)
            persons = persons.with_columns(
                id=pl.Series(ids, dtype=pl.Int64),
                family_id=_families(persons, families),
                counsel_id=pl.col("counsel").replace_strict(
                    counsel_ids, default=None, return_dtype=pl.Int64
                ),
            )
            bulk_append(Person, persons, with_id=True)
            person_ids = persons.select("case", person_id="id")
            for section, model in MODELS.items():
                if section != "persons" and section in tables:  # sections it draws
                    bulk_append(
                        model, tables[section].join(person_ids, on="case", maintain_order="left")
                    )
            created += persons.height
        if progress:
            progress(tables["persons"].height)
    return {"created": created, "present": n - created, "cases": n, "seed": seed}
