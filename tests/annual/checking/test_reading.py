"""Reading published annual reports: text, HTML, DOCX and PDF files built here, read back
to exact paragraphs and grids (merged cells repeated into every position they cover)."""

from __future__ import annotations

import io
import quopri
import random
import zipfile

import pdfplumber
import pytest
from docx import Document as Docx
from docx.oxml import parse_xml

from gongkai.annual.checking import reading
from gongkai.annual.checking.document import Document, Paragraph, Table
from gongkai.annual.checking.reading import ReadError, read_bytes, read_path, read_text
from gongkai.annual.checking.reading.errors import read_error
from tests.annual.checking import seed_report, seed_reports

TITLE = "某某县林业局2023年政府信息公开工作年度报告"
INTRO = (
    "本年度，本机关共收到政府信息公开申请6件，其中自然人申请4件，法人或其他组织申请2件，"
    "全部在法定期限内答复，未收取信息处理费。"
)
LINKAGE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Table 三 of the 2021 format, cut short: "申请人情况" spans seven columns, "自然人" and
# "总计" two header rows, the linkage note three rows and three columns; header cells are
# broken over lines as published pages do.
T3_HTML = f"""
<table border="1" cellspacing="0">
 <tr><th colspan="3" rowspan="3">{LINKAGE}</th><th colspan="7">申请人情况</th></tr>
 <tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>
 <tr><th>商业<br>企业</th><th>科研<br/>机构</th><th><p>社会公益</p><p>组织</p></th>
     <th>法律服务
         机构</th><th>其他</th></tr>
 <tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
     <td>4</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>6</td></tr>
 <tr><td rowspan="3">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
     <td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
 <tr><td colspan="2">（二）部分公开</td>
     <td>1</td><td>1</td><td>0</td><td>0</td><td>&nbsp;</td><td>/</td><td>2</td></tr>
 <tr><td>（三）不予公开</td><td>1.属于国家秘密</td>
     <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
"""
T3_GRID = [
    [LINKAGE] * 3 + ["申请人情况"] * 7,
    [LINKAGE] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
    [LINKAGE] * 3
    + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ["一、本年新收政府信息公开申请数量"] * 3 + ["4", "1", "0", "0", "1", "0", "6"],
    ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "2", "0", "0", "0", "0", "0", "2"],
    ["三、本年度办理结果", "（二）部分公开", "（二）部分公开", "1", "1", "0", "0", "", "/", "2"],
    ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"] + ["0"] * 7,
]


def report_html(charset_meta: str = '<meta charset="utf-8">') -> str:
    return f"""<!DOCTYPE html>
<html><head>{charset_meta}<title>年度报告_某某县人民政府</title>
<script>var menu = "<p>不是正文</p>";</script>
<style>p {{ text-indent: 2em }}</style></head>
<body>
<nav><a href="/">首页</a> &gt; <a href="/gk">政务公开</a></nav>
<div style="display: none">隐藏的文字</div>
<h1>{TITLE}</h1>
<p>&nbsp;&nbsp;\u3000\u3000本年度，本机关共收到政府信息公开申请6件，其中自然人申请4件，
法人或其他组织申请2件，全部在法定期限内答复，未收取信息处理费。</p>
<div>一、总体情况<br>（一）主动公开<br/>  主动公开   政府信息 120 条。</div>
<!-- 注释不是正文 -->
<ul><li>规章 0 件</li><li>规范性文件 <b>3</b> 件</li></ul>
<p>三、收到和处理政府信息公开申请情况</p>
{T3_HTML}
<p>四、存在的主要问题及改进情况</p>
</body></html>"""


REPORT_BLOCKS = [
    Paragraph(TITLE),
    Paragraph(INTRO),
    Paragraph("一、总体情况"),
    Paragraph("（一）主动公开"),
    Paragraph("主动公开 政府信息 120 条。"),
    Paragraph("规章 0 件"),
    Paragraph("规范性文件 3 件"),
    Paragraph("三、收到和处理政府信息公开申请情况"),
    Table(T3_GRID),
    Paragraph("四、存在的主要问题及改进情况"),
]


