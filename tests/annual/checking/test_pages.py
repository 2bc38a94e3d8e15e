"""The back-office page that checks published reports and imports one as an agency's year."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from gongkai.annual.checking import forms as check_forms
from gongkai.annual.checking.reading import ReadError, read_bytes
from gongkai.annual.models import AnnualReport, ReportCheck, Source
from gongkai.annual.report import build, stored_tables
from gongkai.audit.models import Action, AuditEntry
from gongkai.foi.models import EventKind
from gongkai.lib.report_format import format_spec
from gongkai.orgs.models import Agency, Kind, Level
from tests.annual.test_compute import case

T3 = "t3_applications"
Cells = Mapping[tuple[str, str, str], int | str]

# A department that received 3 requests: 1 granted, 1 not held, 1 carried forward; its
# fee amount printed as "/".
SMALL: dict[tuple[str, str, str], int | str] = {
    **{
        (T3, row, col): n
        for row, n in (
            ("new_received", 3),
            ("granted", 1),
            ("unable_not_held", 1),
            ("total_processed", 2),
            ("carried_forward", 1),
        )
        for col in ("natural_person", "total")
    },
    ("t2_art20_1", "normative_documents", "in_force"): 4,
    ("t2_art20_8", "administrative_fees", "fee_amount"): "/",
}
# The same with （七）总计 one too many: three identities of table 三 break.
BROKEN = {**SMALL, (T3, "total_processed", "total"): 4}

TEXTS = {
    "overview": "{year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "全年新收政府信息公开申请{new}件。",
    "problems": "一是公开栏目更新不够及时；二是业务培训不够。下一步将加强培训、完善制度。",
    "other": "本年度未收取信息处理费。",
}
# The first bytes of an old binary Word file, which the reader refuses with a reason.
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512


def report_text(agency: str = "青山县林业局", year: int = 2023, cells: Cells = SMALL) -> str:
    """A 2021-format report as text: title, sections 一 to 六, tables as `|`-separated lines,
    every label from the format file."""
    spec = format_spec("2021")
    lines = [
        f"{agency}{year}年政府信息公开工作年度报告",
        "本报告依据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号编制，"
        f"统计期限为{year}年1月1日至{year}年12月31日。",
    ]
    new = cells.get((T3, "new_received", "total"), 0)
    for section in spec["sections"]:
        lines.append(f"{section['no']}、{section['title']}")
        if section["form"] == "text":
            lines.append(TEXTS[section["key"]].format(year=year, new=new))
            continue
        for table in (t for t in spec["tables"] if t["section"] == section["no"]):
            labels = [c["label"] for c in table["columns"]]
            if table.get("row_header_label"):  # the four blocks of section 二
                lines += [table["title"], " | ".join([table["row_header_label"], *labels])]
            else:
                groups = [g["label"] for g in table["column_groups"] if not g.get("parent")]
                lines += [" | ".join(groups), " | ".join(labels)]
            for row in table["rows"]:
                if row["kind"] != "data":
                    lines.append(row["label"])
                    continue
                values = [
                    str(cells.get((table["id"], row["key"], c["key"]), 0)) for c in table["columns"]
                ]
                lines.append(" | ".join([row["label"], *values] if row["label"] else values))
    return "\n".join(lines)


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def check(client: Client, files: list[SimpleUploadedFile], text: str = "") -> Any:
    return client.post(reverse("annual:checks"), {"reports": files, "text": text})


def run_of(response: Any) -> ReportCheck:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReportCheck.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def forest(cast: Any) -> Agency:
    """An agency of the county named as the fixture report's title names it."""
    return Agency.objects.create(
        code="forest",
        name="青山县林业局",
        parent=cast.county,
        level=Level.COUNTY,
        kind=Kind.DEPARTMENT,
    )


def test_the_pages_are_for_logged_in_staff_and_a_run_for_its_creator(client, cast):
    assert client.get(reverse("annual:checks"))["Location"].startswith(reverse("login"))
    client.force_login(cast.officer_a)
    run = run_of(check(client, [upload("a.txt", report_text())]))
    urls = [
        reverse("annual:check_run", args=[run.pk]),
        reverse("annual:check_xlsx", args=[run.pk]),
    ]
    client.logout()
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("login"))
    import_url = reverse("annual:check_import", args=[run.pk, 0])
    assert client.post(import_url)["Location"].startswith(reverse("login"))
    for user in (cast.officer_b, cast.supervisor, cast.head_a):
        client.force_login(user)
        assert all(client.get(url).status_code == 404 for url in urls), user
        assert client.post(import_url, {"r0-agency": cast.a.pk}).status_code == 404
    for user in (cast.officer_a, cast.admin_county, cast.superuser):
        client.force_login(user)
        assert all(client.get(url).status_code == 200 for url in urls), user
    # The list of recent checks is each user's own.
    client.force_login(cast.officer_b)
    assert urls[0] not in client.get(reverse("annual:checks")).content.decode()
    client.force_login(cast.officer_a)
    assert urls[0] in client.get(reverse("annual:checks")).content.decode()


