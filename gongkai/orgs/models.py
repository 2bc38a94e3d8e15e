"""Agencies (行政机关), staff users and their roles in agencies.

Agencies form a tree. Each agency stores a materialised `path` of primary keys
("/1/7/12/") so that "everything below this agency" is one indexed prefix query, which
the scoping helpers in gongkai.orgs.access use for supervising offices.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumValidationError


class Level(models.TextChoices):
    """Administrative level of an agency (行政层级)."""

    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class Kind(models.TextChoices):
    """What sort of agency it is.

    第十条第二款 lets 派出机构 and 内设机构 disclose in their own name.
    """

    GOVERNMENT = "government", _("People's government")
    DEPARTMENT = "department", _("Government department")
    DISPATCHED = "dispatched", _("Dispatched or internal body")


class LetterSeries(models.TextChoices):
    """How an agency numbers its letters (文号): a count per kind of letter, or one count
    for all of them (regulation-notes-2 §8.2: "Keep a separate number series per letter
    type, or one series for all. Configurable.")."""

    PER_KIND = "per_kind", _("One number series per kind of letter")
    SHARED = "shared", _("One number series for all letters")


# 机关代字 (GB/T 9704-2012 7.2.4 发文字号): Chinese characters or Latin letters, nothing else,
# so that the whole 文号 matches DOC_NO_PATTERN.
doc_abbr_validator = RegexValidator(
    r"^[\u4e00-\u9fa5A-Za-z]+$",
    _("The agency abbreviation (机关代字) may contain only Chinese characters or letters."),
    code="invalid_doc_abbr",
)

# A 发文字号: 代字〔年份〕序号号 — the year in full in 〔〕, no 第, no leading zero
# (regulation-notes-2 §10.3).
DOC_NO_PATTERN = r"^[\u4e00-\u9fa5A-Za-z]+〔\d{4}〕[1-9]\d*号$"
doc_no_validator = RegexValidator(
    DOC_NO_PATTERN,
    _(
        "A document number is the abbreviation, the year in 〔〕, the number without 第 "
        "or leading zeros, and 号, e.g. 青教依申答〔2026〕1号."
    ),
    code="invalid_doc_no",
)


def validate_credit_code(value: str) -> None:
    """Check a 统一社会信用代码 (GB 32100-2015) including its check character."""
    try:
        uscc.validate(value)
    except StdnumValidationError as exc:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid unified social credit code (18 characters with a correct check character)."
            ),
            code="invalid_credit_code",
            params={"value": value},
        ) from exc


agency_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$",
    _("Use 1–32 letters, digits, hyphens or underscores, starting with a letter or digit."),
    code="invalid_agency_code",
)


def in_subtree(root: Agency | str, field: str = "") -> Q:
    """Rows whose agency (`field`, a path to an Agency; empty for Agency itself) is `root`
    (an agency, or its path) or below it. The one spelling of "in the subtree": an
    agency's path is a prefix of the paths of everything below it."""
    path = root if isinstance(root, str) else root.path
    return Q(**{f"{field}__path__startswith" if field else "path__startswith": path})


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)

    def subtree_of(self, agency: Agency) -> AgencyQuerySet:
        """The agency itself and every agency below it."""
        return self.filter(in_subtree(agency))

    def contact_incomplete(self) -> AgencyQuerySet:
        """Agencies missing a contact item the guide must show (see Agency.contact_complete)."""
        return self.filter(
            Q(office_name="")
            | Q(office_address="")
            | Q(office_hours="")
            | Q(office_phone="")
            | (Q(office_email="") & Q(office_fax=""))
        )


