"""Who sees which catalog items in the back office."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _

from gongkai.orgs.access import scope_to_agencies
from gongkai.orgs.models import User
from gongkai.publishing.models import InfoItem, InfoItemQuerySet


def visible_items(user: User | AnonymousUser) -> InfoItemQuerySet:
    queryset = scope_to_agencies(InfoItem.objects.select_related("agency", "category"), user)
    assert isinstance(queryset, InfoItemQuerySet)  # noqa: S101 - narrows the type for mypy
    return queryset


def get_item_for_user(user: User | AnonymousUser, pk: int) -> InfoItem:
    try:
        return visible_items(user).get(pk=pk)
    except InfoItem.DoesNotExist:
        raise Http404(_("No such item.")) from None
