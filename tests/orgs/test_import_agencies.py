"""Importing the agency tree from CSV/XLSX: the reader, the importer, the command, the page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook
from stdnum.cn import uscc

from gongkai.audit.models import Action, AuditEntry
from gongkai.orgs.importer import ImportReport, StructureError, import_agencies, read_file
from gongkai.orgs.models import Agency, Kind, Level

HEADER = "code,name,parent_code,level,kind,credit_code"
CHINESE_HEADER = "代码,名称,上级代码,层级,类型,统一社会信用代码"


def credit_code(base: str = "91110000MA0000000") -> str:
    return base + uscc.calc_check_digit(base)


def bad_credit_code() -> str:
    good = credit_code()
    return good[:-1] + ("1" if good[-1] != "1" else "2")


def csv_file(tmp_path: Path, *lines: str, encoding: str = "utf-8", name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def load(path: Path, *, dry_run: bool = False) -> ImportReport:
    return import_agencies(read_file(path), dry_run=dry_run)


def command(path: Path, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_agencies", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def state() -> list[tuple[str, str, str | None, str, int]]:
    return [
        (a.code, a.name, a.parent.code if a.parent else None, a.path, a.depth)
        for a in Agency.objects.select_related("parent").order_by("code")
    ]


def assert_tree_consistent() -> None:
    for agency in Agency.objects.select_related("parent"):
        parent_path = agency.parent.path if agency.parent else "/"
        assert agency.path == f"{parent_path}{agency.pk}/", agency.code
        assert agency.depth == agency.path.count("/") - 2, agency.code


def get(code: str) -> Agency:
    return Agency.objects.select_related("parent").get(code=code)


def messages_by_line(report: ImportReport) -> dict[int, str]:
    return {e.line: "；".join(e.messages) for e in report.errors}


@pytest.mark.django_db
def test_it_builds_a_tree_from_rows_listed_children_before_parents(tmp_path):
    code = credit_code()
    path = csv_file(
        tmp_path,
        HEADER,
        "town-office,某镇派出所,town,乡镇,派出机构,",
        "town,某镇人民政府,root,township,government,",
        "edu,县教育局,root,县,政府部门,",
        "edu-unit,县教育局内设机构,edu,county,dispatched,",
        f"root,某县人民政府,,county,人民政府,{code.lower()}",
    )

    report = load(path)

    assert sorted(report.created) == ["edu", "edu-unit", "root", "town", "town-office"]
    assert report.updated == [] and report.unchanged == [] and report.errors == []
    root = get("root")
    assert (root.parent, root.depth, root.path) == (None, 0, f"/{root.pk}/")
    assert (root.level, root.kind, root.credit_code) == (Level.COUNTY, Kind.GOVERNMENT, code)
    assert get("edu").parent == root and get("town").parent == root
    assert get("edu-unit").parent == get("edu") and get("town-office").parent == get("town")
    town_office = get("town-office")
    assert town_office.path == f"/{root.pk}/{get('town').pk}/{town_office.pk}/"
    assert town_office.depth == 2
    assert (town_office.level, town_office.kind) == (Level.TOWNSHIP, Kind.DISPATCHED)
    assert (get("edu").level, get("edu").kind) == (Level.COUNTY, Kind.DEPARTMENT)
    assert get("town").name == "某镇人民政府"
    assert_tree_consistent()


def test_it_updates_renames_moves_subtrees_and_reports_unchanged_rows(cast, tmp_path):
    lines = (
        HEADER,
        "a-unit,测试县甲局派出所,a,county,dispatched,",
        "a,测试县甲局（新名）,b,county,department,",
        "county,测试县人民政府,,county,government,",
        "b,测试县乙局,county,county,department,",
    )

    report = load(csv_file(tmp_path, *lines))

    assert report.created == [] and report.errors == []
    assert report.updated == ["a"]
    assert sorted(report.unchanged) == ["a-unit", "b", "county"]
    a, a_unit, b = get("a"), get("a-unit"), get("b")
    assert (a.name, a.parent) == ("测试县甲局（新名）", b)
    assert a.path == f"{b.path}{a.pk}/" and a.depth == 2
    assert a_unit.parent == a
    assert a_unit.path == f"/{cast.county.pk}/{b.pk}/{a.pk}/{a_unit.pk}/"
    assert a_unit.depth == 3
    assert get("county").is_supervising  # not in the file: left alone
    assert_tree_consistent()

    again = load(csv_file(tmp_path, *lines, name="again.csv"))
    assert again.created == [] and again.updated == [] and again.errors == []
    assert sorted(again.unchanged) == ["a", "a-unit", "b", "county"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
@pytest.mark.django_db
def test_it_reads_chinese_csv_as_excel_saves_it(tmp_path, encoding):
    path = csv_file(
        tmp_path,
        CHINESE_HEADER,
        "root,某县人民政府,,县,人民政府,",
        "edu,某县教育局,root,县,政府部门,",
        encoding=encoding,
    )
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    else:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    report = load(path)

    assert sorted(report.created) == ["edu", "root"] and report.errors == []
    assert get("root").name == "某县人民政府"
    assert (get("edu").name, get("edu").parent) == ("某县教育局", get("root"))


@pytest.mark.django_db
def test_it_reads_xlsx_with_numeric_cells_and_blank_rows(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([])  # line 1 blank, above the header
    sheet.append(CHINESE_HEADER.split(","))  # line 2
    sheet.append([110, "某县人民政府", None, "县", "人民政府", credit_code()])  # line 3
    sheet.append([])  # line 4
    sheet.append([None, "", None])  # line 5
    sheet.append([11001.0, "某县财政局", 110, "county", "department", None])  # line 6
    sheet.append(["bad", "某县坏局", 110, "星球", "department", None])  # line 7
    path = tmp_path / "agencies.xlsx"
    workbook.save(path)

    report = load(path)

    assert sorted(report.created) == ["110", "11001"]
    assert get("11001").parent == get("110")
    assert get("110").credit_code == credit_code()
    assert [e.line for e in report.errors] == [7]
    assert "无法识别层级“星球”" in report.errors[0].messages[0]
    assert not Agency.objects.filter(code="bad").exists()


def test_it_reports_bad_rows_by_line_and_imports_the_valid_ones(cast, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER,
        f"ok-root,新县人民政府,,county,government,{credit_code()}",  # 2
        f"bad-credit,坏代码局,ok-root,county,department,{bad_credit_code()}",  # 3
        "bad-level,坏层级局,ok-root,星球,department,",  # 4
        "no-name,,ok-root,county,department,",  # 5
        "ok-child,新县甲局,ok-root,county,department,",  # 6
        "ok-child,重复的局,ok-root,county,department,",  # 7
        "orphan,孤儿局,nowhere,county,department,",  # 8
        "below-bad,坏局下级,bad-credit,county,dispatched,",  # 9
        "below-below-bad,坏局下下级,below-bad,county,dispatched,",  # 10
        "loop-a,循环甲,loop-b,county,department,",  # 11
        "loop-b,循环乙,loop-a,county,department,",  # 12
        "selfish,自己上级,selfish,county,department,",  # 13
        "a,测试县甲局,a-unit,county,department,",  # 14: below its own descendant
        "b,测试县乙局（新名）,county,county,department,",  # 15
    )
    before_a = (get("a").parent_id, get("a").path)

    report = load(path)

    found = messages_by_line(report)
    assert sorted(found) == [3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14]
    assert "不是有效的统一社会信用代码" in found[3] and bad_credit_code() in found[3]
    assert "无法识别层级“星球”" in found[4]
    assert "名称为空" in found[5]
    assert "代码 ok-child 已在第 6 行出现" in found[7]
    assert "上级代码 nowhere 既不在文件中，也不在系统中" in found[8]
    assert "其上级 bad-credit（第 3 行）未通过检查" in found[9]
    assert "其上级 below-bad（第 9 行）未通过检查" in found[10]
    assert "上级关系形成循环" in found[11] + found[12]
    assert "机关的上级不能是它自己" in found[13]
    assert "上级关系形成循环" in found[14]
    assert str(report.errors[0]).startswith("第 3 行（bad-credit）：")

    assert sorted(report.created) == ["ok-child", "ok-root"] and report.updated == ["b"]
    assert sorted(Agency.objects.values_list("code", flat=True)) == [
        "a",
        "a-unit",
        "b",
        "county",
        "ok-child",
        "ok-root",
    ]
    assert get("ok-child").parent == get("ok-root")
    assert get("ok-child").name == "新县甲局"
    assert get("b").name == "测试县乙局（新名）"
    assert (get("a").parent_id, get("a").path) == before_a
    assert_tree_consistent()


def test_it_rejects_a_move_that_loops_through_a_rejected_row(cast, tmp_path):
    # Row a (make it a root) is rejected, so a stays below county; county below a-unit
    # would then make county → a → a-unit → county.
    path = csv_file(
        tmp_path,
        HEADER,
        f"a,测试县甲局,,county,department,{bad_credit_code()}",
        "county,测试县人民政府,a-unit,county,government,",
    )
    before = state()

    report = load(path)

    found = messages_by_line(report)
    assert sorted(found) == [2, 3]
    assert "上级关系形成循环" in found[3]
    assert report.created == [] and report.updated == []
    assert state() == before


STRUCTURE_ERRORS = [
    ("missing.csv", b"code,name,parent_code,level,kind\nx,X,,county,government\n", "文件缺少列"),
    ("empty.csv", b"", "文件是空的"),
    ("header.csv", HEADER.encode() + b"\r\n\r\n", "文件只有列名行，没有机关数据"),
    ("fake.xlsx", "代码,名称\n".encode(), "文件不是有效的 XLSX 工作簿"),
    ("zip.xlsx", None, "文件不是有效的 XLSX 工作簿"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "不支持旧版 .xls 工作簿"),
]


@pytest.mark.parametrize(("name", "content", "reason"), STRUCTURE_ERRORS)
def test_it_imports_nothing_from_a_malformed_file(cast, tmp_path, name, content, reason):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
        content = buffer.getvalue()
    path = tmp_path / name
    path.write_bytes(content)
    before = state()

    with pytest.raises(StructureError, match=reason):
        read_file(path)
    with pytest.raises(CommandError) as excinfo:
        command(path)

    assert str(excinfo.value).startswith("未导入任何数据。")
    assert reason in str(excinfo.value)
    assert state() == before
    assert not AuditEntry.objects.filter(action=Action.AGENCIES_IMPORTED).exists()


def test_it_names_the_missing_columns(db, tmp_path):
    path = csv_file(tmp_path, "代码,名称,层级,类型", "x,某局,county,government")

    with pytest.raises(StructureError) as excinfo:
        read_file(path)

    assert "parent_code、credit_code" in str(excinfo.value)


def test_it_saves_nothing_in_a_dry_run(cast, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER,
        "new,新机关,county,county,department,",
        "a,测试县甲局（新名）,b,county,department,",
    )
    before = state()

    out, _err = command(path, dry_run=True)

    assert "仅检查，未保存" in out and "新建 1 个，更新 1 个" in out
    assert state() == before
    assert not AuditEntry.objects.filter(action=Action.AGENCIES_IMPORTED).exists()
    report = load(path, dry_run=True)
    assert report.dry_run and report.created == ["new"] and report.updated == ["a"]
    assert state() == before


def test_it_records_one_audit_entry_for_a_real_import(cast, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER,
        "new,新机关,county,county,department,",
        "bad,坏机关,county,星球,department,",
    )

    with pytest.raises(CommandError, match="有 1 行未导入"):
        command(path)

    assert get("new").parent == cast.county
    entries = AuditEntry.objects.filter(action=Action.AGENCIES_IMPORTED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor_name == "manage.py import_agencies"
    assert entry.detail["created"] == ["new"] and entry.detail["rejected_lines"] == [3]

    ok = csv_file(tmp_path, HEADER, "new,新机关,county,county,department,", name="ok.csv")
    out, err = command(ok)
    assert "新建 0 个，更新 0 个，未变 1 个，拒绝 0 行" in out and err == ""
    assert entries.count() == 1  # nothing changed, nothing recorded


def upload(content: bytes, name: str = "agencies.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_it_imports_an_upload_for_the_superuser(cast, client):
    client.force_login(cast.superuser)
    content = "\r\n".join(
        [
            CHINESE_HEADER,
            "new,新机关,county,县,政府部门,",
            "bad,坏机关,county,星球,政府部门,",
        ]
    ).encode("gb18030")

    response = client.post(reverse("office:agency_import"), {"file": upload(content)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "新建 1 个，更新 0 个，未变 0 个，拒绝 1 行。" in page
    assert "无法识别层级“星球”" in page
    assert get("new").parent == cast.county and get("new").name == "新机关"
    entry = AuditEntry.objects.get(action=Action.AGENCIES_IMPORTED)
    assert entry.actor == cast.superuser and entry.detail["created"] == ["new"]


def test_it_checks_only_when_dry_run_is_ticked(cast, client):
    client.force_login(cast.superuser)
    content = f"{HEADER}\nnew,新机关,county,county,department,\n".encode()

    response = client.post(
        reverse("office:agency_import"), {"file": upload(content), "dry_run": "on"}
    )

    assert "仅检查，未保存。" in response.content.decode()
    assert not Agency.objects.filter(code="new").exists()


def test_it_refuses_the_upload_page_to_an_officer(cast, client):
    client.force_login(cast.officer_a)
    content = f"{HEADER}\nnew,新机关,county,county,department,\n".encode()

    assert client.get(reverse("office:agency_import")).status_code == 403
    response = client.post(reverse("office:agency_import"), {"file": upload(content)})

    assert response.status_code == 403
    assert not Agency.objects.filter(code="new").exists()


def test_it_shows_why_a_malformed_upload_imported_nothing(cast, client):
    client.force_login(cast.superuser)
    before = state()

    response = client.post(
        reverse("office:agency_import"),
        {"file": upload(b"code,name\nnew,New\n")},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "未导入任何数据。" in page and "文件缺少列" in page
    assert state() == before


@pytest.mark.django_db
def test_it_reads_past_a_title_row_and_takes_english_headers_in_any_case(tmp_path):
    path = csv_file(
        tmp_path,
        "某县机关名录,,,,,",
        "Code,NAME,Parent code,level,Kind,credit-code",
        "root,某县人民政府,,county,government,",
    )

    report = load(path)

    assert report.created == ["root"] and report.errors == []


@pytest.mark.django_db
def test_it_reads_the_optional_abbreviation_column(tmp_path):
    path = csv_file(
        tmp_path,
        f"{HEADER},abbr",
        "root,某县人民政府,,county,人民政府,,某政",
        "edu,某县教育局,root,county,部门,,某教",
        "bad,某县财政局,root,county,部门,,某-财",
    )
    report = load(path)
    assert sorted(report.created) == ["edu", "root"]
    assert get("edu").doc_abbr == "某教" and get("root").doc_abbr == "某政"
    assert [e.line for e in report.errors] == [4]
    assert "机关代字只能由汉字或字母组成" in report.errors[0].messages[0]
    # Chinese header, and an unchanged abbreviation is an unchanged row.
    path = csv_file(tmp_path, f"{CHINESE_HEADER},机关代字", "edu,某县教育局,root,county,部门,,某教")
    assert load(path).unchanged == ["edu"]
