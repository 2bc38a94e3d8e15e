from __future__ import annotations

import pytest

from gongkai.foi.fees import page_rate, pages_fee, request_rate


@pytest.mark.parametrize(
    ("position", "rate"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_per_request_tiers_follow_article_4(position, rate):
    assert request_rate(position) == rate


def test_forty_five_requests_in_a_month_cost_5500_yuan():
    # The worked reading in regulation-notes §4: 20×100 + 10×200 + 5×300.
    assert sum(request_rate(n) for n in range(1, 46)) == 5500


@pytest.mark.parametrize(
    ("pages", "fee"), [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]
)
def test_per_page_tiers_follow_article_5(pages, fee):
    assert pages_fee(pages) == fee
    assert pages_fee(pages) == sum(page_rate(p) for p in range(1, pages + 1))
