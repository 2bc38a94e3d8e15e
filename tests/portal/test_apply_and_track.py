"""The public form and the tracking page."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from gongkai.foi.models import Application


def code_of(page: str) -> str:
    match = re.search(r'data-code class="[^"]*">(\w+)<', page)
    assert match is not None, "no query code on the page"
    return match.group(1)


FORM = {
    "token": "tok-1",
    "applicant_type": "natural_person",
    "person_name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800000000",
    "email": "zs@example.com",
    "description": "<script>alert(1)</script> 2025年预算",
    "provision_form": "electronic",
    "delivery": "email",
    "consent": "on",
}


def test_an_online_application_is_stored_numbered_and_shown_once(
    client, cast, django_capture_on_commit_callbacks
):
    page = client.get(reverse("portal:apply", args=["a"]))
    assert page.status_code == 200 and "申请政府信息公开" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True)
    text = response.content.decode()
    application = Application.objects.get()
    assert application.number in text
    code = code_of(text)
    assert code in mail.outbox[0].body
    # Shown once: a reload of the receipt page no longer has the code.
    assert code not in client.get(reverse("portal:apply_done")).content.decode()


def test_a_double_submit_makes_one_application(client, cast):
    client.post(reverse("portal:apply", args=["a"]), FORM)
    client.post(reverse("portal:apply", args=["a"]), FORM)
    assert Application.objects.count() == 1


def test_errors_are_in_chinese_and_keep_what_was_typed(client, cast):
    bad = {**FORM, "id_number": "123", "phone": "12", "email": ""}
    text = client.post(reverse("portal:apply", args=["a"]), bad).content.decode()
    assert (
        "居民身份证号码无效" in text
        and "11位手机号码" in text
        and "请填写接收信息的电子邮箱" in text
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 2025年预算" in text
    assert Application.objects.count() == 0


def test_an_organisation_needs_a_valid_credit_code_and_a_contact(client, cast):
    org = {
        **FORM,
        "applicant_type": "commercial_enterprise",
        "credit_code": "91110000XXXXXXXXX1",
        "contact_person": "",
    }
    text = client.post(reverse("portal:apply", args=["a"]), org).content.decode()
    assert "请填写有效的统一社会信用代码" in text and "请填写联系人" in text


def test_tracking_shows_status_and_steps_but_no_personal_or_internal_data(client, cast):
    response = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True)
    code = code_of(response.content.decode())
    application = Application.objects.get()
    text = client.post(
        reverse("portal:track"), {"number": application.number, "code": code}, follow=True
    ).content.decode()
    assert "办理中" in text and "收到申请" in text
    assert "11010519491231002X" not in text and "13800000000" not in text
    wrong = client.post(
        reverse("portal:track"), {"number": application.number, "code": "AAAAAAAA"}
    ).content.decode()
    assert "申请编号与查询码不匹配" in wrong and "收到申请</li>" not in wrong
    unknown = client.post(
        reverse("portal:track"), {"number": "nope", "code": code}
    ).content.decode()
    assert "申请编号与查询码不匹配" in unknown


def test_attachments_are_checked_by_content_and_kept_private(client, cast, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    fake = SimpleUploadedFile("id.png", b"MZ this is an executable", content_type="image/png")
    text = client.post(
        reverse("portal:apply", args=["a"]), {**FORM, "attachments": [fake]}
    ).content.decode()
    assert "id.png 不是 PDF、JPEG 或 PNG 文件（按文件内容判断）" in text
    assert Application.objects.count() == 0
    good = SimpleUploadedFile("身份证.png", png, content_type="application/octet-stream")
    client.post(reverse("portal:apply", args=["a"]), {**FORM, "attachments": [good]})
    application = Application.objects.get()
    attachment = application.attachments.get()
    assert attachment.content_type == "image/png" and attachment.original_name == "身份证.png"
    url = reverse("foi:attachment", args=[application.pk, attachment.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(cast.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.officer_a)  # staff of the agency, but not this case's handler
    assert client.get(url).status_code == 403
    client.force_login(cast.head_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png


def test_a_refused_form_has_a_summary_linking_each_field_and_no_green_ticks(client, cast):
    bad = {**FORM, "phone": "12", "email": "zs@", "postcode": ""}
    text = client.post(reverse("portal:apply", args=["a"]), bad).content.decode()
    summary = text[
        text.index("data-error-summary") : text.index("</ul>", text.index("data-error-summary"))
    ]
    assert 'href="#id_phone"' in summary and 'href="#id_email"' in summary
    assert "联系电话：请填写以13至19开头" in summary and summary.count("<li>") == 2
    assert "is-valid" not in text and 'value="zs@"' in text and 'value="张三"' in text
    # One message per field, in Chinese: the summary's and the field's own.
    assert text.count("请填写有效的电子邮箱地址") == 2
    assert "---------" not in text


def test_without_javascript_both_kinds_of_applicant_fields_are_on_the_page(client, cast):
    text = client.get(reverse("portal:apply", args=["a"])).content.decode()
    for group in ('data-applicant="person"', 'data-applicant="organisation"'):
        start = text.index(group)
        assert "hidden" not in text[start - 80 : start + 40]
    assert "applicant-type.js" in text and "checked" not in text
