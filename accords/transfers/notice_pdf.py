"""A served notice as a PDF, drawn with fpdf2 from the text exactly as served, with the record
of its service: destination, agreement, language, whether the translation was checked, the
interpreter's attestation, and when counsel was served electronically.

Fonts: nothing may be assumed on a machine beyond what the lock file installs. The notices'
languages (English, Spanish, French, Arabic) are drawn in Noto Sans Arabic, which also covers
Latin, as the `justmytype-intl-rtl` package ships it (SIL Open Font License); its bold is the
same variable font at weight 700. Arabic is shaped (letters joined, set right to left) by
fpdf2's text shaping through uharfbuzz. Text in a script the font has no glyphs for is not
dropped silently: the PDF says so in place and on its first page. The exact text as served is
always attached to the PDF as a UTF-8 file (and shown on the notice's web page).

Speed: making a static instance of the variable font at each weight took some 4 s a weight,
on every PDF (fpdf2 instantiates a variable font in `add_font`). Each weight is instantiated
once per machine instead: saved as a static font in the user's cache directory, under a name that
carries a digest of the variable font and the fontTools version, and loaded from there by each
PDF (`benchmarks/notices.py` measures both paths).
"""

import hashlib
import os
import re
import tempfile
import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

import fontTools
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from accords.transfers.models import NoticeDocument
from accords.transfers.notices import Words, counsel_name, officer_name

FONT = files("justmytype_intl_rtl") / "fonts/ofl/notosansarabic/NotoSansArabic[wdth,wght].ttf"
FAMILY = "NotoSansArabic"
# Letters of scripts that join and run right to left: the lines that need shaping.
NEEDS_SHAPING = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
NOT_DRAWN = "[not drawn: this line is in a script the PDF's font cannot show; see the note]"


@cache
def _glyphs() -> frozenset[int]:
    """The characters the font can draw."""
    return frozenset(TTFont(str(FONT)).getBestCmap())


WEIGHTS = {"": 400, "B": 700}


