"""The caseload, the case page, the audit log's pages, the jobs and the home page read wholly in
French, Spanish and Arabic: each page, asked for by the role that uses it in a browser that asks
for the language, shows none of the English of its app's catalogue and shows its headings in
the language; and no string of those pages' templates is left out of the catalogues.

Two checks, because each catches what the other cannot:

- On the rendered page, every message of the page's app catalogue (and core's, which holds the
  header, the gates' titles and the offence categories) whose translation differs from its
  English must not appear in English: a piece of three words or more of its text between
  placeholders is looked for in the page's visible text. A message marked but left
  untranslated, or shown with `gettext` missing, fails here. A handful of known headings per
  page must appear in the language: a heading whose `{% translate %}` were removed would
  appear in English, and fail.
- A string written into a template without `{% translate %}` is in no catalogue, so the first
  check cannot name it; the second reads the templates themselves and fails on any words left
  outside a translation tag (text between tags, or a `title`, `aria-label`, `placeholder` or
  `alt` attribute).

The law's own words on the case page (a gate's reason, rule and citation, from the regime
files) are English and marked lang="en"; the pages' text inside such an element is not looked
at.
"""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.utils import timezone, translation

from accords.cases.models import Person
from accords.core.catalogues import ROOT, TEMPLATES
from accords.demo.accounts import DEMO_PASSWORD
from accords.jobs.running import job_start
from accords.transfers.tests import stages