def codes(data: bytes, name: str) -> str:
    with pytest.raises(ReadError) as raised:
        read_bytes(data, name)
    # The uploader's message is the one of its code, not a generic one.
    assert str(raised.value) == str(read_error(raised.value.code))
    return raised.value.code


# ---- plain text ------------------------------------------------------------------------


def test_seed_reports_read_as_lines():
    for path in seed_reports():
        document = read_path(path)
        text = path.read_text(encoding="utf-8")
        assert document.kind == "text", path.name
        assert document.name == path.name
        assert document.blocks == Document.from_text(text).blocks, path.name
        assert len(document.blocks) > 10, path.name


def test_text_in_every_encoding_reads_the_same():
    text = "政府信息公开工作年度报告\r\n\r\n  新收政府信息公开申请数量 5 0 0 0 0 0 5  \n\u3000\u3000①完毕。"
    expected = [
        Paragraph("政府信息公开工作年度报告"),
        Paragraph("新收政府信息公开申请数量 5 0 0 0 0 0 5"),
        Paragraph("①完毕。"),
    ]
    for data in (
        text.encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("gb18030"),
        text.encode("gbk"),
        text.encode("utf-16"),  # with its BOM
    ):
        document = read_bytes(data, "report.txt")
        assert (document.kind, document.blocks) == ("text", expected)


def test_big5_is_not_read_as_gbk():
    """Big5 bytes decode as GB18030 too, into rare characters: recognised, read as Big5."""
    text = "政府資訊公開工作年度報告，本機關共受理申請五件，全部依法答覆。" * 3
    data = text.encode("big5")
    assert data.decode("gb18030") != text  # no error, just nonsense
    assert read_bytes(data, "big5.txt").blocks == [Paragraph(text)]


def test_traditional_characters_in_gbk_and_pinyin():
    text = seed_report("004").read_text(encoding="utf-8")  # Traditional characters, pinyin
    assert "ǐ" in text or "ā" in text
    assert read_bytes(text.encode("gb18030"), "004.txt").blocks == read_text(text).blocks


def test_utf8_with_a_bad_byte_is_not_read_as_gbk():
    text = "政府信息公开工作年度报告。" * 20
    data = text.encode()
    data = data[:30] + b"\xff" + data[30:]  # between two characters
    assert read_bytes(data, "bad.txt").blocks == [Paragraph(text[:10] + "\ufffd" + text[10:])]


def test_latin1_text_is_refused_not_guessed():
    data = "Ångström, Øre, Ça, ß, ¿, ¡, þ, æ, ð ".encode("latin-1") * 20
    assert codes(data, "notes.txt") == reading.ENCODING


def test_a_cut_off_file_loses_only_its_last_character():
    data = "政府信息公开年度报告\n共收到申请5件".encode()[:-1]
    assert read_bytes(data, "cut.txt").blocks == [
        Paragraph("政府信息公开年度报告"),
        Paragraph("共收到申请5\ufffd"),
    ]
    gbk = "政府信息公开年度报告\n共收到申请5件".encode("gbk")[:-1]
    assert read_bytes(gbk, "cut.txt").blocks[1] == Paragraph("共收到申请5\ufffd")


def test_read_text_is_one_paragraph_a_line():
    document = read_text("一、总体情况\r\n\r\n  本年度……  \r二、主动公开")
    assert document.name == "pasted text"
    assert document.kind == "text"
    assert document.blocks == [
        Paragraph("一、总体情况"),
        Paragraph("本年度……"),
        Paragraph("二、主动公开"),
    ]


# ---- HTML ------------------------------------------------------------------------------