def _font_cache() -> Path:
    """The user's own cache directory for fonts (not the shared temporary directory, where
    another account could leave a file under the name looked for); a private temporary one
    when the home directory cannot be written."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    try:
        folder = base / "accords" / "fonts"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder
    except OSError:
        return Path(tempfile.mkdtemp(prefix="accords-fonts-"))


@cache
def static_font(weight: int) -> Path:
    """The variable font instantiated at `weight`, as a static font file made once per machine
    and user (the same instance fpdf2 would make from the variable font on every PDF)."""
    digest = hashlib.sha256(FONT.read_bytes()).hexdigest()[:16]
    path = _font_cache() / f"{FAMILY}-{digest}-ft{fontTools.version}-w{weight}.ttf"
    if not path.exists():
        font = TTFont(str(FONT), recalcTimestamp=False)
        instancer.instantiateVariableFont(font, {"wght": weight}, inplace=True, static=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        font.save(str(partial))
        os.replace(partial, path)  # whole or not at all, whoever writes it first
    return path


def _drawable(text: str) -> bool:
    glyphs = _glyphs()
    return all(ord(c) in glyphs for c in text if not c.isspace())


def _shown(text: str) -> str:
    return text if _drawable(text) else NOT_DRAWN


def _alignment(text: str) -> str:
    """Right for a line whose first letter is of a right-to-left script, else left."""
    for c in text:
        direction = unicodedata.bidirectional(c)
        if direction in ("R", "AL"):
            return "R"
        if direction == "L":
            return "L"
    return "L"


def _record(document: NoticeDocument) -> list[tuple[str, str]]:
    referral, notice = document.referral, document.notice
    person, agreement = referral.person, referral.agreement
    translation = (
        "checked by a qualified translator"
        if document.translation_checked
        else "NOT checked by a qualified translator"
    )
    interpreter = "none"
    if notice.interpreter_name:
        interpreter = f"{notice.interpreter_name}, reading it in {notice.interpreter_language}"
    electronic = (
        f"{document.served_electronically_at:%Y-%m-%d %H:%M:%S %Z}"
        if document.served_electronically_at
        else "not served electronically (no counsel of record)"
    )
    english = Words("en", ZoneInfo("UTC"))
    return [
        ("Person", f"{person.given_name} {person.family_name}"),
        ("Case", person.case_number),
        ("Serving officer", officer_name(english, notice.recorded_by)),
        ("Counsel of record", counsel_name(english, person)),
        ("Destination", f"{agreement.receiving_state.name} ({agreement.receiving_state_id})"),
        ("Agreement", f"{agreement.name} ({agreement.key})"),
        ("Proposed transfer date", referral.proposed_on.isoformat()),
        ("Served at", f"{notice.served_at:%Y-%m-%d %H:%M:%S %Z}"),
        ("Served on", notice.get_served_on_display()),
        ("Method", notice.method),
        ("Language of the notice", document.language),
        ("Translation", translation),
        ("Understood by the person", "yes" if notice.understood else "NO"),
        ("Interpreter", interpreter),
        ("Interpreter's attestation", document.interpreter_attestation or "none"),
        ("Served electronically on counsel", electronic),
    ]


def attachment_name(document: NoticeDocument) -> str:
    case = document.referral.person.case_number
    return f"notice-{case}-{document.pk}-{document.language}.txt"


def notice_pdf(document: NoticeDocument, *, variable_font: bool = False) -> bytes:
    """The PDF of a served notice. `variable_font`: the old path, fpdf2 instantiating the
    variable font on every PDF, kept for `benchmarks/notices.py` to measure against."""
    record = _record(document)
    lines = document.text.split("\n")
    undrawn = not all(_drawable(t) for t in [*lines, *(value for _, value in record)])

    pdf = FPDF(format="A4")
    for style, weight in WEIGHTS.items():
        if variable_font:
            pdf.add_font(FAMILY, style, fname=str(FONT), variations={"wght": weight})
        else:
            pdf.add_font(FAMILY, style, fname=str(static_font(weight)))
    if not variable_font:
        # The static instances' glyph bounds are right as saved: without this, fontTools
        # unpacks and recompiles every glyph of the subset to recompute them on each PDF.
        for font in pdf.fonts.values():
            font.ttfont.recalcBBoxes = False
    pdf.set_text_shaping(True)  # each paragraph below says whether it needs it
    pdf.set_title(_shown(f"Notice of removal, case {document.referral.person.case_number}"))
    pdf.set_creator("Accords")
    pdf.set_lang(document.language)
    pdf.embed_file(
        bytes=document.text.encode("utf-8"),
        basename=attachment_name(document),
        desc="The notice exactly as served (UTF-8 text)",
        mime_type="text/plain",
    )
    pdf.add_page()
    pdf.set_auto_page_break(True, margin=15)

    widths: dict[tuple[str, float, str], float] = {}

    def paragraph(text: str, size: float = 10, style: str = "", height: float = 5) -> None:
        pdf.set_font(FAMILY, style, size)
        if variable_font:  # the old path, shaped throughout
            pdf.multi_cell(0, height, text, align=_alignment(text), new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)  # fmt: skip
            return
        if not NEEDS_SHAPING.search(text):
            # Latin text needs no shaping: fpdf2 measures it from the font's widths
            pdf.set_text_shaping(False)
            pdf.multi_cell(0, height, text, align=_alignment(text), new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)  # fmt: skip
            return
        # Right-to-left text is shaped once a word to break its lines, and once a line to draw
        # it (fpdf2's multi_cell shapes the growing line again at every character).
        pdf.set_text_shaping(True)
        left = pdf.x
        width = pdf.w - pdf.r_margin - left

        def measured(word: str) -> float:
            key = (style, size, word)
            if key not in widths:
                widths[key] = pdf.get_string_width(word)
            return widths[key]

        space = measured(" ")
        lines, words, used = [], [], 0.0
        for word in text.split(" "):
            taken = measured(word)
            if words and used + space + taken > width:
                lines.append(" ".join(words))
                words, used = [], 0.0
            used += (space if words else 0.0) + taken
            words.append(word)
        lines.append(" ".join(words))
        align = _alignment(text)
        for line in lines:
            pdf.set_x(left)
            pdf.cell(width, height, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    paragraph("Record of service of a notice of removal to a third country", 14, "B", 8)
    for label, value in record:
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(70, 5, f"{label}:")
        paragraph(_shown(value))
    if undrawn:
        pdf.ln(3)
        paragraph(
            "Note: part of this notice is in a script that this PDF cannot draw: the font "
            "installed with Accords has no glyphs for it, so those lines are "
            "marked below instead of drawn. Nothing is omitted from the record: the exact text "
            f"as served is attached to this PDF as {attachment_name(document)} (UTF-8) and is "
            "shown on the notice's page in Accords.",
            10,
            "B",
        )
    pdf.ln(4)
    paragraph("Text of the notice as served", 12, "B", 7)
    for line in lines:
        paragraph(_shown(line), 11, "", 5.5)
    return bytes(pdf.output())