class Agency(models.Model):
    """A 行政机关 and the contact details of its 政府信息公开工作机构 (第四条、第十二条)."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[agency_code_validator],
        help_text=_("Short unique code used in numbers and addresses, e.g. qsx-jyj."),
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    is_supervising = models.BooleanField(
        _("supervising office"),
        default=False,
        help_text=_(
            "Its disclosure office supervises the disclosure work of the agencies below it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    # The disclosure office (政府信息公开工作机构) and what 第十二条 requires the guide to show.
    office_name = models.CharField(_("disclosure office"), max_length=100, blank=True)
    office_address = models.CharField(_("office address"), max_length=200, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    office_phone = models.CharField(_("telephone"), max_length=100, blank=True)
    office_fax = models.CharField(_("fax"), max_length=100, blank=True)
    office_email = models.EmailField(_("e-mail"), blank=True)
    office_postcode = models.CharField(
        _("postcode"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("A postcode has six digits."))],
    )
    # The portal column's own words: added to the generated guide, and the 制度 page.
    guide_text = models.TextField(
        _("guide: further text"),
        max_length=20_000,
        blank=True,
        help_text=_("Shown after the generated parts of the disclosure guide. Plain text."),
    )
    rules_text = models.TextField(
        _("disclosure rules"),
        max_length=20_000,
        blank=True,
        help_text=_(
            "The agency's rules for disclosure work (政府信息公开制度), e.g. review, "
            "confidentiality and publication procedures. Plain text."
        ),
    )

    # Letters (告知书): the 文号 and the remedy clause (gongkai.foi.remedy).
    doc_abbr = models.CharField(
        _("agency abbreviation (机关代字)"),
        max_length=20,
        blank=True,
        validators=[doc_abbr_validator],
        help_text=_(
            "Starts the number of every letter, e.g. 青教 gives 青教依申答〔2026〕1号. "
            "Letters cannot be issued until it is set."
        ),
    )
    letter_series = models.CharField(
        _("letter numbering"),
        max_length=16,
        choices=LetterSeries.choices,
        default=LetterSeries.PER_KIND,
    )
    vertical = models.BooleanField(
        _("under vertical leadership"),
        default=False,
        help_text=_(
            "Customs, financial regulators, foreign exchange, tax and state security "
            "(Article 27 of the Administrative Reconsideration Law): reconsideration goes "
            "to the next higher authority, which must then be entered below."
        ),
    )
    review_body = models.CharField(
        _("reconsideration body"),
        max_length=100,
        blank=True,
        help_text=_(
            "Leave empty to use the people's government the agency tree gives "
            "(Article 24 of the Administrative Reconsideration Law)."
        ),
    )
    review_online_url = models.URLField(
        _("online reconsideration channel"),
        blank=True,
        help_text=_("Named in letters delivered online (Article 22, paragraph 2)."),
    )
    court_name = models.CharField(
        _("court of first instance"),
        max_length=100,
        blank=True,
        help_text=_("Named in the remedy clause when set; otherwise letters say 人民法院."),
    )

    path = models.CharField(max_length=512, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save and keep `path`/`depth` of this agency and its subtree consistent.

        The old path is read from the database under a row lock, not from this object,
        which may be stale (an ancestor moved since it was loaded). A save limited to
        fields other than `parent` leaves the tree alone.
        """
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and update_fields is not None and "parent" not in update_fields:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            if self.pk is None:
                # The path is made of primary keys, so a new row needs its key first.
                super().save(*args, **kwargs)
                args, kwargs = (), {}
                old_path = ""
            else:
                old_path = (
                    Agency.objects.select_for_update()
                    .filter(pk=self.pk)
                    .values_list("path", flat=True)
                    .first()
                    or ""
                )
            self.path = self._compute_path()
            self.depth = self.path.count("/") - 2
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path", "depth"}
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path, self.path)

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            parent = Agency.objects.only("path").get(pk=self.parent_id)
            if parent.pk == self.pk or (self.path and parent.path.startswith(self.path)):
                raise ValidationError(
                    {
                        "parent": _(
                            "An agency cannot be placed below itself or below its own subordinate."
                        )
                    }
                )

    def _compute_path(self) -> str:
        if self.parent_id is None:
            return f"/{self.pk}/"
        parent_path = Agency.objects.values_list("path", flat=True).get(pk=self.parent_id)
        return f"{parent_path}{self.pk}/"

    def _move_descendants(self, old_path: str, new_path: str) -> None:
        depth_change = new_path.count("/") - old_path.count("/")
        Agency.objects.filter(in_subtree(old_path)).exclude(pk=self.pk).update(
            path=Concat(
                models.Value(new_path),
                Substr("path", len(old_path) + 1, Length("path")),
                output_field=models.CharField(),
            ),
            depth=models.F("depth") + depth_change,
        )

    def ancestors(self) -> AgencyQuerySet:
        """Agencies above this one, from the root down."""
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        return Agency.objects.filter(pk__in=ids).order_by("depth")

    def is_below(self, other: Agency) -> bool:
        """True when this agency is `other` or lies in its subtree."""
        return self.path.startswith(other.path)

    def contact_complete(self) -> bool:
        """Whether every contact item 第十二条 asks the guide to show is filled in.

        Address, hours and phone are required, plus an internet contact (e-mail) or a fax.
        AgencyQuerySet.contact_incomplete is the same rule in SQL.
        """
        return all(
            [
                self.office_name,
                self.office_address,
                self.office_hours,
                self.office_phone,
                self.office_email or self.office_fax,
            ]
        )