def test_html_paragraphs_and_merged_table():
    document = read_bytes(report_html().encode("utf-8"), "report.html")
    assert document.kind == "html"
    assert document.blocks == REPORT_BLOCKS
    text = document.text()
    for noise in ("不是正文", "隐藏的文字", "注释不是正文", "首页", "年度报告_某某县人民政府"):
        assert noise not in text


@pytest.mark.parametrize(
    "meta",
    [
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        '<meta charset="GBK">',
        "<meta charset=gb18030>",
    ],
)
def test_html_in_gbk_with_a_declared_charset(meta):
    data = report_html(meta).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_bytes(data, "report.shtml").blocks == REPORT_BLOCKS


def test_html_in_gbk_without_a_charset_and_a_utf8_page_declared_gbk():
    assert read_bytes(report_html("").encode("gb18030"), "a.htm").blocks == REPORT_BLOCKS
    mislabelled = report_html('<meta charset="gb2312">').encode("utf-8")
    assert read_bytes(mislabelled, "b.htm").blocks == REPORT_BLOCKS


def test_html_recognised_by_content_whatever_the_name():
    data = report_html().encode("utf-8")
    assert read_bytes(data, "download.txt").kind == "html"
    assert read_bytes(data, "no-extension").blocks == REPORT_BLOCKS
    fragment = "<p>一、总体情况</p><table><tr><td>甲</td><td>1</td></tr></table>"
    assert read_bytes(fragment.encode(), "pasted").blocks == [
        Paragraph("一、总体情况"),
        Table([["甲", "1"]]),
    ]


def test_html_cell_lines_join_without_spaces_between_chinese_only():
    html = """<table>
      <tr><th>本年新<br>制作数量</th><th>Total<br>count</th><th>2023<br>年</th>
          <th>第一项<br>Item one</th></tr>
      <tr><td><div>  行政 许可 </div></td><td>  12 </td><td>\u3000</td><td>—</td></tr>
    </table>"""
    document = read_bytes(html.encode(), "cells.html")
    assert document.blocks == [
        Table(
            [
                ["本年新制作数量", "Total count", "2023年", "第一项Item one"],
                ["行政 许可", "12", "", "—"],
            ]
        )
    ]


def test_html_ragged_rows_spans_and_blank_rows():
    html = """<table>
      <tr><td rowspan="0">甲</td><td colspan="2">乙</td></tr>
      <tr><td>1</td></tr>
      <tr><td></td><td></td><td></td></tr>
      <tr><td>2</td><td>3</td><td>4</td><td colspan="99999"></td></tr>
      <tr><td></td><td></td></tr>
    </table>
    <table><tr><td>丙</td><td>5</td></tr></table>"""
    blocks = read_bytes(html.encode(), "ragged.html").blocks
    # rowspan="0" runs to the table's end, so the rows of blank cells beside 甲 stay (its
    # cells are printed blanks); short rows are padded; the columns no cell has text in are
    # dropped (colspan 99999 is capped).
    assert blocks == [
        Table(
            [
                ["甲", "乙", "乙", ""],
                ["甲", "1", "", ""],
                ["甲", "", "", ""],
                ["甲", "2", "3", "4"],
                ["甲", "", "", ""],
            ]
        ),
        Table([["丙", "5"]]),
    ]


def test_html_columns_and_rows_no_cell_boundary_separates_are_one():
    """A colspan no row splits is one column, as a PDF or a browser shows it."""
    html = """<table>
      <tr><td colspan="2">项目</td><td colspan="2">件数</td></tr>
      <tr><td colspan="2">规章</td><td colspan="2">1</td></tr>
      <tr><td rowspan="2">规范性文件</td><td rowspan="2">（一）本级</td>
          <td rowspan="2" colspan="2">2</td></tr>
      <tr></tr>
    </table>"""
    assert read_bytes(html.encode(), "slivers.html").blocks == [
        Table([["项目", "项目", "件数"], ["规章", "规章", "1"], ["规范性文件", "（一）本级", "2"]])
    ]