def test_a_user_without_a_role_may_not_check(client, cast):
    from gongkai.orgs.models import User

    client.force_login(User.objects.create_user("nobody", password="x-Pa55word!"))
    assert client.get(reverse("annual:checks")).status_code == 403


def test_the_annual_report_page_links_to_the_checks(client, cast):
    client.force_login(cast.supervisor)
    page = client.get(reverse("annual:report")).content.decode()
    assert f'href="{reverse("annual:checks")}"' in page


def test_two_files_and_pasted_text_are_checked_and_shown(client, cast):
    client.force_login(cast.supervisor)
    response = check(
        client,
        [
            upload("青山县林业局2023.txt", report_text()),
            upload("青山县林业局2024.txt", report_text(year=2024, cells=BROKEN)),
        ],
        text=report_text(agency="测试县甲局"),
    )
    run = run_of(response)
    assert [r["file"] for r in run.results[:2]] == ["青山县林业局2023.txt", "青山县林业局2024.txt"]
    with translation.override("zh-hans"):
        assert run.results[2]["file"] == gettext("pasted text")
    assert [(r["agency"], r["year"], r["format"]) for r in run.results] == [
        ("青山县林业局", 2023, "2021"),
        ("青山县林业局", 2024, "2021"),
        ("测试县甲局", 2023, "2021"),
    ]
    assert run.results[0]["sections"]["problems"] == TEXTS["problems"]
    page = client.get(response.url).content.decode()
    assert page.count("data-report=") == 3
    # The broken total, and the carry-over against the same agency's 2023 report.
    for finding in ("T3-BALANCE", "T3-RESULT-TOTAL", "X-YEAR-CARRY", "CELLS-READ-AS-ZERO"):
        assert f'data-finding="{finding}"' in page
    assert "（七）总计（总计）" in page  # a location in the report's own words
    # The figures as read: "/" is shown as printed, not as 0.
    assert '<td class="text-end text-body-secondary" data-value>/</td>' in page
    assert "本年收费金额（单位：万元）" in page
    # A supervisor may check, but imports only where disclosure staff.
    assert "data-import-form" not in page


def test_an_unreadable_file_shows_its_reason_and_the_others_are_checked(client, cast):
    client.force_login(cast.officer_a)
    run = run_of(check(client, [upload("old.doc", OLD_WORD), upload("good.txt", report_text())]))
    unreadable, good = run.results
    with translation.override("zh-hans"), pytest.raises(ReadError) as refused:
        read_bytes(OLD_WORD, "old.doc")
    assert unreadable["error"] == str(refused.value)
    assert [f["id"] for f in unreadable["findings"]] == ["UNREADABLE"]
    assert good["format"] == "2021" and good["year"] == 2023
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert "data-unreadable>" + str(refused.value) in page.replace("\n", "")


def test_an_empty_file_is_an_unreadable_report_not_a_form_error(client, cast):
    client.force_login(cast.officer_a)
    run = run_of(check(client, [upload("empty.txt", b""), upload("good.txt", report_text())]))
    with translation.override("zh-hans"), pytest.raises(ReadError) as refused:
        read_bytes(b"", "empty.txt")
    assert run.results[0]["error"] == str(refused.value)
    assert [f["id"] for f in run.results[0]["findings"]] == ["UNREADABLE"]
    assert run.results[1].get("error", "") == ""


def test_too_many_files_are_refused_and_the_pasted_text_kept(client, cast):
    client.force_login(cast.officer_a)
    files = [upload(f"{n}.txt", report_text()) for n in range(check_forms.MAX_FILES + 1)]
    response = check(client, files, text="粘贴的报告 <正文>")
    assert response.status_code == 400
    assert response.context["form"].has_error("reports", code="too_many")
    page = response.content.decode()
    assert 'data-field-error="reports"' in page
    assert "粘贴的报告 &lt;正文&gt;</textarea>" in page
    assert not ReportCheck.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, cast, monkeypatch):
    monkeypatch.setattr(check_forms, "MAX_FILE_BYTES", 1000)
    client.force_login(cast.officer_a)
    response = check(client, [upload("big.txt", report_text())], text="留着")
    assert response.status_code == 400
    assert response.context["form"].has_error("reports", code="too_large")
    assert "big.txt" in response.content.decode() and "留着</textarea>" in response.content.decode()


def test_nothing_to_check_is_said_so(client, cast):
    client.force_login(cast.officer_a)
    response = check(client, [], text="   ")
    assert response.status_code == 400
    assert response.context["form"].has_error("__all__", code="empty")


