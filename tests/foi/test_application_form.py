"""The application form (gongkai.foi.forms.ApplicationForm): its fields follow the
applicant type, each bad field gets one Chinese message, and the phone rules match theirs."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from gongkai.foi.forms import (
    APPLICATION_FIELDS,
    PublicApplicationForm,
    StaffRegistrationForm,
)
from gongkai.foi.models import CreditCodeMissing
from gongkai.orgs.demo import credit_code

PERSON = {
    "token": "tok-1",
    "applicant_type": "natural_person",
    "person_name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800000000",
    "email": "zs@example.com",
    "description": "2025年部门预算",
    "provision_form": "electronic",
    "delivery": "email",
    "consent": "on",
}
ORGANISATION = {
    **{k: v for k, v in PERSON.items() if k not in ("person_name", "id_type", "id_number")},
    "applicant_type": "commercial_enterprise",
    "organisation_name": "测试县某某科技有限公司",
    "credit_code": credit_code(77),
    "legal_representative": "王五",
    "contact_person": "赵六",
}
ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def errors_of(data: dict[str, str]) -> dict[str, list[str]]:
    form = PublicApplicationForm(data)
    assert not form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def test_a_person_gives_a_name_and_an_identity_document():
    form = PublicApplicationForm(PERSON)
    assert form.is_valid(), form.errors
    fields = form.application_fields()
    assert fields["applicant_name"] == "张三" and fields["id_number"] == "11010519491231002X"
    assert fields["credit_code"] == fields["contact_person"] == ""


def test_a_person_is_not_asked_for_the_organisations_fields_and_they_are_not_stored():
    data = {**PERSON, "organisation_name": "别的名称", "credit_code": "x", "contact_person": "某"}
    form = PublicApplicationForm(data)
    assert form.is_valid(), form.errors
    fields = form.application_fields()
    assert fields["applicant_name"] == "张三"
    assert fields["credit_code"] == fields["contact_person"] == ""


def test_a_person_without_name_or_document_gets_one_message_for_each():
    errors = errors_of({**PERSON, "person_name": "", "id_type": "", "id_number": ""})
    assert errors == {
        "person_name": ["请填写姓名。"],
        "id_type": ["请选择身份证件类型。"],
        "id_number": ["请填写证件号码。"],
    }


def test_an_organisation_gives_its_name_code_and_contact_but_no_identity_document():
    form = PublicApplicationForm({**ORGANISATION, "id_type": "passport", "id_number": "E1"})
    assert form.is_valid(), form.errors
    fields = form.application_fields()
    assert fields["applicant_name"] == "测试县某某科技有限公司"
    assert fields["credit_code"] == credit_code(77) and fields["credit_code_missing"] == ""
    assert fields["id_type"] == fields["id_number"] == ""
    assert fields["legal_representative"] == "王五" and fields["contact_person"] == "赵六"


def test_an_organisation_without_a_code_says_why():
    data = {**ORGANISATION, "credit_code": ""}
    assert errors_of(data) == {
        "credit_code": ["请填写统一社会信用代码；没有代码的，请在下方选择原因。"]
    }
    form = PublicApplicationForm({**data, "credit_code_missing": CreditCodeMissing.FOREIGN})
    assert form.is_valid(), form.errors
    assert form.application_fields()["credit_code_missing"] == CreditCodeMissing.FOREIGN


def test_a_code_given_wins_over_a_reason_chosen_by_mistake_and_a_bad_code_is_refused():
    form = PublicApplicationForm({**ORGANISATION, "credit_code_missing": "branch"})
    assert form.is_valid() and form.application_fields()["credit_code_missing"] == ""
    errors = errors_of({**ORGANISATION, "credit_code": "91110000XXXXXXXXX1"})
    assert errors == {"credit_code": ["请填写有效的统一社会信用代码（18位且校验位正确）。"]}


def test_an_organisation_needs_its_name_and_a_contact_person():
    errors = errors_of({**ORGANISATION, "organisation_name": "", "contact_person": ""})
    assert errors == {
        "organisation_name": ["请填写组织名称。"],
        "contact_person": ["请填写联系人。"],
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800000000", "13800000000"),
        ("199 0000 0000", "19900000000"),
        ("+86 138 0000 0000", "13800000000"),
        ("010-12345678", "010-12345678"),
        ("0571 8765432", "05718765432"),
        ("（0755）12345678", "075512345678"),
        ("010-12345678-8021", "010-12345678-8021"),
        ("0931－1234567", "0931-1234567"),
    ],
)
def test_mobile_numbers_and_landlines_with_an_area_code_are_accepted(typed, stored):
    form = PublicApplicationForm({**PERSON, "phone": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12800000000",  # 12 is no mobile prefix
        "1380000000",  # ten digits
        "138000000000",  # twelve
        "12345678",  # a landline without its area code
        "010-123456",  # six digits after the area code
        "010-12345678-",  # a hyphen with no extension
        "tel 13800000000",
    ],
)
def test_other_numbers_are_refused_with_the_rule_in_the_message(typed):
    assert errors_of({**PERSON, "phone": typed}) == {
        "phone": ["请填写以13至19开头的11位手机号码，或带区号的固定电话号码，如010-12345678。"]
    }


def test_a_bad_email_gets_one_chinese_message():
    assert errors_of({**PERSON, "email": "zs@"}) == {
        "email": ["请填写有效的电子邮箱地址，如 name@example.com。"]
    }
    assert errors_of({**PERSON, "email": ""}) == {"email": ["请填写接收信息的电子邮箱。"]}


@pytest.mark.parametrize("base", [PERSON, ORGANISATION], ids=["person", "organisation"])
def test_an_empty_or_wrong_form_gets_at_most_one_chinese_message_per_field(base):
    wrong = dict.fromkeys(base, "") | {
        "applicant_type": base["applicant_type"],
        "email": "not-an-address",
        "phone": "12",
        "postcode": "12",
        "id_type": "nonsense",
        "provision_form": "nonsense",
    }
    form = PublicApplicationForm(wrong)
    assert not form.is_valid()
    assert set(form.errors) >= {"phone", "email", "description", "delivery", "consent"}
    for name, messages in form.errors.items():
        assert len(messages) == 1, (name, messages)
        # An example address is not English.
        text = re.sub(r"[\w.]+@[\w.]+", "", str(messages[0]))
        assert not ENGLISH.search(text), (name, messages[0])
        assert str(messages[0]) != "这个字段是必填项。" or name == "token", name
    # The summary links each message to its field, in the form's order.
    links = form.error_links()
    in_order = [name for name in form.fields if name in form.errors]
    assert [link.message for link in links] == [str(form.errors[n][0]) for n in in_order]
    assert [link.target for link in links] == [
        form[n].auto_id + ("_0" if n in ("provision_form", "delivery", "applicant_type") else "")
        for n in in_order
    ]


def test_without_a_type_only_the_type_is_asked_for():
    errors = errors_of({**PERSON, "applicant_type": "", "person_name": "", "id_type": ""})
    assert errors == {"applicant_type": ["请选择申请人类型：自然人，或法人或其他组织。"]}


def test_nothing_is_chosen_for_the_applicant_and_no_placeholder_choice_is_offered():
    form = PublicApplicationForm()
    html = str(form["applicant_type"]) + str(form["provision_form"]) + str(form["delivery"])
    assert "checked" not in html and "---" not in html and 'value=""' not in html
    for name in ("id_type",):
        select = str(form[name])
        assert "---" not in select and '<option value="" selected>请选择</option>' in select
    staff = str(StaffRegistrationForm()["channel"])
    assert "---" not in staff and '<option value="" selected>请选择</option>' in staff


def test_the_form_lists_the_groups_fields_in_their_order():
    names = [name for name in PublicApplicationForm().fields if name in APPLICATION_FIELDS]
    assert names == list(APPLICATION_FIELDS)
    groups = PublicApplicationForm().field_groups()
    assert [g["key"] for g in groups] == ["type", "person", "organisation", "contact", "request"]
    assert [f.name for f in groups[1]["fields"]] == ["person_name", "id_type", "id_number"]