ASKS = {"fr": "fr-FR,fr;q=0.9,en;q=0.5", "es": "es-SV,es;q=0.9", "ar": "ar-LY,ar;q=0.9,en;q=0.3"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
WORDS_AT_LEAST = 3  # shorter pieces ("Log", "the rule") could be a name or a code on the page


class _Text(HTMLParser):
    """The words a reader sees: text outside <script> and <style>, and the attributes a browser
    shows or reads aloud; an element marked lang="en" is left out, being English on purpose
    (the law's own words on the case page)."""

    SHOWN = ("title", "aria-label", "placeholder", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._open = [], []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = tag in ("script", "style") or attrs.get("lang") == "en"
        if not (hidden or self._hidden()):
            self.parts += [attrs[name] or "" for name in self.SHOWN if name in attrs]
            if tag == "input" and attrs.get("type") in ("submit", "button"):
                self.parts.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self._open.append((tag, hidden))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def _visible(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def _english_pieces(app: str, language: str) -> dict[str, str]:
    """The English pieces (3 words or more between placeholders) of the messages of an app's
    catalogue whose translation in the language differs from the English, with their message."""
    po = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
    with po.open("rb") as source:
        catalogue = read_po(source, locale=language)
    pieces = {}
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            for piece in PLACEHOLDER.split(english):
                piece = " ".join(piece.split()).strip(" ,;:.()")
                if len(re.findall(r"[A-Za-z]+", piece)) >= WORDS_AT_LEAST:
                    pieces[piece] = english
    return pieces


def _client(username: str | None, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=ASKS[language])
    if username:
        assert client.login(username=username, password=DEMO_PASSWORD)
    return client


@pytest.fixture(scope="module")
def built(built_once):
    return built_once(_scene_make)


@pytest.fixture
def scene(built, db):
    """Built once for the module's thirty pages in three languages."""
    return built


def _scene_make() -> dict:
    """A person referred, noticed and accepted (their case page has a history and a
    checklist), a screening of the caseload run as a job (the worklist has rows, the job a
    result) and the audit log written by all of it."""
    world = stages.world_make()
    (person,) = stages.people("LG-1")
    stages.ready(world, person)
    job = job_start(actor=world["sending.supervisor"], kind="screening",
                    arguments={"as_of": timezone.localdate().isoformat()})  # fmt: skip
    assert job.status == job.Status.SUCCEEDED, job.error
    return {"case": Person.objects.get(case_number="LG-1").case_number, "job": job.pk}


# Each page: who reads it, how it is asked for, the catalogues whose English must not show, and
# headings that must show in the language (their English is the message id).
PAGES = {
    "home (signed out)": (None, "GET", "/", ("core",), (
        "Officers, counsel, monitors and auditors find their work here once signed in.",
    )),
    "home (auditor)": ("auditor", "GET", "/", ("core",), (
        "The audit log", "Search and verify the log",
    )),
    "worklist": ("sending.supervisor", "GET", "/cases/", ("cases", "core"), (
        "Caseload worklist", "Saved filters", "Gates not passed", "Export as CSV",
    )),
    "case page": ("sending.officer", "GET", "/cases/{case}/", ("cases", "core"), (
        "Where the person is now", "Gate checklist", "Everything on record, newest first",
        "Stored screening decisions",
    )),
    "case officer": ("sending.supervisor", "GET", "/cases/{case}/officer/", ("cases", "core"), (
        "Back to the worklist",
    )),
    "audit entries": ("auditor", "GET", "/audit/entries/", ("audit", "core"), (
        "The audit log's entries", "Verify the log", "Records written",
    )),
    "audit verified": ("auditor", "POST", "/audit/verify", ("audit", "core"), (
        "The log checks out.",
    )),
    "audit monitor": ("monitor", "GET", "/audit/", ("audit", "core"), (
        "The audit log, for monitors", "Proof that the log has only grown",
    )),
    "jobs": ("sending.supervisor", "GET", "/jobs/", ("jobs", "core"), (
        "Jobs", "Asked by", "Screening the caseload",
    )),
    "job": ("sending.supervisor", "GET", "/jobs/{job}/", ("jobs", "core"), (
        "Result", "All jobs", "See the worklist",
    )),
}  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
@pytest.mark.parametrize("page_name", PAGES)
def test_each_page_reads_in_the_language_the_browser_asks_for(scene, page_name, language):
    username, method, url, apps, headings = PAGES[page_name]
    client = _client(username, language)
    url = url.format(**scene)
    answer = client.post(url, {"scope": "whole"}) if method == "POST" else client.get(url)
    assert answer.status_code == 200, (page_name, answer.status_code)
    page = answer.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    text = _visible(page)

    left = {}
    for app in apps:
        left |= {p: m for p, m in _english_pieces(app, language).items() if p in text}
    assert not left, f"{page_name} in {language} shows English: {sorted(left.values())}"

    with translation.override(language):
        for heading in headings:
            said = " ".join(unescape(translation.gettext(heading)).split())
            assert said != heading, f"{heading!r} has no {language} translation"
            assert said in text, f"{page_name} in {language}: {heading!r} is not shown as {said!r}"


# The templates of the pages above, each app's folder and core's.
FOLDERS = ("cases", "audit", "jobs", "core")
_TRANSLATED_BLOCK = re.compile(
    r"{%\s*blocktranslate\b.*?%}.*?{%\s*endblocktranslate\s*%}|{%\s*comment\s*%}.*?"
    r"{%\s*endcomment\s*%}|{#.*?#}",
    re.S,
)
_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_SHOWN_ATTRIBUTE = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')
_HTML_TAG = re.compile(r"<[^>]*>", re.S)


def unmarked_words(source: str) -> list[str]:
    """The words a template shows without a translation tag: what is left once translated
    blocks, template tags and variables, and HTML tags (their shown attributes kept) are out."""
    rest = _TRANSLATED_BLOCK.sub(" ", source)
    attributes = [_TAG.sub(" ", value) for value in _SHOWN_ATTRIBUTE.findall(rest)]
    rest = _HTML_TAG.sub(" ", _TAG.sub(" ", rest))
    rest = re.sub(r"&\w+;|&#\d+;", " ", rest)
    return re.findall(r"[^\W\d_]{2,}", " ".join([rest, *attributes]))


def test_the_check_of_the_templates_finds_a_word_left_unmarked():
    marked = '{% translate "Jobs" %} <a title="{{ x }}">{% blocktranslate %}All {{ n }}{% endblocktranslate %}</a> · {{ job.percent }} %'  # noqa: E501
    assert unmarked_words(marked) == []
    assert unmarked_words("<h2>Result</h2>") == ["Result"]
    assert unmarked_words('<abbr title="Case number">#</abbr>') == ["Case", "number"]
    assert unmarked_words('{{ x|default:"none of record" }}') == []  # a variable: see below


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_words_in_these_pages_templates_are_left_outside_a_translation_tag(folder):
    found = {}
    for path in sorted((TEMPLATES / folder).rglob("*.html")):
        words = unmarked_words(path.read_text())
        # A filter's default written as plain text is shown as it is: it must be _("…").
        words += re.findall(r'\|default:"([^"]*[^\W\d_]{2,}[^"]*)"', path.read_text())
        if words:
            found[str(Path(folder) / path.name)] = words
    assert found == {}, f"words outside {{% translate %}}: {found}"
