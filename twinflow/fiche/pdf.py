"""A revision as PDF (fpdf2): the particulars, then each section as submitted.

DejaVu Sans (Debian's fonts-dejavu-core) carries Georgian, Armenian, Cyrillic and Greek, the
scripts beneficiaries write in; without it the built-in Helvetica is used and characters it
lacks print as "?" rather than failing."""

from pathlib import Path

from fpdf import FPDF

from twinflow.fiche.forms import outline
from twinflow.fiche.operations import PARTICULARS
from twinflow.fiche.sections import template
from twinflow.i18n import gettext as _
from twinflow.i18n import lazy_gettext

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LABELS = {
    "title": lazy_gettext("Title"),
    "beneficiary_institution": lazy_gettext("Beneficiary institution"),
    "sector": lazy_gettext("Sector"),
    "instrument": lazy_gettext("Instrument"),
    "budget_eur": lazy_gettext("Budget (EUR)"),
    "implementation_months": lazy_gettext("Implementation (months)"),
}


def _font(pdf: FPDF) -> tuple[str, bool]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu", True
    return "Helvetica", False


def revision_pdf(project, revision) -> bytes:
    pdf = FPDF(format="A4")
    family, unicode_font = _font(pdf)

    def text(value) -> str:
        value = str(value)
        return value if unicode_font else value.encode("latin-1", "replace").decode("latin-1")

    title = revision.particulars.get("title") or project.title
    pdf.set_title(text(title))
    pdf.set_creator("twinflow")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(family, "", 9)
    heading = _("Twinning Fiche, revision %(number)s", number=revision.number)
    pdf.cell(0, 5, text(f"{project.reference} · {heading}"))
    pdf.ln(8)
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "", 10)
    when = revision.submitted_at.strftime("%Y-%m-%d %H:%M UTC")
    submitted = _("Submitted %(date)s", date=when)
    pdf.multi_cell(0, 5, text(submitted), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for key in PARTICULARS:
        line = f"{LABELS[key]}: {revision.particulars.get(key, '')}"
        pdf.multi_cell(0, 5, text(line), new_x="LMARGIN", new_y="NEXT")
    for s in template().sections:
        value = revision.sections.get(s.key)
        body = outline(value) if s.kind == "components" else (value or "")
        pdf.ln(4)
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 6, text(s.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)
        pdf.multi_cell(0, 5, text(body or "—"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
