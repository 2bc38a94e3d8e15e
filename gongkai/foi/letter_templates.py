"""Letter templates as data an office adjusts (issue 17, "Templates are data").

Each letter has one *slot* per wording: one per letter kind, and for the decision letter
(reply) and the notices of （六）1、2 (abandonment) one per wording key of
gongkai.foi.wording (REPLIES, ABANDONMENT). A slot's name is the name of its specimen
(letter_specimens: "correction", "reply-granted", "abandonment-other_overdue_fee"), so
that a preview fills the template with that specimen's sample case.

A slot's text comes from the agency's LetterTemplate, else from the installation's
default (agency empty), else from the built-in wording (letters.wording_source). Every
save writes a LetterTemplateVersion (who, when, title, text, note) and an audit entry;
an earlier version is restored by saving it again as a new version. The agency's office
head (or an administrator above it, as for the agency's other letter settings) edits
the agency's templates; the installation's defaults are edited by the superuser and by
administrators of a top-level agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi import letter_files, letters
from gongkai.foi.management.commands import letter_specimens
from gongkai.foi.models import Letter, LetterKind, LetterTemplate, LetterTemplateVersion
from gongkai.foi.wording import ABANDONMENT, REPLIES, Wording
from gongkai.lib.errors import ActionError
from gongkai.orgs.access import can_manage_agency
from gongkai.orgs.models import Agency, Membership, Role, User

# What each placeholder stands for, shown beside the template being edited.
PLACEHOLDER_HELP: dict[str, Promise] = {
    "申请人": gettext_lazy("The applicant's name"),
    "申请编号": gettext_lazy("The application number"),
    "机关名称": gettext_lazy("The agency's full name"),
    "收到日期": gettext_lazy("The date the request counts as received"),
    "申请内容": gettext_lazy("What the applicant asked for"),
    "答复期限": gettext_lazy("The reply's due date"),
    "补正事项": gettext_lazy("The points to correct, one numbered line each"),
    "补正期限": gettext_lazy("The date by which the correction is due"),
    "延期天数": gettext_lazy("The working days of the extension"),
    "延期理由": gettext_lazy("The reason for the extension"),
    "延期后期限": gettext_lazy("The due date after the extension"),
    "被征求意见方": gettext_lazy("The consulted third party or agency"),
    "意见期限": gettext_lazy("The date by which the opinion is due"),
    "收费金额": gettext_lazy("The fee in yuan"),
    "缴费期限": gettext_lazy("The date by which the fee is due"),
    "办理结果": gettext_lazy("The outcome's row in the annual report (older templates)"),
    "法律依据": gettext_lazy("The outcome's article (older templates)"),
    "理由": gettext_lazy("The reasons recorded with the reply"),
    "提供信息": gettext_lazy("The documents supplied, as a sentence"),
    "联系电话": gettext_lazy("The disclosure office's telephone"),
    "办公地址": gettext_lazy("The disclosure office's address"),
    "救济途径": gettext_lazy("The remedy clause (review body, periods, court), generated"),
    "复议机关": gettext_lazy("The administrative review body"),
    "获取途径": gettext_lazy("Where the information is published"),
    "获取途径说明": gettext_lazy("Where the information is published, as a sentence"),
    "不予公开部分": gettext_lazy("Each withheld part with its reason and basis"),
    "有关法律": gettext_lazy("The law that prohibits disclosure or governs the query"),
    "负责机关": gettext_lazy("The competent agency"),
    "负责机关联系方式": gettext_lazy("The competent agency's contact"),
    "检索情况": gettext_lazy("Where and how the information was searched for"),
    "前次答复": gettext_lazy("The earlier reply to the same request"),
    "受理渠道": gettext_lazy("The channels for petitions and complaints"),
    "补正告知日期": gettext_lazy("The date of the notice to correct"),
    "收费通知日期": gettext_lazy("The date of the fee notice"),
    "撤回日期": gettext_lazy("The date of the withdrawal"),
    "征求意见日期": gettext_lazy("The date of the consultation"),
    "征求意见事由": gettext_lazy("Why the consultation is needed, with its article"),
    "征求对象": gettext_lazy("Who was consulted, as the applicant is told"),
    "第三方意见": gettext_lazy("The third party's opinion"),
    "公开理由": gettext_lazy("The reasons to disclose despite the objection"),
    "收费标准": gettext_lazy("How the fee was calculated"),
    "受送达人": gettext_lazy("The addressee of the delivered letter"),
    "送达文书": gettext_lazy("The title of the delivered letter"),
    "送达文号": gettext_lazy("The document number of the delivered letter"),
    "送达地址": gettext_lazy("The delivery address"),
    "送达方式": gettext_lazy("The delivery method"),
    "送达日期": gettext_lazy("The delivery date"),
    "邮件号码": gettext_lazy("The postal tracking number"),
}

# The wording keys of the decision letter and of the notices of （六）1、2, as a reader of
# the regulation knows them (not the report's row labels).
KEY_LABELS: dict[str, Promise] = {
    "granted_published": gettext_lazy("Article 36 (1): already published"),
    "granted": gettext_lazy("Article 36 (2): disclosed"),
    "partially_granted": gettext_lazy("Article 37: partly disclosed"),
    "denied_state_secret": gettext_lazy("Not disclosed: state secret (Article 14)"),
    "denied_law_prohibited": gettext_lazy("Not disclosed: prohibited by law (Article 14)"),
    "denied_three_security_one_stability": gettext_lazy(
        "Not disclosed: security and stability (Article 14)"
    ),
    "denied_third_party_rights": gettext_lazy("Not disclosed: third-party rights (Article 15)"),
    "denied_internal_affairs": gettext_lazy("Not disclosed: internal affairs (Article 16)"),
    "denied_process_info": gettext_lazy("Not disclosed: process information (Article 16)"),
    "denied_enforcement_case_file": gettext_lazy(
        "Not disclosed: enforcement case file (Article 16)"
    ),
    "denied_administrative_query": gettext_lazy("Article 36 (7): a query under another law"),
    "unable_not_held": gettext_lazy("Article 36 (4): the information does not exist"),
    "unable_not_held_elsewhere": gettext_lazy("Article 36 (5): another agency is responsible"),
    "unable_needs_creation": gettext_lazy("Article 38: would need to be created"),
    "unable_unclear_after_correction": gettext_lazy("Article 30: still unclear after correction"),
    "np_petition_complaint": gettext_lazy("Article 39 (1): a petition or complaint"),
    "np_repeated": gettext_lazy("Article 36 (6): a repeated request"),
    "np_publication": gettext_lazy("Article 39 (2): a publication"),
    "np_massive_unreasonable": gettext_lazy("Article 35: unreasonable number of requests"),
    "np_confirm_or_reissue": gettext_lazy("Not a request for information: confirm or reissue"),
    "other_misc": gettext_lazy("Other handling"),
    "other_overdue_correction": gettext_lazy("The correction was not made in time (Article 30)"),
    "other_overdue_fee": gettext_lazy("The fee was not paid in time"),
}

BUILTIN, DEFAULT, OWN = "builtin", "default", "agency"
SOURCE_LABELS: dict[str, Promise] = {
    BUILTIN: gettext_lazy("Built-in"),
    DEFAULT: gettext_lazy("Installation default"),
    OWN: gettext_lazy("This agency"),
}


@dataclass(frozen=True)
class Slot:
    name: str  # the specimen's name
    kind: str
    key: str  # the LetterTemplate variant ("" for a kind with one wording)

    @property
    def group(self) -> str:
        """The older outcome group (granted, denied, …) wording() still reads."""
        return letters.reply_group(self.key) if self.kind == LetterKind.REPLY else ""

    @property
    def label(self) -> str:
        kind = str(LetterKind(self.kind).label)
        return f"{kind} · {KEY_LABELS[self.key]}" if self.key else kind

    def builtin(self) -> Wording:
        return letters.builtin(self.kind, self.key)


def _slots() -> list[Slot]:
    found = []
    for kind in LetterKind:
        if kind == LetterKind.REPLY:
            found += [Slot(f"reply-{key}", kind, key) for key in REPLIES]
        elif kind == LetterKind.ABANDONMENT:
            found += [Slot(f"abandonment-{key}", kind, key) for key in ABANDONMENT]
        else:
            found.append(Slot(str(kind), kind, ""))
    return found


SLOTS = _slots()
_BY_NAME = {slot.name: slot for slot in SLOTS}


def slot(name: str) -> Slot | None:
    return _BY_NAME.get(name)


def may_edit(user: User, agency: Agency | None) -> bool:
    """The agency's office head (or an administrator above it) for the agency's texts;
    the superuser or an administrator of a top-level agency for the installation's."""
    if agency is not None:
        return can_manage_agency(user, agency)
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (
        Membership.objects.filter(user=user, role=Role.ADMIN, agency__parent__isnull=True).exists()
    )