class User(AbstractUser):
    """A staff member. Members of the public never log in (DESIGN.md, Users)."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    # Set whenever the password is set; createsuperuser and create_user bypass
    # set_password, hence the default.
    password_changed_at = models.DateTimeField(
        _("password last changed"), null=True, blank=True, editable=False, default=timezone.now
    )

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def set_password(self, raw_password: str | None) -> None:
        # The hash being replaced goes into the history (gongkai.orgs.passwords).
        self.replaced_password = self.password
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def password_expired(self, max_age_days: int) -> bool:
        """True when the password is older than the configured maximum age (等保: 定期更换)."""
        if max_age_days <= 0 or not self.has_usable_password():
            return False
        if self.password_changed_at is None:
            return True
        return timezone.now() - self.password_changed_at > timedelta(days=max_age_days)


class Role(models.TextChoices):
    """Roles a user holds in an agency."""

    OFFICER = "officer", _("Officer")
    REVIEWER_FIRST = "reviewer_first", _("First-stage reviewer")
    REVIEWER_SECOND = "reviewer_second", _("Second-stage reviewer")
    REVIEWER_FINAL = "reviewer_final", _("Final-stage reviewer")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality reviewer")
    OFFICE_HEAD = "office_head", _("Head of the disclosure office")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("System administrator")
    # 三权分立 (等保 访问控制): users, agencies and settings (ADMIN) apart from login
    # security and role grants (SECURITY_ADMIN) and from reading the audit log (AUDIT_ADMIN).
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# Roles whose holders see the whole subtree below their agency.
SUBTREE_ROLES = (Role.SUPERVISOR, Role.ADMIN)
# The three administrators of 三权分立; one person holds at most one of them, and none
# grants any role to themselves (gongkai.orgs.security). Their scope is the subtree below
# the agency where the role is held, for their own work only (not the cases' records).
SEPARATED_ADMIN_ROLES = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
REVIEWER_ROLES = (
    Role.REVIEWER_FIRST,
    Role.REVIEWER_SECOND,
    Role.REVIEWER_FINAL,
    Role.CONFIDENTIALITY,
)


class Membership(models.Model):
    """One role of one user in one agency. A user may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="unique_membership_role"
            )
        ]
        ordering = ["agency__path", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"

    def clean(self) -> None:
        super().clean()
        if (
            self.role == Role.SUPERVISOR
            and self.agency_id is not None
            and not Agency.objects.filter(pk=self.agency_id, is_supervising=True).exists()
        ):
            raise ValidationError(
                {"role": _("The supervisor role can only be held in a supervising office.")}
            )


class LockState(models.TextChoices):
    APPROVED = "approved", _("Approved, awaiting publication")
    PUBLISHED = "published", _("Published")


class YearLock(models.Model):
    """A year of an agency's records held still by its approved or published annual report.

    Written only by gongkai.annual.actions (approve, publish, return to draft, amendment);
    read by the apps below annual (foi, publishing) before they change a dated record, so
    that they need not know annual reports (see gongkai.orgs.locks).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="year_locks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rollup = models.BooleanField(_("covers the agencies below"), default=False)
    state = models.CharField(_("status"), max_length=16, choices=LockState.choices)

    class Meta:
        verbose_name = _("locked year")
        verbose_name_plural = _("locked years")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "rollup"], name="unique_year_lock")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class PublicContent(models.Model):
    """One row: the version of what the public portal shows, bumped after the commit of
    each change the public sees (gongkai.orgs.content). The portal's page cache is keyed
    on it, so a staff login or any other back-office step leaves cached pages alone."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("version of the public content")
        verbose_name_plural = _("versions of the public content")

    def __str__(self) -> str:
        return str(self.version)


class SequenceKind(models.TextChoices):
    APPLICATION = "application", _("Application number")
    INDEX_NO = "index_no", _("Index number (索引号)")
    LETTER_NO = "letter_no", _("Letter number (文号)")


class Sequence(models.Model):
    """The last value given of one gap-free numbering: per agency, kind and scope.

    The scope is what restarts the count: the year for application numbers and 索引号,
    the year and kind of letter for 文号. Only `gongkai.orgs.sequences.next_value` writes.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=SequenceKind.choices)
    scope = models.CharField(max_length=40)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "scope"], name="unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.scope}: {self.value}"


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords (等保 定期更换: a change must be a real change).

    Written by gongkai.orgs.passwords.PasswordHistoryValidator.password_changed; the last
    settings.PASSWORD_HISTORY_COUNT are kept and refused as a new password.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
