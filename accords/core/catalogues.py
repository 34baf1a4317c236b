"""The translation catalogues, extracted and compiled in pure Python (Babel) so neither CI nor a
deployment needs GNU gettext. Each app keeps its own `locale/<lang>/LC_MESSAGES/django.po`, so
that work in one app merges without touching another's; the `.mo` beside it is committed, and a
test checks that every `.mo` is its `.po` compiled and that every message is translated.

    .venv/bin/python -m accords.core.catalogues            # compile every .po (make messages)
    .venv/bin/python -m accords.core.catalogues extract    # re-read the sources into the .po

`extract` reads the strings marked in an app's templates ({% translate %}, {% blocktranslate %},
`_("…")` in filters), in its Python (gettext, ngettext, pgettext and their lazy forms) and, for
core, the words the law's data files give pages (gates' titles, offence categories' labels), and
updates each language's `.po`: new messages are added untranslated (or with the translation
another app's catalogue already has for the same words), messages no longer marked are dropped.
"""

import copy
import io
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# The languages the interface is translated into (English is the source) and their plural
# rules as gettext writes them (Arabic has six forms: zero, one, two, few, many, other).
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    ),
}

# Which app's catalogue holds the strings of which templates (folders or files under
# accords/templates). The notice's page is translated with the notices' own texts.
APP_TEMPLATES = {
    "core": ("base.html", "403.html", "404.html", "registration", "core"),
    "registry": ("registry",),
    "ledger": ("ledger",),
    "programme": ("programme",),
    "transparency": ("transparency",),
    "transfers": ("transfers",),
    "reception": ("reception",),
    "cases": ("cases",),
    "audit": ("audit",),
    "jobs": ("jobs",),
}
NOT_EXTRACTED = {"transfers/notice_detail.html"}
# The notices' own texts are in their own domain (`notices`), not in the app's catalogue.
PYTHON_NOT_EXTRACTED = {"transfers/notices.py", "transfers/notice_pdf.py"}

KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def catalogues() -> list[Path]:
    """Every app's catalogue (`.po`) of the project, and the notices' own (domain `notices`)."""
    notices = ROOT.glob("transfers/notice_locale/*/LC_MESSAGES/notices.po")
    return sorted([*ROOT.glob("*/locale/*/LC_MESSAGES/django.po"), *notices])


def compiled(po: Path) -> bytes:
    """The `.mo` of a `.po`: its translated messages, fuzzy ones left out as gettext does."""
    with po.open("rb") as source:
        catalogue = read_po(source, locale=po.parent.parent.name)
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def template_files(app: str) -> list[Path]:
    """The templates whose strings go into an app's catalogue."""
    found = []
    for entry in APP_TEMPLATES.get(app, ()):
        path = TEMPLATES / entry
        found += sorted(path.rglob("*.html")) if path.is_dir() else [path]
    return [p for p in found if str(p.relative_to(TEMPLATES)) not in NOT_EXTRACTED]


def python_files(app: str) -> list[Path]:
    """An app's Python, its tests and migrations aside."""
    return [
        p
        for p in sorted((ROOT / app).rglob("*.py"))
        if not {"tests", "migrations", "locale"} & set(p.relative_to(ROOT / app).parts)
        and str(p.relative_to(ROOT)) not in PYTHON_NOT_EXTRACTED
    ]


def data_messages(app: str) -> list[tuple[str, Path, int]]:
    """The words pages show that live in data files rather than code, with where they are:
    the gates' titles in the regime files and the offence categories' labels. They belong to
    core's catalogue, since `accords.core.words` is what shows them."""
    if app != "core":
        return []
    found = []
    sources = [(p, "gates", "title") for p in sorted((ROOT / "law" / "regimes").glob("*.yaml"))]
    sources.append((ROOT / "law" / "data" / "offence-categories.yaml", None, "label"))
    for path, key, field in sources:
        text = path.read_text()
        items = yaml.safe_load(text)
        lines = text.split("\n")
        for item in items[key] if key else items:
            said = " ".join(item[field].split())
            line = next((n for n, t in enumerate(lines, 1) if f"{field}: {item[field]}" in t), 0)
            found.append((said, path, line))
    return found


def _django_template_extractor(fileobj, keywords, comment_tags, options):
    """A Django template read as Django's makemessages reads it: `templatize` turns the tags
    into gettext calls in Python, which Babel's Python extractor then reads."""
    from babel.messages.extract import extract_python
    from django.utils.translation.template import templatize

    # Each line unindented: the tokenizer would otherwise read the page's indentation.
    code = "\n".join(
        line.lstrip() for line in templatize(fileobj.read().decode("utf-8")).split("\n")
    )
    yield from extract_python(io.BytesIO(code.encode("utf-8")), keywords, comment_tags, options)


def messages(app: str) -> Catalog:
    """The messages marked in an app's templates and Python, as a template catalogue."""
    pot = Catalog(fuzzy=False)
    sources = [(p, "python") for p in python_files(app)]
    sources += [(p, _django_template_extractor) for p in template_files(app)]
    for path, method in sources:
        with path.open("rb") as fileobj:
            found = extract(method, fileobj, keywords=KEYWORDS, comment_tags=("Translators:",))
            for lineno, message, comments, context in found:
                where = [(str(path.relative_to(ROOT.parent)), lineno)]
                pot.add(message, locations=where, auto_comments=comments, context=context)
    for said, path, line in data_messages(app):
        pot.add(said, locations=[(str(path.relative_to(ROOT.parent)), line)])
    return pot


def memory(language: str) -> dict:
    """Every translation any app's catalogue has in a language, by message id and context."""
    known = {}
    for po in catalogues():
        if po.parent.parent.name != language:
            continue
        with po.open("rb") as source:
            for m in read_po(source, locale=language):
                if (
                    m.id
                    and not m.fuzzy
                    and (any(m.string) if isinstance(m.string, tuple) else m.string)
                ):
                    known.setdefault((m.id, m.context), m.string)
    return known


def updated(app: str, language: str, pot: Catalog, known: dict) -> Catalog:
    """An app's catalogue in one language, brought up to date with its marked messages."""
    po = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
    if po.exists():
        with po.open("rb") as source:
            catalogue = read_po(source, locale=language)
    else:
        catalogue = Catalog(locale=language, project="Accords", version="1", fuzzy=False)
        catalogue.header_comment = f"# {language} for the {app} app's pages.\n#"
    # Babel's update adds the template's own message objects: each language gets a copy.
    catalogue.update(copy.deepcopy(pot), no_fuzzy_matching=True, update_header_comment=False)
    catalogue.obsolete.clear()
    catalogue._set_mime_headers([("Plural-Forms", PLURAL_FORMS[language])])
    for message in catalogue:
        empty = not (any(message.string) if isinstance(message.string, tuple) else message.string)
        if message.id and empty and (message.id, message.context) in known:
            message.string = known[(message.id, message.context)]
    return catalogue


def write(app: str, language: str, catalogue: Catalog) -> Path:
    po = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalogue, width=99, omit_header=False, sort_output=True)
    po.write_bytes(out.getvalue())
    return po


def extract_all() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
    django.setup()
    known = {language: memory(language) for language in PLURAL_FORMS}
    for app in APP_TEMPLATES:
        pot = messages(app)
        for language in PLURAL_FORMS:
            po = write(app, language, updated(app, language, pot, known[language]))
            print(f"extracted {len(pot)} messages into {po.relative_to(ROOT.parent)}")


def main() -> None:
    for po in catalogues():
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["extract"]:
        extract_all()
    main()
