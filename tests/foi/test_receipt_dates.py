"""Impossible dates of receipt (第三十一条) are refused with a clear message (issue 17)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.foi.receipt import Channel, legal_received_on
from tests.foi.conftest import PERSON


def test_a_letter_signed_for_before_it_was_posted_is_refused():
    with pytest.raises(ValidationError) as refused:
        legal_received_on(
            Channel.POST_SIGNED, submitted_on=date(2026, 3, 5), signed_on=date(2026, 3, 4)
        )
    assert (
        "签收日期（2026-03-04）不能早于寄出日期（2026-03-05）"
        in refused.value.message_dict["signed_on"][0]
    )


def test_a_receipt_confirmed_before_the_request_was_sent_is_refused():
    with pytest.raises(ValidationError) as refused:
        legal_received_on(Channel.FAX, submitted_on=date(2026, 3, 5), confirmed_on=date(2026, 3, 2))
    assert "不能早于申请发出的日期" in refused.value.message_dict["confirmed_on"][0]


def test_possible_dates_are_taken():
    assert legal_received_on(
        Channel.POST_SIGNED, submitted_on=date(2026, 3, 2), signed_on=date(2026, 3, 2)
    ) == date(2026, 3, 2)
    assert legal_received_on(
        Channel.POST_PLAIN, submitted_on=date(2026, 3, 2), confirmed_on=date(2026, 3, 6)
    ) == date(2026, 3, 6)


def test_registration_keeps_what_was_typed_and_says_why(client, cast, time_machine):
    time_machine.move_to("2026-03-10 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("foi:register"),
        {
            "agency": cast.a.pk,
            **PERSON,
            "person_name": PERSON["applicant_name"],
            "channel": Channel.POST_SIGNED,
            "submitted_on": "2026-03-06",
            "signed_on": "2026-03-02",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "不能早于寄出日期" in text
    assert PERSON["description"] in text