def test_the_xlsx_has_the_findings_and_figures(client, cast):
    client.force_login(cast.officer_a)
    run = run_of(
        check(
            client,
            [
                upload("2023.txt", report_text()),
                upload("2024.txt", report_text(year=2024, cells=BROKEN)),
            ],
        )
    )
    response = client.get(reverse("annual:check_xlsx", args=[run.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    summary, findings, figures = book.worksheets
    assert [row[0] for row in summary.iter_rows(min_row=2, values_only=True)] == [
        "2023.txt",
        "2024.txt",
    ]
    found = {(row[0], row[2]) for row in findings.iter_rows(min_row=2, values_only=True)}
    assert {("2024.txt", "T3-BALANCE"), ("2024.txt", "X-YEAR-CARRY")} <= found
    values = [row[3] for row in figures.iter_rows(min_row=2, values_only=True)]
    assert "/" in values and 4 in values


def test_a_2021_report_is_imported_as_the_agencys_year(client, cast):
    agency = forest(cast)
    client.force_login(cast.admin_county)  # an administrator above the agency
    run = run_of(check(client, [upload("林业局2023.txt", report_text())]))
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert f'<option value="{agency.pk}" selected>青山县林业局</option>' in page

    response = client.post(
        reverse("annual:check_import", args=[run.pk, 0]), {"r0-agency": agency.pk}
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(agency=agency, year=2023)
    assert (report.source, report.format, report.status) == (Source.IMPORTED, "2021", "draft")
    assert "林业局2023.txt" in report.source_note
    tables = report.entered_tables
    assert tables[T3]["new_received"] == {
        **dict.fromkeys(tables[T3]["new_received"], 0),
        "natural_person": 3,
        "total": 3,
    }
    assert tables[T3]["carried_forward"]["total"] == 1
    assert tables["t2_art20_1"]["normative_documents"]["in_force"] == 4
    assert tables["t2_art20_8"]["administrative_fees"]["fee_amount"] == 0  # printed "/"
    spec = format_spec("2021")
    assert set(tables) == {t["id"] for t in spec["tables"]}
    assert report.problems == TEXTS["problems"] and report.other == TEXTS["other"]
    assert report.overview.startswith("2023年，本局认真贯彻落实")
    run.refresh_from_db()
    assert run.imported == {"0": report.pk}
    # One action, its steps in the audit log as the other annual steps are.
    steps = AuditEntry.objects.filter(action=Action.ANNUAL_STEP, object_id=str(report.pk)).order_by(
        "pk"
    )
    assert [(e.detail["step"], e.actor_id) for e in steps] == [
        ("opened", cast.admin_county.pk),
        ("figures_entered", cast.admin_county.pk),
        ("text_saved", cast.admin_county.pk),
        ("imported", cast.admin_county.pk),
    ]
    assert steps.last().detail == {  # type: ignore[union-attr]
        "step": "imported",
        "year": 2023,
        "check": run.pk,
        "file": "林业局2023.txt",
    }
    page = client.get(response.url).content.decode()
    assert f"{reverse('annual:report')}?agency=forest&amp;year=2023" in page
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]

    # The next year's checks read the imported figures: 1 carried forward in 2023, but
    # nothing carried over in the records of 2024.
    last_year = stored_tables(report)
    assert last_year is not None and last_year[T3]["carried_forward"]["total"] == 1
    carry = [f for f in build(agency, 2024).findings if f["id"] == "X-YEAR-CARRY"]
    assert {f["col"] for f in carry} == {"natural_person", "total"}


def test_an_import_into_a_year_with_records_is_refused_with_the_reason(client, cast):
    case(cast.a, date(2023, 3, 1), closed=(date(2023, 3, 9), EventKind.REPLIED, "granted"))
    client.force_login(cast.officer_a)
    run = run_of(check(client, [upload("甲局2023.txt", report_text(agency="测试县甲局"))]))
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert f'<option value="{cast.a.pk}" selected>测试县甲局</option>' in page
    response = client.post(
        reverse("annual:check_import", args=[run.pk, 0]), {"r0-agency": cast.a.pk}, follow=True
    )
    shown = list(response.context["messages"])
    assert [m.level_tag for m in shown] == ["error"]
    assert "2023" in shown[0].message and shown[0].message in response.content.decode()
    # Nothing half done: no draft was left behind, and the run records no import.
    assert not AnnualReport.objects.filter(agency=cast.a, year=2023).exists()
    run.refresh_from_db()
    assert run.imported == {}


def test_an_import_needs_a_staff_role_in_the_agency_and_a_readable_report(client, cast):
    client.force_login(cast.officer_a)
    run = run_of(check(client, [upload("b.txt", report_text()), upload("x.doc", OLD_WORD)]))
    url = reverse("annual:check_import", args=[run.pk, 0])
    response = client.post(url, {"r0-agency": cast.b.pk})  # not officer_a's agency
    assert response.status_code == 400
    assert response.context["cards"][0]["import_form"].has_error("agency")
    response = client.post(
        reverse("annual:check_import", args=[run.pk, 1]), {"r1-agency": cast.a.pk}
    )
    assert response.status_code == 302
    assert client.post(reverse("annual:check_import", args=[run.pk, 2])).status_code == 404
    assert not AnnualReport.objects.exists()