def test_html_layout_tables_are_read_through():
    long_text = "本机关坚持以公开为常态、不公开为例外，" * 12
    html = f"""<html><body>
      <table width="100%"><tr><td>
        <table><tr><td><h2>{TITLE}</h2></td></tr>
               <tr><td><p>{long_text}</p><p>第二段。</p></td></tr></table>
      </td></tr>
      <tr><td><table border="1"><tr><th>信息内容</th><th>本年制发件数</th></tr>
                               <tr><td>规章</td><td>2</td></tr></table>
          <p>表后说明。</p></td></tr></table>
      <table><tr><td>菜单</td><td><p>{long_text}</p></td></tr></table>
    </body></html>"""
    assert read_bytes(html.encode(), "layout.html").blocks == [
        Paragraph(TITLE),
        Paragraph(long_text),
        Paragraph("第二段。"),
        Table([["信息内容", "本年制发件数"], ["规章", "2"]]),
        Paragraph("表后说明。"),
        Paragraph("菜单"),
        Paragraph(long_text),
    ]


def test_html_pre_keeps_its_lines():
    html = "<body><pre>统计指标      单位  统计数\n主动公开政府信息数  条  3531\n\n</pre></body>"
    assert read_bytes(html.encode(), "pre.html").blocks == [
        Paragraph("统计指标 单位 统计数"),
        Paragraph("主动公开政府信息数 条 3531"),
    ]


def test_word_single_file_web_page():
    """Word's .mht, often published under a .doc name: the HTML inside is read."""
    body = ("<html><body><p>" + TITLE + "</p>" + T3_HTML + "</body></html>").encode("gb2312")
    data = (
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="----=_NextPart_01D9"\r\n\r\n'
        b"------=_NextPart_01D9\r\n"
        b"Content-Location: file:///C:/report.htm\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b'Content-Type: text/html; charset="gb2312"\r\n\r\n'
        + quopri.encodestring(body)
        + b"\r\n------=_NextPart_01D9--\r\n"
    )
    document = read_bytes(data, "report.doc")
    assert document.kind == "html"
    assert document.blocks == [Paragraph(TITLE), Table(T3_GRID)]


def test_a_report_sized_gbk_page_reads_every_table():
    """A page the size of a published report (30 KB, GBK): every table read. How fast is
    bench/checker.py's to say."""
    paragraphs = "".join(f"<p>{n}. {INTRO}</p>\n" for n in range(200))
    data = report_html('<meta charset="gbk">').replace(
        "<p>四、", paragraphs + T3_HTML * 3 + "<p>四、"
    )
    encoded = data.encode("gb18030")
    assert 25_000 < len(encoded) < 40_000
    document = read_bytes(encoded, "page.html")
    assert sum(isinstance(b, Table) for b in document.blocks) == 4
    lines = [Paragraph(f"{n}. {INTRO}") for n in range(200)]
    assert [b for b in document.blocks if b in lines] == lines


# ---- DOCX ------------------------------------------------------------------------------

CHINESE_NUMBERING = """
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:abstractNum w:abstractNumId="90">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="（%2）"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
</w:numbering>"""


def numbered(word, text, level):
    paragraph = word.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
        )
    )


def t3_docx_table(word):
    """The table 三 header as Word merges it: gridSpan across, vMerge down."""
    table = word.add_table(rows=5, cols=8)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(2, 0)).text = "项目"
    table.cell(0, 1).merge(table.cell(0, 7)).text = "申请人情况"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "自然人"
    table.cell(1, 2).merge(table.cell(1, 6)).text = "法人或其他组织"
    table.cell(1, 7).merge(table.cell(2, 7)).text = "总计"
    for c, label in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构"], start=2):
        table.cell(2, c).text = label
    cell = table.cell(2, 6)
    cell.text = "其"
    cell.add_paragraph("他")
    for r, values in (
        (3, ["4", "1", "0", "0", "1", "0", "6"]),
        (4, ["2", "0", "", "0", "0", "/", "2"]),
    ):
        for c, value in enumerate(values, start=1):
            table.cell(r, c).text = value
    table.cell(3, 0).text = "一、本年新收政府信息"
    table.cell(3, 0).add_paragraph("公开申请数量")
    table.cell(4, 0).text = "二、上年结转"
    return table


