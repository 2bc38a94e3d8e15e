"""The 回执 PDF and the paper application form, opened back."""

from __future__ import annotations

import base64
import io
import re

import pdfplumber
from django.urls import reverse
from docx import Document

from gongkai.foi.forms import APPLICATION_FIELDS
from gongkai.foi.models import Application
from gongkai.orgs.models import Agency
from gongkai.portal.papers import form_rows
from tests.portal.test_apply_and_track import FORM, code_of


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as opened:
        assert opened.pages[0].width == 595.28 or round(opened.pages[0].width) == 595  # A4
        return "\n".join(page.extract_text() or "" for page in opened.pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def receipt_of(page: str) -> bytes:
    match = re.search(r'data-receipt-pdf href="data:application/pdf;base64,([^"]+)"', page)
    assert match is not None, "no receipt link on the page"
    return base64.b64decode(match.group(1))


def test_the_confirmation_page_offers_the_receipt_as_pdf_once(client, cast):
    page = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True).content.decode()
    application = Application.objects.get()
    text = pdf_text(receipt_of(page))
    assert "政府信息公开申请回执" in text
    assert application.number in text and code_of(page) in text
    received = application.received_on
    assert f"{received.year}年{received.month}月{received.day}日" in text
    assert application.due_on is not None
    assert f"{application.due_on.year}年{application.due_on.month}月" in text
    assert application.agency.name in text
    # Not stored: a reload of the page has no receipt, and the session keeps no code.
    again = client.get(reverse("portal:apply_done")).content.decode()
    assert "data-receipt-pdf" not in again
    assert code_of(page) not in str(dict(client.session))


def test_a_control_character_in_the_agency_name_does_not_break_the_papers(client, cast):
    agency = Agency.objects.get(code="a")
    # (NUL itself cannot reach the database: PostgreSQL refuses it in any text column.)
    agency.name = "某某\x01市\x0b人民政府\x1f办公室"
    agency.save()
    page = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True).content.decode()
    assert "某某市人民政府办公室" in pdf_text(receipt_of(page)).replace(" ", "")
    pdf = client.get(reverse("portal:application_form", args=["a", "pdf"]))
    assert "某某市人民政府办公室" in pdf_text(pdf.content).replace(" ", "")
    docx = client.get(reverse("portal:application_form", args=["a", "docx"]))
    assert "某某市人民政府办公室" in docx_text(docx.content)


def test_anyone_downloads_the_paper_application_form_with_the_online_fields(client, cast):
    apply_page = client.get(reverse("portal:apply", args=["a"])).content.decode()
    pdf_url = reverse("portal:application_form", args=["a", "pdf"])
    docx_url = reverse("portal:application_form", args=["a", "docx"])
    assert pdf_url in apply_page and docx_url in apply_page
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as opened:
        assert len(opened.pages) == 1  # one sheet of A4
    docx = client.get(docx_url)
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    section = Document(io.BytesIO(docx.content)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    agency = Agency.objects.get(code="a")
    for text in (pdf_text(pdf.content).replace(" ", ""), docx_text(docx.content)):
        assert "政府信息公开申请表" in text and agency.name in text
        # The fields of the online form, their choices as boxes to tick.
        for label in (
            "申请人类型",
            "自然人（自然人填写）",
            "姓名",
            "证件号码",
            "法人或其他组织（法人或其他组织填写）",
            "名称",
            "统一社会信用代码",
            "境外组织",
            "联系电话",
        ):
            assert label in text, label
        assert "□" in text and "居民身份证" in text
        assert "申请人签名或者盖章" in text
        assert "无统一社会信用代码的" in text  # wrapped in the PDF's narrow column
        assert "English" not in text and "---" not in text and "请选择" not in text


def test_no_form_for_an_unknown_agency_or_format(client, cast):
    assert client.get(reverse("portal:application_form", args=["zz", "pdf"])).status_code == 404
    assert client.get(reverse("portal:application_form", args=["a", "odt"])).status_code == 404


def input_names(html: str) -> list[str]:
    """The names of the form's inputs, in the page's order, each once."""
    names: list[str] = []
    for name in re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html):
        if name not in names:
            names.append(name)
    return names


def test_the_paper_form_the_portal_and_the_office_list_the_same_fields_in_order(client, cast):
    rows = form_rows()
    online = [
        name
        for name in input_names(client.get(reverse("portal:apply", args=["a"])).content.decode())
        if name in APPLICATION_FIELDS
    ]
    client.force_login(cast.officer_a)
    office = [
        name
        for name in input_names(client.get(reverse("foi:register")).content.decode())
        if name in APPLICATION_FIELDS
    ]
    assert [row.name for row in rows] == online == office == list(APPLICATION_FIELDS)
    # The same labels, read back from the DOCX table in its order.
    docx = client.get(reverse("portal:application_form", args=["a", "docx"])).content
    cells = [row.cells[0].text for row in Document(io.BytesIO(docx)).tables[0].rows]
    labels = [cell for cell in cells if cell in {row.label for row in rows}]
    assert labels == [row.label for row in rows]
