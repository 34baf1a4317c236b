"""Time to draw one notice PDF, in each notice language: mean and p95 over 20, after the first
(which makes the static fonts if this machine has none yet: its time is printed apart), and the
old path (fpdf2 instantiating the variable font on every PDF) over a few, as the baseline.

    .venv/bin/python benchmarks/notices.py          # no database needed: unsaved records

The records are built in memory (a synthetic person, the US-Rwanda agreement, a served notice
with its text in the language), so the figure is the PDF's alone, not a query's.
"""

import os
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
os.environ.setdefault("ACCORDS_DATABASE_URL", "sqlite://")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402

from accords.cases.models import Notice, Person  # noqa: E402
from accords.registry.models import Agreement, State  # noqa: E402
from accords.transfers import notice_pdf  # noqa: E402
from accords.transfers.models import NoticeDocument, Referral  # noqa: E402
from accords.transfers.notices import NOTICE_LANGUAGES, notice_text  # noqa: E402
from benchmarks.common import machine  # noqa: E402

RUNS = 20
BASELINE_RUNS = 2


def document(language: str) -> NoticeDocument:
    officer = User(username="officer.bench", first_name="Pat", last_name="Quillfeather")
    person = Person(case_number="BENCH-1", given_name="Tamsin", family_name="Orvelle",
                    birth_date=date(1990, 1, 1), languages=[language])  # fmt: skip
    agreement = Agreement(
        key="us-rwanda", name="United States–Rwanda third-country removal agreement",
        sending_state=State(code="US", name="United States"),
        receiving_state=State(code="RW", name="Rwanda"), regime="us",
    )  # fmt: skip
    referral = Referral(person=person, agreement=agreement, proposed_on=date(2026, 12, 1))
    served_at = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    text, checked = notice_text(referral, language, served_at=served_at, officer=officer,
                                policies=())  # fmt: skip
    notice = Notice(person=person, destination="RW", served_at=served_at, language=language,
                    understood=True, served_on="person", method="in person",
                    recorded_by=officer)  # fmt: skip
    return NoticeDocument(notice=notice, referral=referral, language=language,
                          translation_checked=checked, text=text)  # fmt: skip


CPU: list[float] = []  # the process's CPU time of each PDF timed last


def timed(make, runs: int) -> list[float]:
    """Wall-clock seconds of each run; the CPU seconds in `CPU` (on a shared machine the wall
    clock also counts the time other work held the cores)."""
    times = []
    CPU.clear()
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        pdf = make()
        times.append(time.perf_counter() - start)
        CPU.append(time.process_time() - cpu)
        assert pdf.startswith(b"%PDF")
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def main() -> None:
    print(f"notice PDFs: {machine()}")
    documents = {language: document(language) for language in NOTICE_LANGUAGES}
    first = timed(lambda: notice_pdf.notice_pdf(documents["en"]), 1)[0]
    print(f"  first PDF in this process (fonts loaded or made once): {first * 1000:.0f} ms")
    means = {}
    for language, doc in documents.items():
        times = timed(lambda doc=doc: notice_pdf.notice_pdf(doc), RUNS)
        means[language] = statistics.mean(times)
        print(f"  {language}: mean {means[language] * 1000:.0f} ms, p95 {p95(times) * 1000:.0f} ms"
              f" over {RUNS} (CPU mean {statistics.mean(CPU) * 1000:.0f} ms,"
              f" p95 {p95(CPU) * 1000:.0f} ms)")  # fmt: skip
    for language in ("en", "ar"):
        doc = documents[language]
        old = timed(lambda doc=doc: notice_pdf.notice_pdf(doc, variable_font=True), BASELINE_RUNS)
        mean = statistics.mean(old)
        print(f"  baseline, the variable font instantiated on every PDF ({language}): "
              f"mean {mean * 1000:.0f} ms over {BASELINE_RUNS}; "
              f"{mean / means[language]:.0f}x the time now")  # fmt: skip


if __name__ == "__main__":
    main()