@dataclass(frozen=True)
class Current:
    """Where a slot's text comes from for a scope, and the text."""

    slot: Slot
    source: str  # BUILTIN, DEFAULT or OWN
    wording: Wording
    template: LetterTemplate | None  # the template of this very scope and slot, if any

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])


def current(target: Slot, agency: Agency | None) -> Current:
    """The text letters of `agency` (None: the installation) use for `target` now."""
    text, template = letters.wording_source(target.kind, target.group, target.key, agency=agency)
    source = BUILTIN if template is None else DEFAULT if template.agency_id is None else OWN
    own = LetterTemplate.objects.filter(agency=agency, kind=target.kind, variant=target.key).first()
    return Current(target, source, text, own)


def overview(agency: Agency | None) -> list[Current]:
    return [current(target, agency) for target in SLOTS]


def clean_body(body: str) -> str:
    """The text as stored: Unix line ends, no trailing blanks (a browser sends \\r\\n)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


@transaction.atomic
def save_template(
    target: Slot,
    *,
    agency: Agency | None,
    title: str,
    body: str,
    note: str = "",
    actor: User,
    request: HttpRequest | None = None,
    restored_from: LetterTemplateVersion | None = None,
) -> LetterTemplateVersion:
    """Save a new version of `target`'s text for `agency` (None: the installation)."""
    if not may_edit(actor, agency):
        raise PermissionDenied(
            _("Only the head of the disclosure office may change this agency's letter texts.")
            if agency is not None
            else _("Only an administrator of the installation may change the default texts.")
        )
    title, body = title.strip(), clean_body(body)
    problems = letters.placeholder_problems(body, target.kind)
    if not title:
        problems.insert(0, _("The letter needs a title."))
    if problems:
        raise ActionError(" ".join(problems))
    template = (
        LetterTemplate.objects.select_for_update()
        .filter(agency=agency, kind=target.kind, variant=target.key)
        .first()
    )
    if template is None:
        try:
            with transaction.atomic():
                template = LetterTemplate.objects.create(
                    agency=agency, kind=target.kind, variant=target.key, title=title, body=body
                )
        except IntegrityError:  # another first save of this slot committed meanwhile
            raise ActionError(
                _("Someone else saved this text at the same moment: reload the page and try again.")
            ) from None
    elif (template.title, template.body) == (title, body):
        raise ActionError(_("The text is the same as the current version: nothing was saved."))
    else:
        template.title, template.body = title, body
        template.save(update_fields=["title", "body", "updated_at"])
    number = (template.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = LetterTemplateVersion.objects.create(
        template=template,
        number=number,
        title=title,
        body=body,
        note=note.strip(),
        created_by=actor,
    )
    record(
        Action.LETTER_TEMPLATE_CHANGED,
        actor=actor,
        obj=template,
        agency=agency,
        request=request,
        detail={
            "slot": target.name,
            "kind": target.kind,
            "variant": target.key,
            "scope": agency.code if agency is not None else "",
            "version": number,
            "restored_from": restored_from.number if restored_from is not None else None,
        },
    )
    return version


def restore(
    version: LetterTemplateVersion, *, actor: User, request: HttpRequest | None = None
) -> LetterTemplateVersion:
    """Save an earlier version's text again, as the newest version."""
    template = version.template
    target = next((s for s in SLOTS if s.kind == template.kind and s.key == template.variant), None)
    if target is None:  # an older group variant (granted, denied, …) from the admin
        target = Slot(template.variant, template.kind, template.variant)
    return save_template(
        target,
        agency=template.agency,
        title=version.title,
        body=version.body,
        note=_("Restored version %(number)d") % {"number": version.number},
        actor=actor,
        request=request,
        restored_from=version,
    )


@dataclass(frozen=True)
class Preview:
    text: str  # the letter's full plain text: 文号, title, body, agency, date
    letter: Letter  # unsaved, for letter_files

    def pdf(self) -> bytes:
        return letter_files.render_pdf(self.letter)


def preview(
    target: Slot, *, scope: Agency | None, sample_agency: Agency, title: str, body: str
) -> Preview:
    """`title` and `body` filled with the sample case of `target`'s specimen, as a letter
    of `sample_agency` (`scope` itself, or for the installation's default any agency).
    The text is saved as `scope`'s template inside a savepoint that is rolled back, so
    the preview goes through letters.compose exactly as a real letter would."""
    year = timezone.localdate().year
    with transaction.atomic():
        if scope is None:  # the agency's own texts would hide the default being tried
            LetterTemplate.objects.filter(agency=sample_agency, kind=target.kind).delete()
        LetterTemplate.objects.filter(agency=scope, kind=target.kind, variant=target.key).delete()
        LetterTemplate.objects.create(
            agency=scope,
            kind=target.kind,
            variant=target.key,
            title=title.strip(),
            body=clean_body(body),
        )
        made = letter_specimens.specimen(sample_agency, target.name, year)
        transaction.set_rollback(True)
    return Preview(made.text(sample_agency), made.letter(sample_agency))
