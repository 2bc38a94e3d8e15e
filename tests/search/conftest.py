"""Published items for the search tests: created, approved and published as an officer
would, with the after-commit index update run."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.publishing import actions
from gongkai.publishing.models import Category, InfoItem, ItemStatus


@pytest.fixture
def category(db):
    return Category.objects.get(agency=None, code="20-07")


@pytest.fixture
def publish(cast, category, django_capture_on_commit_callbacks):
    def make(agency=None, **fields):
        agency = agency or cast.a
        fields.setdefault("title", "2026年部门预算")
        fields.setdefault("formed_on", date(2026, 3, 2))
        fields.setdefault("category", category)
        officer = {cast.a: cast.officer_a, cast.b: cast.officer_b}.get(agency)
        item = actions.create_item(agency, actor=officer, **fields)
        InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
        with django_capture_on_commit_callbacks(execute=True):
            actions.publish_item(item, actor=officer)
        item.refresh_from_db()
        return item

    return make
