"""Every back-office view, requested by the whole fixed cast (STYLE.md 6, docs/testing.md).

The routes are not listed by hand: every URL pattern served under /office/ is found by
walking the URL conf, so a view added later (by any app) is requested too. Its URL
arguments are filled from objects of agency A made below, looked up by the argument's
name (see VALUES); a route with an argument this module cannot fill fails, naming it.

For each route, as each member of the cast (GET, or an empty POST when the view takes
POST only):
- nobody gets a server error;
- an anonymous visitor is sent to the login page;
- the officer of B gets 404 for agency A's objects (what one may not see is not found),
  for a form page's POST too;
- someone of A (or the superuser) gets something other than 404, so that the arguments
  really name objects and the checks above are not vacuous.

What each role may do on each page is tested in each app's own tests; this module makes
sure none is left out (issue 16: `foi:assign` had been).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.annual import actions as annual_actions
from gongkai.annual.models import AnnualReport, ReportCheck
from gongkai.evaluation import actions as evaluation_actions
from gongkai.evaluation import defaults as evaluation_defaults
from gongkai.evaluation import rectification
from gongkai.foi import actions as foi_actions
from gongkai.foi import letters
from gongkai.foi.models import Application, ExtensionRequest, Letter, LetterDelivery, Remedy
from gongkai.jobs import queue
from gongkai.jobs.models import TaskFailure
from gongkai.orgs.models import Membership, Role
from gongkai.publishing import actions as publishing_actions
from gongkai.publishing.models import Category, InfoItem, ItemAttachment, NormativeDocument
from gongkai.records import demo as records_demo
from tests.conftest import Cast
from tests.foi.conftest import PERSON
from tests.foi.helpers import reply_by_letter

OFFICE = "office/"
NOW = "2026-03-20 10:00 +0800"
YEAR = 2025  # the annual report's year: before A's first record, so figures by hand apply


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "foi:assign"; "" when the pattern has none
    route: str  # e.g. "office/foi/<int:pk>/assign/"
    kwargs: tuple[str, ...]

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(name, route, _kwarg_names(route))


def _kwarg_names(route: str) -> tuple[str, ...]:
    """`<int:pk>` and `<code>` of a path(), `(?P<name>…)` of a re_path()."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    names += re.findall(r"\(\?P<(\w+)>", route)
    return tuple(dict.fromkeys(names))


def office_routes() -> list[Route]:
    routes = [r for r in _walk(get_resolver().url_patterns) if r.route.startswith(OFFICE)]
    return sorted(routes, key=lambda r: r.name)


ROUTES = office_routes()


class World:
    """Agency A's objects, each made on first use (a route needs only some of them)."""

    def __init__(self, cast: Cast, client: Client) -> None:
        self.cast = cast
        self.client = client

    def populate(self) -> None:
        """What the lists and home pages show: a case with a letter, a catalog item, a
        normative document and a report (the rest is made only for the routes naming it)."""
        for name in ("letter", "item", "normative", "report", "records", "rectification_file"):
            getattr(self, name)

    @cached_property
    def case(self) -> Application:
        """An open application to A, with an identity document and a drafted letter."""
        png = SimpleUploadedFile(
            "id.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, content_type="image/png"
        )
        return foi_actions.submit_application(
            self.cast.a,
            PERSON,
            channel="online",
            submitted_on=date(2026, 3, 2),
            attachments=[png],
        ).application

    @cached_property
    def letter(self) -> Letter:
        return letters.draft_letter(self.case, actor=self.cast.officer_a, kind="receipt")

    @cached_property
    def delivery(self) -> LetterDelivery:
        """A failed e-mail delivery of an issued letter of A."""
        letter = letters.draft_letter(self.case, actor=self.cast.officer_a, kind="receipt")
        letters.approve_letter(letter, actor=self.cast.head_a)
        letters.issue_letter(letter, actor=self.cast.officer_a, on=date(2026, 3, 3))
        return LetterDelivery.objects.create(
            letter=letter,
            method="email",
            status="failed",
            address="zhangsan@example.com",
            attempts=1,
            last_error="SMTP 421",
        )

    @cached_property
    def extension_request(self) -> ExtensionRequest:
        return foi_actions.request_extension(
            self.case, actor=self.cast.officer_a, days=10, reason="需调取档案"
        )

    @cached_property
    def replied(self) -> Application:
        application = foi_actions.submit_application(
            self.cast.a, PERSON, channel="online", submitted_on=date(2026, 3, 3)
        ).application
        reply_by_letter(
            application,
            officer=self.cast.officer_a,
            head=self.cast.head_a,
            on=date(2026, 3, 19),
            outcome="granted",
        )
        return application

    @cached_property
    def remedy(self) -> Remedy:
        return foi_actions.record_remedy(
            self.replied,
            actor=self.cast.officer_a,
            kind="administrative_review",
            body="测试县人民政府",
            filed_on=date(2026, 3, 20),
        )

    @cached_property
    def item(self) -> InfoItem:
        return publishing_actions.create_item(
            self.cast.a,
            actor=self.cast.officer_a,
            category=Category.objects.get(agency=None, code="20-07"),
            formed_on=date(2026, 3, 2),
            title="部门预算",
            body="<p>本局2026年部门预算。</p>",
        )

    @cached_property
    def published_item(self) -> InfoItem:
        """An item with a version (the version pages)."""
        item = publishing_actions.create_item(
            self.cast.a,
            actor=self.cast.officer_a,
            category=Category.objects.get(agency=None, code="20-07"),
            formed_on=date(2026, 3, 2),
            title="已发布的部门预算",
        )
        InfoItem.objects.filter(pk=item.pk).update(status="approved")
        publishing_actions.publish_item(item, actor=self.cast.officer_a)
        return item

    @cached_property
    def item_attachment(self) -> ItemAttachment:
        upload = SimpleUploadedFile("预算.txt", "部门预算表".encode(), content_type="text/plain")
        return publishing_actions.add_attachment(
            self.item, actor=self.cast.officer_a, upload=upload
        )

    @cached_property
    def normative(self) -> NormativeDocument:
        return NormativeDocument.objects.create(
            agency=self.cast.a,
            kind="normative_document",
            title="测试县甲局行政规范性文件管理办法",
            doc_no="测甲发〔2026〕1号",
            drafted_on=date(2026, 1, 10),
            issued_on=date(2026, 2, 1),
            created_by=self.cast.officer_a,
        )

    @cached_property
    def report(self) -> AnnualReport:
        return annual_actions.open_report(self.cast.a, YEAR, actor=self.cast.officer_a)

    @cached_property
    def records(self) -> dict[str, Any]:
        """One record of each kind of gongkai.records for A, a consultation with a comment."""
        return records_demo.one_of_each(self.cast.a, actor=self.cast.officer_a)

    @cached_property
    def check_run(self) -> ReportCheck:
        """A check of a pasted report, made by the officer of A through the page."""
        self.client.force_login(self.cast.officer_a)
        text = f"测试县甲局{YEAR}年政府信息公开工作年度报告\n一、总体情况\n本年度新收申请3件。"
        response = self.client.post(reverse("annual:checks"), {"text": text})
        self.client.logout()
        assert response.status_code == 302, response.content.decode()[:500]
        return ReportCheck.objects.get(created_by=self.cast.officer_a)

    @cached_property
    def task_failure(self) -> TaskFailure:
        """A task that failed for good (a report check of A's run)."""
        return queue.record_failure(
            "gongkai.annual.tasks.check_report_file",
            [self.check_run.files.get().pk],
            {},
            error="表格结构无法识别",
            error_class="ValueError",
            traceback="",
            attempts=1,
            permanent=True,
            task_id="t",
        )

    @cached_property
    def evaluation(self) -> Any:
        return evaluation_actions.open_evaluation(self.cast.a, YEAR, actor=self.cast.officer_a)

    @cached_property
    def evidence(self) -> Any:
        upload = SimpleUploadedFile(
            "会议.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        )
        indicator = self.evaluation.system.indicators.get(key="leading_group")
        return evaluation_actions.add_evidence(
            self.evaluation, indicator, actor=self.cast.officer_a, upload=upload
        )

    @cached_property
    def rectification(self) -> Any:
        """A task the county's supervisor issued to A, overdue on NOW (20 March)."""
        return rectification.issue(
            self.cast.a, actor=self.cast.supervisor, finding="超期公开。",
            deadline=date(2026, 3, 19), on=date(2026, 3, 1),
        )  # fmt: skip

    @cached_property
    def rectification_file(self) -> Any:
        upload = SimpleUploadedFile(
            "整改.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        )
        task = rectification.answer(self.rectification, actor=self.cast.officer_a,
                                    text="已整改。", uploads=[upload])  # fmt: skip
        return task.files.get()


@dataclass(frozen=True)
class Value:
    make: Callable[[World], object]
    scoped: bool  # an object of agency A: hidden from the officer of B


RECORD_KINDS = (
    "consultations",
    "concerns",
    "messages",
    "press",
    "proposals",
    "training",
    "staffing",
)


def _record(slug: str) -> Value:
    return Value(lambda w: w.records[slug].pk, True)


# A URL argument is filled by the first of "namespace:name.kwarg", "namespace.kwarg" and
# "kwarg" found here. A route with an argument not found fails test_the_cast_requests.
VALUES: dict[str, Value] = {
    "code": Value(lambda w: w.cast.a.code, True),
    "year": Value(lambda w: 2026, False),  # a calendar year (the holiday-year pages)
    "foi.pk": Value(lambda w: w.case.pk, True),
    # Login security: a person, and a role made to be removed (403 for all but the
    # security administrator, whose scope is the county's subtree).
    "security.pk": Value(lambda w: w.cast.officer_a.pk, False),
    "security:revoke.pk": Value(
        lambda w: (
            Membership.objects.create(
                user=w.cast.officer_b, agency=w.cast.b, role=Role.REVIEWER_FIRST
            ).pk
        ),
        False,
    ),
    "foi.attachment_pk": Value(lambda w: w.case.attachments.get().pk, True),
    "foi.letter_pk": Value(lambda w: w.letter.pk, True),
    "foi:letter_delivery_retry.letter_pk": Value(lambda w: w.delivery.letter_id, True),
    "foi.delivery_pk": Value(lambda w: w.delivery.pk, True),
    "foi.step": Value(lambda w: "reply", False),
    "foi.action": Value(lambda w: "approve", False),
    "foi.fmt": Value(lambda w: "docx", False),
    "foi:extension_decide.pk": Value(lambda w: w.extension_request.pk, True),
    "foi:remedy_decide.pk": Value(lambda w: w.remedy.application_id, True),
    "foi.name": Value(lambda w: "correction", False),  # a letter template (its specimen)
    "foi.remedy_pk": Value(lambda w: w.remedy.pk, True),
    "publishing.pk": Value(lambda w: w.item.pk, True),
    "publishing:attachment.pk": Value(lambda w: w.item_attachment.item_id, True),
    "publishing:attachment_remove.pk": Value(lambda w: w.item_attachment.item_id, True),
    "publishing:attachment_replace.pk": Value(lambda w: w.item_attachment.item_id, True),
    "publishing:version_diff.pk": Value(lambda w: w.published_item.pk, True),
    "publishing.number": Value(lambda w: 1, False),
    "publishing.attachment": Value(lambda w: w.item_attachment.pk, True),
    "publishing.step": Value(lambda w: "review", False),
    "publishing:normative_edit.pk": Value(lambda w: w.normative.pk, True),
    "annual.year": Value(lambda w: w.report.year, False),
    "annual.fmt": Value(lambda w: "html", False),
    "annual.name": Value(lambda w: "return", False),
    "annual.pk": Value(lambda w: w.check_run.pk, True),
    "annual.index": Value(lambda w: 0, False),
    # Failed tasks are the installation's administrators' (403 for the others, not 404).
    "jobs.pk": Value(lambda w: w.task_failure.pk, False),
    # gongkai.records: one route per kind ("records:messages_edit"), and the consultation's.
    **{f"records:{slug}_edit.pk": _record(slug) for slug in RECORD_KINDS},
    "records.pk": Value(lambda w: w.records["consultations"].pk, True),
    "records.comment_pk": Value(lambda w: w.records["comment"].pk, True),
    # An answered hotline message of A, made public from the office (office/hotline.py).
    **{f"office:message_{step}.pk": _record("messages") for step in ("publish", "withdraw")},
    # gongkai.evaluation: A's self-evaluation, its evidence; the default indicator system.
    "evaluation.pk": Value(lambda w: w.evaluation.pk, True),
    "evaluation.indicator_pk": Value(
        lambda w: w.evaluation.system.indicators.get(key="leading_group").pk, True
    ),
    "evaluation.evidence_pk": Value(lambda w: w.evidence.pk, True),
    "evaluation:remove_evidence.pk": Value(lambda w: w.evidence.evaluation_id, True),
    "evaluation:evidence_file.pk": Value(lambda w: w.evidence.evaluation_id, True),
    "evaluation.fmt": Value(lambda w: "docx", False),
    "evaluation.key": Value(lambda w: "proactive_timeliness", False),
    "evaluation:open.year": Value(lambda w: YEAR, False),
    **{
        f"evaluation:{name}.pk": Value(lambda w: evaluation_defaults.load_default().pk, False)
        for name in (
            "system",
            "copy_system",
            "new_indicator",
            "save_indicator",
            "delete_indicator",
            "export_system",
            "import_system",
        )
    },
    "evaluation:save_indicator.indicator_pk": Value(
        lambda w: evaluation_defaults.load_default().indicators.get(key="bulletin").pk, False
    ),
    # Rectification tasks: A's task (answered, with its evidence file).
    **{
        f"evaluation:{name}.pk": Value(lambda w: w.rectification_file.rectification_id, True)
        for name in (
            "rectification",
            "rectification_answer",
            "rectification_decide",
            "rectification_file",
        )
    },
    "evaluation:rectification_decide.step": Value(lambda w: "accept", False),
    "evaluation:rectification_file.file_pk": Value(lambda w: w.rectification_file.pk, True),
    "evaluation:delete_indicator.indicator_pk": Value(
        lambda w: evaluation_defaults.load_default().indicators.get(key="bulletin").pk, False
    ),
}


# Query strings for views that read their subject from it (a GET form's fields).
QUERIES: dict[str, Callable[[World], dict[str, object]]] = {
    "annual:cell": lambda w: {
        "agency": w.cast.a.code,
        "year": w.report.year,
        "table": "t3_applications",
        "row": "new_received",
        "col": "total",
    },
    "annual:status": lambda w: {"agency": w.cast.county.code, "year": w.report.year},
}
SCOPED_QUERIES = {"annual:cell", "annual:status"}  # they name agency A or the county above


def value_for(route: Route, kwarg: str) -> Value | None:
    for key in (f"{route.name}.{kwarg}", f"{route.namespace}.{kwarg}", kwarg):
        if key in VALUES:
            return VALUES[key]
    return None


# Pages for visitors who are not logged in, and what such a visitor gets there.
PUBLIC = {"login": 200}
# Where everyone, logged in or not, ends on the login page.
TO_LOGIN = {"logout"}
# The cast in an order where the people without rights come first: what someone with
# rights does (an empty POST may still act) cannot hide a refusal of someone without.
CAST = (
    None,
    "officer_b",
    "reviewer_a",
    "supervisor",
    "head_a",
    "officer_a",
    "admin_county",
    # 三权分立: the audit page answers the auditor only, login security the security admin.
    "security_admin",
    "auditor",
    "superuser",
)
OF_A = {"reviewer_a", "supervisor", "head_a", "officer_a", "admin_county", "superuser"}


def test_the_walk_finds_the_back_office_views():
    names = {r.name for r in ROUTES}
    assert {"login", "foi:assign", "publishing:detail", "annual:check_import"} <= names
    assert {"foi:letter_templates", "foi:letter_template_agency"} <= names
    assert all(r.route.startswith(OFFICE) for r in ROUTES)
    assert {r.name: r.kwargs for r in ROUTES}["foi:letter_file"] == ("pk", "letter_pk", "fmt")


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name or r.route)
def test_the_cast_requests(route, cast, client, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert route.name, f"/{route.route} has no URL name: name it so that it can be tested"
    missing = [k for k in route.kwargs if value_for(route, k) is None]
    assert not missing, (
        f"{route.name} (/{route.route}): add a way to fill {', '.join(missing)} to VALUES "
        "in tests/test_office_views_cast.py"
    )
    world = World(cast, client)
    if not route.kwargs:
        world.populate()
    values = {k: value_for(route, k) for k in route.kwargs}
    kwargs = {k: v.make(world) for k, v in values.items() if v is not None}
    scoped = route.name in SCOPED_QUERIES or any(
        v is not None and v.scoped for v in values.values()
    )
    url = reverse(route.name, kwargs=kwargs)
    if route.name in QUERIES:
        url += "?" + urlencode(QUERIES[route.name](world))
    login = reverse("login")

    client.force_login(cast.superuser)
    post_only = client.get(url).status_code == 405
    client.logout()

    problems: list[str] = []
    statuses: dict[str | None, int] = {}
    for who in CAST:
        client.logout()
        if who is not None:
            client.force_login(getattr(cast, who))
        method = "POST" if post_only else "GET"
        try:
            response = client.post(url, {}) if post_only else client.get(url)
        except Exception as exc:  # a server error: name who and where, then go on
            problems.append(f"{who or 'anonymous'} {method} {url}: {type(exc).__name__}: {exc}")
            continue
        status = statuses[who] = response.status_code
        location = response.get("Location", "")
        if status >= 500:
            problems.append(f"{who or 'anonymous'} {method} {url}: {status}")
        elif who is None:
            expected = PUBLIC.get(route.name)
            if expected is not None and status != expected:
                problems.append(f"anonymous {method} {url}: {status}, expected {expected}")
            if expected is None and not (status == 302 and location.startswith(login)):
                problems.append(f"anonymous {method} {url}: {status} {location}, not the login")
        elif (status == 302 and location.startswith(login)) != (route.name in TO_LOGIN):
            problems.append(f"{who} {method} {url}: {status} {location}")
        elif who == "officer_b" and scoped and status != 404:
            problems.append(f"officer_b {method} {url} (agency A's object): {status}, not 404")
    if not any(statuses.get(who, 404) != 404 for who in OF_A):
        problems.append(f"{url}: 404 for everyone of A; do its arguments name real objects?")
    if scoped and not post_only:
        # A form page's POST must be as closed to B as its GET (405: the view takes no POST).
        client.force_login(cast.officer_b)
        try:
            status = client.post(url, {}).status_code
        except Exception as exc:
            problems.append(f"officer_b POST {url}: {type(exc).__name__}: {exc}")
        else:
            if status not in (404, 405):
                problems.append(f"officer_b POST {url} (agency A's object): {status}, not 404")
    assert not problems, "\n".join(problems)
