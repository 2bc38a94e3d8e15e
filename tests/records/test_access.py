"""Every record kind's back-office pages against the fixed cast (STYLE.md 6): who sees the
list and the record, who may open the forms, and that the others change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.records import actions
from gongkai.records.kinds import KINDS
from tests.records.test_actions import _clock, records_of_each_kind  # noqa: F401

# (list, new form, edit form) for a record of agency A.
EXPECTED = {
    "officer_a": (200, 200, 200),
    "head_a": (200, 200, 200),
    "reviewer_a": (200, 403, 403),
    "supervisor": (200, 403, 403),
    "officer_b": (200, 200, 404),
    None: (302, 302, 302),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("slug", list(KINDS))
def test_each_kinds_pages_with_the_fixed_cast(cast, client, slug, who):
    kind = KINDS[slug]
    record = next(r for r in records_of_each_kind(cast) if isinstance(r, kind.model))
    actions.save_record(record, actor=None)
    if who:
        client.force_login(getattr(cast, who))
    listed, new, edit = EXPECTED[who]
    response = client.get(reverse(f"records:{slug}_list"))
    assert response.status_code == listed
    if listed == 200:
        # Only who may see agency A's records finds this one in the list.
        shown = reverse(f"records:{slug}_edit", args=[record.pk]) in response.content.decode()
        assert shown == (who != "officer_b")
    new_url = reverse(f"records:{slug}_new")
    if who == "officer_b":
        new_url += "?agency=b"
    elif who in ("officer_a", "head_a"):
        new_url += "?agency=a"
    assert client.get(new_url).status_code == new
    edit_url = reverse(f"records:{slug}_edit", args=[record.pk])
    assert client.get(edit_url).status_code == edit
    if edit != 200:
        before = type(record)._default_manager.get(pk=record.pk).updated_at
        assert client.post(edit_url, {}).status_code == edit
        assert type(record)._default_manager.get(pk=record.pk).updated_at == before
