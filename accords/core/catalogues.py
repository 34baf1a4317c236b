"""The translation catalogues, compiled in pure Python (Babel) so neither CI nor a deployment
needs GNU gettext: each `locale/<lang>/LC_MESSAGES/django.po` of an app is compiled to the
`.mo` beside it, which is committed; a test checks that every `.mo` is its `.po` compiled.

    .venv/bin/python -m accords.core.catalogues     # after editing a .po (make messages)
"""

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


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


def main() -> None:
    for po in catalogues():
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
