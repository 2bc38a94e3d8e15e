"""Reviewers of agency A, one person per review stage."""

from __future__ import annotations

import pytest

from gongkai.orgs.models import Role


@pytest.fixture
def stage_reviewers(cast):
    """One person per default stage and one for 复审: separation of duties holds."""
    return {
        Role.REVIEWER_FIRST: cast.reviewer_a,
        Role.REVIEWER_SECOND: cast.user("second_a", cast.a, Role.REVIEWER_SECOND),
        Role.CONFIDENTIALITY: cast.user("secret_a", cast.a, Role.CONFIDENTIALITY),
        Role.REVIEWER_FINAL: cast.user("final_a", cast.a, Role.REVIEWER_FINAL),
        Role.OFFICE_HEAD: cast.head_a,
    }