T3_DOCX_GRID = [
    ["项目"] + ["申请人情况"] * 7,
    ["项目", "自然人"] + ["法人或其他组织"] * 5 + ["总计"],
    ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ["一、本年新收政府信息公开申请数量", "4", "1", "0", "0", "1", "0", "6"],
    ["二、上年结转", "2", "0", "", "0", "0", "/", "2"],
]


def make_docx():
    word = Docx()
    numbering = word.part.numbering_part.element
    for child in parse_xml(CHINESE_NUMBERING):
        numbering.append(child)
    word.add_paragraph(TITLE)
    word.add_paragraph("")  # empty paragraphs are skipped
    numbered(word, "总体情况", 0)
    numbered(word, "主动公开", 1)
    intro = word.add_paragraph("本年度，本机关共收到政府信息公开申请")
    intro.add_run("6").bold = True
    intro.add_run("件。")
    numbered(word, "收到和处理政府信息公开申请情况", 0)
    t3_docx_table(word)
    broken = word.add_paragraph("第一行")
    broken.add_run().add_break()
    broken.add_run("第二行\t（续）")
    nested = word.add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "说明"
    inner = nested.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "甲"
    inner.cell(0, 1).text = "1"
    numbered(word, "存在的主要问题及改进情况", 0)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_numbers_and_merged_table(tmp_path):
    path = tmp_path / "报告.docx"
    path.write_bytes(make_docx())
    document = read_path(path)
    assert (document.name, document.kind) == ("报告.docx", "docx")
    assert document.blocks == [
        Paragraph(TITLE),
        Paragraph("一、总体情况"),
        Paragraph("（一）主动公开"),
        Paragraph("本年度，本机关共收到政府信息公开申请6件。"),
        Paragraph("二、收到和处理政府信息公开申请情况"),
        Table(T3_DOCX_GRID),
        Paragraph("第一行"),
        Paragraph("第二行 （续）"),
        Table([["说明", "甲1"]]),  # a table nested in a cell: its text
        Paragraph("三、存在的主要问题及改进情况"),
    ]


def test_docx_vmerge_continuation_repeats_the_top_cell():
    """What python-docx writes for a vertical merge: vMerge="restart" on top, bare vMerge
    (continue) below, an empty paragraph in the continued cell."""
    word = Docx()
    table = word.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "合并"
    for r in range(3):
        table.cell(r, 1).text = str(r)
    xml = table._tbl.xml
    assert 'w:vMerge w:val="restart"' in xml
    assert "<w:vMerge/>" in xml
    buffer = io.BytesIO()
    word.save(buffer)
    assert read_bytes(buffer.getvalue(), "v.docx").blocks == [
        Table([["合并", "0"], ["合并", "1"], ["合并", "2"]])
    ]


def test_docx_recognised_by_content():
    assert read_bytes(make_docx(), "upload.bin").kind == "docx"


# ---- PDF -------------------------------------------------------------------------------

PDF_STYLE = """
@page { size: A4; margin: 20mm; @bottom-center { content: "- " counter(page) " -"; } }
body { font-family: "Noto Sans CJK SC"; font-size: 12pt; }
p { text-indent: 2em; margin: 0 0 6pt 0; }
h1 { font-size: 16pt; text-align: center; }
table { border-collapse: collapse; font-size: 8pt; }
th, td { border: 0.75pt solid black; padding: 2pt; }
.box { width: 80mm; height: 60mm; background: #c33; }
"""


