"""Shared fixtures: the fixed cast of users (STYLE.md 6) and the browser harness."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from gongkai.orgs.models import Agency, Kind, Level, Membership, Role, User

# Playwright's sync API runs an event loop in the test thread; the ORM must still be
# usable there (stack-evaluation §6).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STRICT = os.environ.get("GONGKAI_STRICT_TESTS") == "1"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# Material kept beside the repository, not in it (../shared): tests that use it skip
# without it, saying so.
PASSWORD = "Cast-Pa55word!"


def _flush_past_the_audit_guards() -> None:
    """The test runner empties tables between transactional tests; the audit log's
    triggers let that through only inside allow_purge (gongkai.audit.integrity)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from gongkai.audit.integrity import allow_purge

    original = BaseDatabaseOperations.execute_sql_flush
    if getattr(original, "_audit_purge", False):
        return

    def execute_sql_flush(self, sql_list):
        with allow_purge(self.connection):
            return original(self, sql_list)

    execute_sql_flush._audit_purge = True  # type: ignore[attr-defined]
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]


_flush_past_the_audit_guards()


# Timing varies with the machine's load (a benchmark may be running beside the tests);
# Hypothesis' per-example deadline would turn that into flaky failures.
hypothesis_settings.register_profile("gongkai", deadline=None)
hypothesis_settings.load_profile("gongkai")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Pages render without a collectstatic manifest; live_server serves from finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _no_portal_cache(settings):
    """Pages are rendered afresh in tests; tests/portal/test_cache.py turns the cache on."""
    settings.PORTAL_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once, inside the test (after the commit that queues them,
    as with the database backend). tests/jobs/test_worker.py runs a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Cast:
    """Agencies: county (supervising) → A, B; and the people of STYLE.md 6."""

    def __init__(self) -> None:
        self.county = Agency.objects.create(
            code="county",
            doc_abbr="测政",
            name="测试县人民政府",
            level=Level.COUNTY,
            kind=Kind.GOVERNMENT,
            is_supervising=True,
        )
        self.a = Agency.objects.create(
            code="a",
            doc_abbr="测甲",
            name="测试县甲局",
            parent=self.county,
            level=Level.COUNTY,
            kind=Kind.DEPARTMENT,
        )
        self.a_unit = Agency.objects.create(
            code="a-unit",
            name="测试县甲局派出所",
            parent=self.a,
            level=Level.COUNTY,
            kind=Kind.DISPATCHED,
        )
        self.b = Agency.objects.create(
            code="b",
            doc_abbr="测乙",
            name="测试县乙局",
            parent=self.county,
            level=Level.COUNTY,
            kind=Kind.DEPARTMENT,
        )
        self.officer_a = self.user("officer_a", self.a, Role.OFFICER)
        self.reviewer_a = self.user("reviewer_a", self.a, Role.REVIEWER_FIRST)
        self.head_a = self.user("head_a", self.a, Role.OFFICE_HEAD)
        self.supervisor = self.user("supervisor", self.county, Role.SUPERVISOR)
        self.admin_county = self.user("admin_county", self.county, Role.ADMIN)
        # 三权分立: the security and the audit administrators of the county.
        self.security_admin = self.user("security_admin", self.county, Role.SECURITY_ADMIN)
        self.auditor = self.user("auditor", self.county, Role.AUDIT_ADMIN)
        self.officer_b = self.user("officer_b", self.b, Role.OFFICER)
        self.superuser = User.objects.create_superuser("root", password=PASSWORD)

    @staticmethod
    def user(username: str, agency: Agency, role: str) -> User:
        user = User.objects.create_user(username, password=PASSWORD, full_name=username)
        Membership.objects.create(user=user, agency=agency, role=role)
        return user


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


def complete_second_factor(client, user) -> None:
    """What passing /office/mfa/ leaves in the session, for a user with a real, confirmed
    TOTP device (made here when missing): tests log in staff who need the second factor
    without typing codes, while the factor stays required (tests/orgs/test_mfa.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _force_login_completes_the_second_factor() -> None:
    """Client.force_login(user) also completes the second factor for users who need it;
    force_login(user, second_factor=False) stops after the password, as a real login does."""
    from django.test import Client

    original = Client.force_login
    if getattr(original, "_second_factor", False):
        return

    def force_login(self, user, backend=None, second_factor=True):
        original(self, user, backend)
        from gongkai.orgs.mfa import requires_second_factor

        if second_factor and requires_second_factor(user):
            complete_second_factor(self, user)

    force_login._second_factor = True  # type: ignore[attr-defined]
    Client.force_login = force_login  # type: ignore[method-assign]


_force_login_completes_the_second_factor()


def require_path(path: Path, what: str) -> Path:
    """`path` when it exists; otherwise a skip naming what is missing and where it was
    looked for, or a failure under GONGKAI_STRICT_TESTS=1 (CI runs everything)."""
    if path.exists():
        return path
    message = f"{what} not found at {path}"
    if os.environ.get("GONGKAI_STRICT_TESTS") == "1":  # read now: tests may set it
        pytest.fail(f"{message}; GONGKAI_STRICT_TESTS=1 forbids skipping")
    pytest.skip(message)


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser_type_launch_args():
    path = chromium_path()
    if path is None:
        message = "Debian chromium is not installed (apt-get install chromium)"
        if STRICT:
            pytest.fail(f"{message}; GONGKAI_STRICT_TESTS=1 forbids skipping browser tests")
        pytest.skip(message)
    return {
        "executable_path": path,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
