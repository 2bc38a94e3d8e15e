"""The portal's papers: the 回执 after an online application and each agency's paper
application form (政府信息公开申请表), A4, as PDF (WeasyPrint) and DOCX (python-docx).

The 回执 is made from what the confirmation page shows; it holds the query code, so it is
made once, on that page, and handed to the browser inside the page (never stored).
The application form lists the groups of gongkai.foi.forms.APPLICATION_GROUPS (the fields of
the online form and of the office's registration form, in their order), their choices as
boxes to tick and blank lines to write on; one sheet serves persons and organisations.
All text passes through `for_files`, so a control character cannot break a file.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any, cast

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.foi.forms import APPLICATION_GROUPS, ApplicationForm
from gongkai.foi.letter_files import FACES, chinese_date
from gongkai.lib.safe_text import for_files
from gongkai.orgs.models import Agency

FONT = FACES["body"][1]
TITLE_FONT = FACES["title"][1]
BOX = "□"
# Lines to write on, per field: a long answer gets more.
WRITE_LINES = {"description": 5, "document_refs": 2, "address": 2}
# Labels that read better on paper than the online form's.
PAPER_LABELS = {"credit_code_missing": gettext_lazy("Reason there is no credit code")}
# Under each applicant group's legend: who fills it in.
PAPER_HINTS = {
    "person": gettext_lazy("(to be filled in by a natural person)"),
    "organisation": gettext_lazy("(to be filled in by an organisation)"),
}


def _day(value: str) -> str:
    try:
        return chinese_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return ""


# ---- the 回执 ----------------------------------------------------------------------------


def receipt_rows(receipt: dict[str, Any]) -> list[tuple[str, str]]:
    contact = for_files(receipt.get("agency", ""))
    if receipt.get("phone"):
        contact += "，" + _("telephone") + " " + for_files(receipt["phone"])
    if receipt.get("address"):
        contact += "，" + for_files(receipt["address"])
    rows = [
        (_("Application number"), for_files(receipt.get("number", ""))),
        (_("Query code"), for_files(receipt.get("code", ""))),
        (_("Date of receipt"), _day(receipt.get("received_on", ""))),
        (_("Reply due by"), _day(receipt.get("due_on", ""))),
        (_("Contact"), contact),
    ]
    return [(label, value) for label, value in rows if value]


def receipt_pdf(receipt: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "portal/receipt_pdf.html",
        {
            "agency": for_files(receipt.get("agency", "")),
            "rows": receipt_rows(receipt),
            "font": FONT,
            "title_font": TITLE_FONT,
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def receipt_data_url(receipt: dict[str, Any]) -> str:
    """The 回执 as a data: address for the confirmation page's download link."""
    return "data:application/pdf;base64," + base64.b64encode(receipt_pdf(receipt)).decode()


# ---- the paper application form ----------------------------------------------------------


@dataclass(frozen=True)
class FormRow:
    name: str
    label: str
    choices: list[str] = field(default_factory=list)
    lines: int = 1

    @property
    def blank(self) -> range:
        return range(self.lines)


@dataclass(frozen=True)
class FormSection:
    legend: str
    rows: list[FormRow]


def form_sections() -> list[FormSection]:
    """The online form's groups and fields, in its order: choices to tick, or lines to
    write on."""
    fields = ApplicationForm().fields
    sections = []
    for group in APPLICATION_GROUPS:
        rows = []
        for name in group.fields:
            bound = fields[name]
            label = for_files(str(PAPER_LABELS.get(name) or bound.label or name))
            choices: list[str] = []
            if isinstance(bound, forms.ChoiceField):
                choices = [
                    for_files(str(text))
                    for value, text in cast(Iterable[tuple[Any, Any]], bound.choices)
                    if value != ""
                ]
            rows.append(FormRow(name, label, choices, WRITE_LINES.get(name, 1)))
        legend = str(group.legend) + str(PAPER_HINTS.get(group.key, ""))
        sections.append(FormSection(for_files(legend), rows))
    return sections


def form_rows() -> list[FormRow]:
    return [row for section in form_sections() for row in section.rows]


def form_title() -> str:
    return _("Application for government information disclosure")


def _form_context(agency: Agency) -> dict[str, Any]:
    return {
        "title": form_title(),
        "agency": for_files(agency.name),
        "address": for_files(agency.office_address),
        "phone": for_files(agency.office_phone),
        "sections": form_sections(),
        "box": BOX,
        "font": FONT,
        "title_font": TITLE_FONT,
        "signature": _("Signature or seal of the applicant"),
        "date_label": _("Date"),
    }


def application_form_pdf(agency: Agency) -> bytes:
    from weasyprint import HTML

    html = render_to_string("portal/application_form_pdf.html", _form_context(agency))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def application_form_docx(agency: Agency) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    context = _form_context(agency)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = FACES["body"][0]
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FACES["body"][0])

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(context["title"])
    run.bold = True
    run.font.size = Pt(18)
    sub = document.add_paragraph(context["agency"])
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    blank = "_" * 40
    for section in context["sections"]:
        heading_cells = table.add_row().cells
        merged = heading_cells[0].merge(heading_cells[1])
        merged.text = section.legend
        merged.paragraphs[0].runs[0].bold = True
        for row in section.rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(45), Mm(125)
            cells[0].text = row.label
            if row.choices:
                cells[1].text = "　".join(f"{BOX} {choice}" for choice in row.choices)
            else:
                cells[1].text = "\n".join([blank] * row.lines)
    document.add_paragraph()
    document.add_paragraph(
        f"{context['signature']}：{'_' * 20}　{context['date_label']}：{'_' * 14}"
    )
    if context["address"] or context["phone"]:
        document.add_paragraph(
            "　".join(value for value in (context["address"], context["phone"]) if value)
        )
    out = BytesIO()
    document.save(out)
    return out.getvalue()
