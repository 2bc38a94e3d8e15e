"""The self-evaluation as files: DOCX and PDF on A4 with the 公文 measures of
gongkai.foi.letter_files (notes §12.5: a 报告 to the supervising office — 主送, text, 落款
and date — without a red header or 文号), and all its evidence as one ZIP with an index."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.evaluation.models import EvaluationStatus, EvidenceFile, SelfEvaluation
from gongkai.evaluation.results import rows
from gongkai.foi.letter_files import (
    AREA_W,
    BODY_PT,
    BOTTOM,
    FACES,
    LEFT,
    LINE_PT,
    PAGE_H,
    PAGE_NO_PT,
    PAGE_W,
    RIGHT,
    TITLE_PT,
    TOP,
    TRACKING_PT,
    chinese_date,
    paragraph,
)
from gongkai.lib.safe_text import for_files


def _context(evaluation: SelfEvaluation) -> dict[str, Any]:
    text = for_files(evaluation.text)
    return {
        "title": for_files(evaluation.title),
        "recipient": for_files(evaluation.recipient),
        "paragraphs": [paragraph(line.strip()) for line in text.split("\n") if line.strip()],
        "agency_name": evaluation.agency.name,
        "date": chinese_date(evaluation.signed_on or timezone.localdate()),
        "draft": evaluation.status != EvaluationStatus.SUBMITTED,
        "faces": {k: v[1] for k, v in FACES.items()},
        "page": {
            "top": TOP, "left": LEFT, "right": RIGHT, "bottom": BOTTOM, "body": BODY_PT,
            "title": TITLE_PT, "line": LINE_PT, "tracking": TRACKING_PT, "page_no": PAGE_NO_PT,
            "two_lines": 2 * LINE_PT, "width": AREA_W,
        },
    }  # fmt: skip


def render_pdf(evaluation: SelfEvaluation) -> bytes:
    from weasyprint import HTML

    html = render_to_string("evaluation/report_pdf.html", _context(evaluation))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def render_docx(evaluation: SelfEvaluation) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    context = _context(evaluation)
    document = Document()

    def run(para: Any, text: str, face: str, size: float) -> None:
        piece = para.add_run(text)
        piece.font.size = Pt(size)
        r_fonts = piece._element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            r_fonts.set(qn(attr), FACES[face][0])

    def exact(para: Any) -> Any:
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        return fmt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    title = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    exact(title)
    run(title, context["title"], "title", TITLE_PT)
    exact(document.add_paragraph())
    if context["recipient"]:
        recipient = document.add_paragraph()
        exact(recipient)
        run(recipient, context["recipient"], "body", BODY_PT)
    for item in context["paragraphs"]:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        exact(para).first_line_indent = Pt(2 * BODY_PT)
        if item.lead:
            run(para, item.lead, item.face, BODY_PT)
        if item.rest:
            run(para, item.rest, "body", BODY_PT)
    exact(document.add_paragraph())
    for text in (context["agency_name"], context["date"]):
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        exact(para).right_indent = Pt(4 * BODY_PT)
        run(para, text, "body", BODY_PT)
    document.core_properties.title = context["title"]
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def evidence_zip(evaluation: SelfEvaluation) -> bytes:
    """Every evidence file under its indicator's folder, and 目录.txt listing them with the
    notes and the indicator's score."""
    scores = {r.key: r for r in rows(evaluation)}
    buffer = BytesIO()
    index = [f"{evaluation.title or evaluation.agency.name}", "佐证材料目录", ""]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        evidence = EvidenceFile.objects.filter(evaluation=evaluation).select_related("indicator")
        for n, item in enumerate(evidence.order_by("indicator__sort_order", "id"), start=1):
            folder = for_files(f"{item.indicator.sort_order:02d}-{item.indicator.label}")[:60]
            row = scores.get(item.indicator.key)
            line = f"{n}. 【{item.indicator.label}】"
            if row is not None and row.score is not None:
                line += f"（得分 {row.score}/{row.max}）"
            if item.file:
                name = f"{folder}/{n:03d}-{item.original_name}"
                with item.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
                line += f" {name}"
            if item.note:
                line += f" 说明：{for_files(item.note)}"
            index.append(line)
        if len(index) == 3:
            index.append("（无佐证材料）")
        archive.writestr("目录.txt", "\n".join(index) + "\n")
    return buffer.getvalue()