def weasy_pdf(body: str, style: str = "") -> bytes:
    from weasyprint import HTML

    html = f"<html><head><style>{PDF_STYLE}{style}</style></head><body>{body}</body></html>"
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


@pytest.fixture(scope="module")
def report_pdf():
    return weasy_pdf(
        f"<h1>{TITLE}</h1><p>{INTRO * 2}</p><p>三、收到和处理政府信息公开申请情况</p>"
        f"{T3_HTML}<p>四、存在的主要问题及改进情况</p>"
    )


def test_pdf_paragraphs_and_ruled_table(report_pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf)
    document = read_path(path)
    assert document.kind == "pdf"
    # The line break in the HTML source of "法律服务\n机构" printed as a space, kept.
    printed = [
        ["法律服务 机构" if cell == "法律服务机构" else cell for cell in row] for row in T3_GRID
    ]
    assert document.blocks == [
        Paragraph(TITLE),
        Paragraph(INTRO * 2),  # the lines the page wrapped, joined back
        Paragraph("三、收到和处理政府信息公开申请情况"),
        Table(printed),
        Paragraph("四、存在的主要问题及改进情况"),
    ]  # and no page number "- 1 -"


def test_pdf_paragraphs_across_page_breaks():
    paragraphs = [
        "第1段。" + INTRO,
        "第2段。" + INTRO * 40,
        "第3段。" + INTRO,
    ]  # 2 is longer than a page
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    running = '@page { @top-center { content: "某某县林业局 第" counter(page) "页"; } }'
    pdf = weasy_pdf(f"<h1>{TITLE}</h1>{body}<p>完。</p>", running)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert len(opened.pages) >= 2
        lines = [line["text"] for line in opened.pages[1].extract_text_lines()]
        assert lines[0] == "某某县林业局 第2页"  # a running header
        assert lines[-1] == "- 2 -"  # and a page number
        assert not lines[1].startswith("第")  # page 2 starts inside a paragraph
    document = read_bytes(pdf, "long.pdf")
    assert document.blocks == [Paragraph(TITLE), *map(Paragraph, paragraphs), Paragraph("完。")]


def test_pdf_table_without_rules_read_from_positions():
    """pdfplumber finds only ruled tables; the rows of another are read from the words'
    positions (tests/annual/checking/test_pdf_borderless.py has whole reports)."""
    rows = [
        ("新收政府信息公开申请数量", "5", "0", "0", "5"),
        ("上年结转政府信息公开申请数量", "1", "", "0", ""),
    ]
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    pdf = weasy_pdf(
        f"<p>{INTRO}</p><table style='width: 100%; font-size: 12pt'>{cells}</table><p>完。</p>",
        "td { border: none; } td + td { text-align: right; }",
    )
    assert read_bytes(pdf, "plain.pdf").blocks == [
        Paragraph(INTRO),
        Table([list(row) for row in rows]),  # the blank cells kept, the last one too
        Paragraph("完。"),
    ]


def test_pdf_lines_with_gaps_but_no_table_stay_text():
    """A signature line, its parts far apart, is no table; nor is a line of figures alone."""
    signed = "某某县林业局<span class='gap'></span>2024年1月20日"
    pdf = weasy_pdf(
        f"<p>{INTRO}</p><p>{signed}</p><p>完。</p>",
        ".gap { display: inline-block; width: 80mm; }",
    )
    assert read_bytes(pdf, "signed.pdf").blocks == [
        Paragraph(INTRO),
        Paragraph("某某县林业局 2024年1月20日"),
        Paragraph("完。"),
    ]


def test_pdf_image_only_is_refused():
    assert codes(weasy_pdf('<div class="box"></div>'), "scan.pdf") == reading.NO_TEXT_LAYER


def pdf_of(objects: list[bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def test_pdf_with_a_password_is_refused():
    # A user password that "" does not match (the standard security handler, RC4 40-bit).
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32)
    trailer = b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (b"ab" * 16, b"ab" * 16)
    assert codes(pdf_of([*PAGE, encrypt], trailer), "locked.pdf") == reading.ENCRYPTED


def test_broken_pdfs(report_pdf):
    assert codes(report_pdf[: len(report_pdf) // 3], "cut.pdf") == reading.UNREADABLE
    assert codes(pdf_of(PAGE), "blank.pdf") == reading.NO_TEXT_LAYER


# ---- what cannot be read ---------------------------------------------------------------


def test_empty_files():
    assert codes(b"", "empty.txt") == reading.EMPTY
    assert codes(b" \r\n\t ", "blank.txt") == reading.EMPTY
    assert codes("\u3000\n".encode(), "spaces.txt") == reading.NO_TEXT
    assert codes(b"<html><body><script>x()</script></body></html>", "e.html") == reading.NO_TEXT


def test_random_bytes():
    noise = random.Random(8).randbytes(4096)
    with pytest.raises(ReadError):
        read_bytes(noise, "noise.txt")
    with pytest.raises(ReadError):
        read_bytes(noise.replace(b"\x00", b"\x01"), "noise")


def test_old_binary_office_files():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Microsoft Word"
    assert codes(ole, "报告.doc") == reading.OLD_WORD
    assert codes(ole, "报告.docx") == reading.OLD_WORD  # renamed: the content decides
    assert codes(ole, "表.xls") == reading.UNSUPPORTED


def test_other_files():
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    assert codes(png, "scan.png") == reading.UNSUPPORTED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert codes(buffer.getvalue(), "book.xlsx") == reading.UNSUPPORTED
    assert codes(b"PK\x03\x04broken", "x.docx") == reading.UNREADABLE
    assert codes(b"{\\rtf1\\ansi report}", "r.rtf") == reading.UNSUPPORTED


def test_read_path_of_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):  # the caller's to report (batch.read_files)
        read_path(tmp_path / "missing.txt")


# ---- the project's own files -----------------------------------------------------------


@pytest.fixture(scope="module")
def own_report():
    """A 2021-format report with a different number in every cell, as gongkai prints it."""
    from gongkai.annual.compute import Report, empty_table
    from gongkai.annual.layout import body_rows, leaf_columns
    from gongkai.lib.report_format import format_spec

    tables = {}
    expected = []
    n = 0
    for section in format_spec("2021")["sections"]:
        for table_id in section.get("tables", []):
            cells = empty_table(table_id)
            for row in body_rows(table_id):
                if row.kind == "data":
                    values = []
                    for column in leaf_columns(table_id):
                        n += 1
                        cells[row.key][column] = n
                        values.append(str(n))
                    expected.append([row.label, *values] if row.label else values)
            tables[table_id] = cells
    return Report("测试县甲局", "X1", 2025, False, tables), expected


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_reports_gongkai_prints_read_back(own_report, fmt):
    from gongkai.annual import files

    report, expected = own_report
    narrative = {"overview": INTRO * 4 + "\n\n主动公开政府信息一百余条。", "other": "无。"}
    document = read_bytes(files.render(report, narrative, fmt), f"report.{fmt}")
    assert document.kind == fmt
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs[:4] == [
        "测试县甲局2025年政府信息公开工作年度报告",
        "一、总体情况",
        INTRO * 4,  # in the PDF, wrapped over several lines and joined back
        "主动公开政府信息一百余条。",
    ]
    assert paragraphs[-3:] == ["五、存在的主要问题及改进情况", "六、其他需要报告的事项", "无。"]
    rows = [row for b in document.blocks if isinstance(b, Table) for row in b.rows]
    found = [row for row in rows if row in expected]
    assert found == expected  # every figure in its row and column, in order
    assert not any("/" in p and p[0].isdigit() for p in paragraphs)  # no page numbers
