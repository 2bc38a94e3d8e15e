"""Forms of the public application, staff registration and each handling step."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from stdnum.cn import ric, uscc

from gongkai.foi.fees import FeeMethod
from gongkai.foi.models import Application, DeliveryMethod, IdType, Status
from gongkai.foi.receipt import Channel
from gongkai.lib.forms import DateInput, MultipleFileField
from gongkai.lib.report_format import case_outcome_choices
from gongkai.lib.report_keys import (
    OVERDUE_OUTCOMES,
    ApplicantType,
    Outcome,
    RemedyKind,
    RemedyResult,
)
from gongkai.lib.uploads import JPEG, PDF, PNG, UploadRejected, check_upload
from gongkai.orgs.models import Agency, AgencyQuerySet, User
from gongkai.workdays.deadlines import Party
from gongkai.workdays.periods import EXTENSION_MAX

# 手机: 1[3-9] and nine more digits. 固定电话: the area code (0 and two or three digits),
# an optional hyphen, seven or eight digits, then an optional "-" and an extension.
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
DATE_WIDGET = DateInput()
# Which applicant types a group of fields is for (FieldGroup.applicant).
PERSON, ORGANISATION = "person", "organisation"


def applicant_kind(applicant_type: str) -> str:
    """ "person" for a natural person, "organisation" for the five kinds of organisation."""
    if not applicant_type:
        return ""
    return PERSON if applicant_type == ApplicantType.NATURAL_PERSON else ORGANISATION


@dataclass(frozen=True)
class FieldGroup:
    """A fieldset of the application form. The portal form, the office's registration form
    and the paper 申请表 (gongkai.portal.papers) all list these groups in this order."""

    key: str
    legend: StrOrPromise
    fields: tuple[str, ...]
    # PERSON or ORGANISATION: shown and required only for that kind of applicant.
    applicant: str = ""


APPLICATION_GROUPS: tuple[FieldGroup, ...] = (
    FieldGroup("type", _("Applicant"), ("applicant_type",)),
    FieldGroup(
        PERSON, _("Natural person"), ("person_name", "id_type", "id_number"), applicant=PERSON
    ),
    FieldGroup(
        ORGANISATION,
        _("Legal person or other organisation"),
        (
            "organisation_name",
            "credit_code",
            "credit_code_missing",
            "legal_representative",
            "contact_person",
        ),
        applicant=ORGANISATION,
    ),
    FieldGroup("contact", _("How to reach you"), ("phone", "email", "address", "postcode")),
    FieldGroup(
        "request",
        _("Information requested"),
        ("description", "document_refs", "provision_form", "delivery"),
    ),
)
APPLICATION_FIELDS = tuple(name for group in APPLICATION_GROUPS for name in group.fields)
# The two name fields are one column, Application.applicant_name.
NAME_FIELDS = {PERSON: "person_name", ORGANISATION: "organisation_name"}
# The columns of Application the form fills (ApplicationForm.application_fields).
APPLICATION_COLUMNS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "credit_code",
    "credit_code_missing",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "document_refs",
    "provision_form",
    "delivery",
)
REQUIRED_MESSAGES: dict[str, StrOrPromise] = {
    "applicant_type": _("Choose whether you apply as a natural person or as an organisation."),
    "person_name": _("Enter your name."),
    "id_type": _("Choose the identity document."),
    "id_number": _("Enter the document number."),
    "organisation_name": _("Enter the name of the organisation."),
    "contact_person": _("Name the contact person."),
    "phone": _("Enter a telephone number."),
    "description": _("Describe the information you ask for."),
    "provision_form": _("Choose the form in which you want the information."),
    "delivery": _("Choose how you want to receive it."),
}


@dataclass(frozen=True)
class ErrorLink:
    """One line of a form's error summary: the field's label and message, and the id of
    the input it links to."""

    target: str
    label: str
    message: str


class ErrorSummaryMixin:
    """`error_links` for foi/_error_summary.html: one link per field in error, in the
    form's order, to the input itself (a radio group's first choice)."""

    def error_links(self) -> list[ErrorLink]:
        form = cast(forms.BaseForm, self)
        links = []
        for bound in form:
            if not bound.errors:
                continue
            target = bound.auto_id
            if isinstance(bound.field.widget, forms.RadioSelect):
                target = f"{target}_0"
            label = str(bound.label)
            links.append(ErrorLink(target, label, str(bound.errors[0])))
        links += [ErrorLink("", "", str(message)) for message in form.non_field_errors()]
        return links


class ApplicationForm(ErrorSummaryMixin, forms.ModelForm[Application]):
    """What an applicant gives (第二十九条), typed online or by staff.

    The fields follow the applicant type: a natural person gives a name and an identity
    document, an organisation its name, its unified social credit code (or why it has
    none) and a contact. The fields of the other kind are kept on the page but neither
    required nor stored.
    """

    person_name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    organisation_name = forms.CharField(
        label=_("Name of the organisation"), max_length=100, required=False
    )
    field_order = list(APPLICATION_FIELDS)

    class Meta:
        model = Application
        fields = [name for name in APPLICATION_COLUMNS if name != "applicant_name"]
        widgets = {
            "applicant_type": forms.RadioSelect,
            "credit_code_missing": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
            "provision_form": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {"credit_code_missing": _("No credit code? Choose why")}
        help_texts = {
            "applicant_type": _("Choose first: the fields for that kind of applicant follow."),
            "description": _(
                "Describe the information: its name, document number or other features that help find it (Article 29)."
            ),
            "credit_code": _(
                "The 18 characters on the business licence or registration certificate."
            ),
            "credit_code_missing": _("Only when the organisation has no code of its own."),
            "phone": _(
                "A mobile number (11 digits, e.g. 13800000000) or a landline with its area code (e.g. 010-12345678, an extension after a further “-”)."
            ),
        }
        error_messages = {
            "email": {"invalid": _("Enter an e-mail address such as name@example.com.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, bound in self.fields.items():
            if name in REQUIRED_MESSAGES:
                bound.error_messages["required"] = REQUIRED_MESSAGES[name]
            if isinstance(bound, forms.ChoiceField):
                # Django's message repeats the value sent, which no one here typed.
                bound.error_messages["invalid_choice"] = _("Choose one of the options listed.")
                # No "---------": radios list only real choices; a select starts with a
                # prompt that is not a choice.
                real = [c for c in cast(Iterable[tuple[Any, Any]], bound.choices) if c[0] != ""]
                if isinstance(bound.widget, forms.RadioSelect):
                    bound.choices = real
                else:
                    bound.choices = [("", _("Please choose")), *real]
        self.fields["phone"].required = True
        kind = applicant_kind(str(self.data.get(self.add_prefix("applicant_type"), "")))
        # Only the chosen kind's fields are required; before a choice, none of them (the
        # type's own message says what to do). An empty form marks both kinds' as required.
        for name in ("person_name", "id_type", "id_number"):
            self.fields[name].required = not self.is_bound or kind == PERSON
        for name in ("organisation_name", "contact_person"):
            self.fields[name].required = not self.is_bound or kind == ORGANISATION

    def field_groups(self) -> list[dict[str, Any]]:
        """The groups with their bound fields, for foi/_application_fields.html."""
        return [
            {
                "key": group.key,
                "legend": group.legend,
                "applicant": group.applicant,
                "fields": [self[name] for name in group.fields],
            }
            for group in APPLICATION_GROUPS
        ]

    def application_fields(self) -> dict[str, Any]:
        """The cleaned values of the Application columns (actions.submit_application)."""
        return {name: self.cleaned_data.get(name, "") for name in APPLICATION_COLUMNS}

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s()（）]", "", self.cleaned_data["phone"])
        phone = re.sub(r"[－—–]", "-", phone)
        if phone.startswith("+86"):
            phone = phone[3:]
        if not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise forms.ValidationError(
                _(
                    "Enter a mobile number of 11 digits starting with 13 to 19, or a landline number with its area code, e.g. 010-12345678."
                )
            )
        return phone

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data["postcode"].strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            raise forms.ValidationError(_("A postcode has six digits."))
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = applicant_kind(data.get("applicant_type") or "")
        if kind:
            data["applicant_name"] = (data.get(NAME_FIELDS[kind]) or "").strip()
        if kind == PERSON:
            number = (data.get("id_number") or "").strip().upper()
            if number and data.get("id_type") == IdType.RESIDENT_ID and not ric.is_valid(number):
                self.add_error(
                    "id_number",
                    _(
                        "This is not a valid resident identity card number (18 characters with a correct check character)."
                    ),
                )
            data["id_number"] = number
            data["credit_code"] = data["credit_code_missing"] = ""
            data["legal_representative"] = data["contact_person"] = ""
        elif kind == ORGANISATION:
            code = re.sub(r"\s", "", data.get("credit_code") or "").upper()
            if code:
                if not uscc.is_valid(code):
                    self.add_error(
                        "credit_code",
                        _(
                            "Enter a valid unified social credit code (18 characters with a correct check character)."
                        ),
                    )
                # A code given makes the reason for having none moot.
                data["credit_code_missing"] = ""
            elif not data.get("credit_code_missing"):
                self.add_error(
                    "credit_code",
                    _(
                        "Enter the unified social credit code, or choose below why the organisation has none."
                    ),
                )
            data["credit_code"] = code
            data["id_type"], data["id_number"] = "", ""
        if data.get("delivery") == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the e-mail address to send the information to."))
        if data.get("delivery") == "post" and not data.get("address"):
            self.add_error("address", _("Enter the postal address to send the information to."))
        return data


ATTACHMENT_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 3


def check_attachments(files: list[Any]) -> list[Any]:
    """PDF, JPEG or PNG by content (not by name), at most 5 MB each and 3 in all."""
    if len(files) > ATTACHMENT_MAX_COUNT:
        raise forms.ValidationError(
            _("Attach at most %(count)d files.") % {"count": ATTACHMENT_MAX_COUNT}
        )
    for upload in files:
        try:
            upload.content_type = check_upload(
                upload,
                types=ATTACHMENT_TYPES,
                max_bytes=ATTACHMENT_MAX_BYTES,
                too_large=str(_("%(name)s is larger than 5 MB.")),
                wrong_type=str(
                    _("%(name)s is not a PDF, JPEG or PNG file (judged by its content).")
                ),
            )
        except UploadRejected as exc:
            raise forms.ValidationError(exc.message) from None
    return files


class PublicApplicationForm(ApplicationForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_(
            "For example a copy of your identity document: PDF, JPEG or PNG, at most 3 files of 5 MB. After an error, choose the files again."
        ),
    )

    def clean_attachments(self) -> list[Any]:
        return check_attachments(self.cleaned_data.get("attachments") or [])

    consent = forms.BooleanField(
        label=_(
            "I confirm that the information above is true and may be used to handle this request."
        ),
        required=True,
        error_messages={"required": _("Confirm that the information above is true.")},
    )


class StaffRegistrationForm(ApplicationForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Please choose")), *Channel.choices],
        error_messages={"required": _("Choose how the application arrived.")},
    )
    oral = forms.BooleanField(
        label=_("Oral request written down by staff (Article 29)"), required=False
    )
    submitted_on = forms.DateField(
        label=_("Submitted or arrived on"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    signed_on = forms.DateField(
        label=_("Signed for on (registered post)"), widget=DATE_WIDGET, required=False
    )
    confirmed_on = forms.DateField(
        label=_("Confirmed with the applicant on (ordinary letter, fax)"),
        widget=DATE_WIDGET,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        for name in ("submitted_on", "signed_on", "confirmed_on"):
            day = data.get(name)
            if day and day > today:
                self.add_error(name, _("The date cannot be in the future."))
        channel = data.get("channel")
        if channel == Channel.POST_SIGNED and not data.get("signed_on"):
            self.add_error(
                "signed_on",
                _("A signed-for letter needs the date the agency signed for it (Article 31)."),
            )
        if channel in (Channel.POST_PLAIN, Channel.FAX) and not data.get("confirmed_on"):
            self.add_error(
                "confirmed_on",
                _(
                    "This channel needs the date the receipt was confirmed with the applicant (Article 31)."
                ),
            )
        if data.get("oral") and channel != Channel.IN_PERSON:
            self.add_error("oral", _("An oral request is made in person."))
        return data


class StepForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    # gongkai.foi.actions: a late or back-dated step needs the office head's reason.
    late_approval_reason = forms.CharField(
        label=_("Reason for a late or back-dated step (office head)"),
        help_text=_(
            "Only for a step after its period or dated more than a few working days back; the head of the disclosure office records it."
        ),
        max_length=500,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The approval comes last, after the step's own fields.
        self.order_fields([name for name in self.fields if name != "late_approval_reason"])

    def clean_on(self) -> date:
        day: date = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class CorrectionForm(StepForm):
    items = forms.CharField(
        label=_("Items to correct, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    until = forms.DateField(label=_("Correct by"), widget=DATE_WIDGET)


class ReceiveCorrectionForm(StepForm):
    pass


class ConsultationForm(StepForm):
    party = forms.ChoiceField(
        label=_("Consulted"),
        choices=[
            (Party.THIRD_PARTY.value, _("A third party (Article 32)")),
            (Party.AGENCY.value, _("Another agency (Article 34)")),
        ],
    )
    recipient = forms.CharField(label=_("Name of the party consulted"), max_length=200)
    received_on = forms.DateField(
        label=_("Received by them on (by post; leave empty when delivered the same day)"),
        widget=DATE_WIDGET,
        required=False,
    )


class CloseConsultationForm(StepForm):
    ref = forms.ChoiceField(label=_("Consultation"), choices=[])
    result = forms.CharField(label=_("Opinion received"), max_length=500, required=False)

    def __init__(self, *args: Any, waiting: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ref"]).choices = waiting


class ExtensionForm(StepForm):
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=EXTENSION_MAX.days,
        initial=EXTENSION_MAX.days,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ExtensionRequestForm(forms.Form):
    """An officer's request to the office head (actions.request_extension)."""

    days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=EXTENSION_MAX.days,
        initial=EXTENSION_MAX.days,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the reply cannot be given within 20 working days (Article 33)."),
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.HiddenInput
    )
    refusal_reason = forms.CharField(label=_("Reason for refusal"), max_length=500, required=False)
    late_approval_reason = forms.CharField(
        label=_("Reason for a late or back-dated step (office head)"),
        max_length=500,
        required=False,
    )


class FeeNoticeForm(StepForm):
    method = forms.ChoiceField(
        label=_("Fee method"), choices=FeeMethod.choices, widget=forms.RadioSelect
    )
    pages = forms.IntegerField(label=_("Pages (per page only)"), min_value=1, required=False)
    received_on = forms.DateField(
        label=_("Received by the applicant on (by post; leave empty when delivered the same day)"),
        widget=DATE_WIDGET,
        required=False,
    )


class FeePaidForm(StepForm):
    amount = forms.IntegerField(label=_("Amount paid (yuan)"), min_value=1)


class ReplyForm(forms.Form):
    """Choosing the outcome drafts the decision letter; the reply is given when the
    approved letter is issued (its date is the issue date)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("", "—"),
            *[c for c in case_outcome_choices() if c[0] not in OVERDUE_OUTCOMES],
        ],
    )
    basis = forms.CharField(
        label=_("Legal basis and reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    documents = forms.CharField(
        label=_("Information provided"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    # Facts the decision letter states (gongkai.foi.wording; keys of letters.REPLY_FACTS).
    published_at = forms.CharField(
        label=_("Where it is already published"),
        help_text=_("Web address, index number or gazette issue (Article 36(1))."),
        max_length=500,
        required=False,
    )
    search_record = forms.CharField(
        label=_("How the information was searched for"),
        help_text=_("Systems, keywords and offices consulted (Article 36(4))."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    competent_agency = forms.CharField(
        label=_("Agency responsible for disclosing it"),
        help_text=_("Article 36(5): the letter names it and its contact."),
        max_length=200,
        required=False,
    )
    competent_contact = forms.CharField(label=_("Its contact"), max_length=200, required=False)
    earlier_reply = forms.CharField(
        label=_("Earlier reply (date and number)"),
        help_text=_("For a repeated request (Article 36(6))."),
        max_length=200,
        required=False,
    )
    withheld = forms.CharField(
        label=_("Parts withheld, one per line"),
        help_text=_(
            "Article 37: each part withheld, its reason and its basis, separated by “|”, e.g. 第3页身份证号码|属于个人隐私|《条例》第十五条."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    FACTS = (
        "published_at",
        "search_record",
        "competent_agency",
        "competent_contact",
        "earlier_reply",
        "withheld",
    )

    def clean_withheld(self) -> list[dict[str, str]]:
        parts = []
        for line in self.cleaned_data.get("withheld", "").splitlines():
            fields = [f.strip() for f in re.split(r"[|｜]", line)]
            if not any(fields):
                continue
            part = dict(zip(("part", "reason", "basis"), fields, strict=False))
            if len(fields) > 3 or not part.get("part"):
                raise forms.ValidationError(
                    _(
                        "Write each withheld part as: part | reason | basis (the reason and basis may be left out)."
                    )
                )
            parts.append({k: v for k, v in part.items() if v})
        return parts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.PARTIALLY_GRANTED and not data.get("withheld"):
            self.add_error(
                "withheld",
                _("A partial disclosure lists each part withheld with its reason (Article 37)."),
            )
        return data


class IssueLetterForm(StepForm):
    """The date of the letter (the step's date; today when left empty) and, when late or
    back-dated, the office head's reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].required = False
        self.fields["on"].label = _("Date of the letter")

    def clean_on(self) -> date:
        if self.cleaned_data.get("on") is None:
            return timezone.localdate()
        return super().clean_on()


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How it was delivered"), choices=[("", "—"), *DeliveryMethod.choices]
    )
    delivered_on = forms.DateField(
        label=_("Date handed over, posted or sent"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    tracking_number = forms.CharField(
        label=_("Postal tracking number"), max_length=40, required=False
    )
    received_on = forms.DateField(
        label=_("Signed for on"),
        help_text=_("For a posted letter: the date on the return receipt or the tracking record."),
        widget=DATE_WIDGET,
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    proof = forms.FileField(label=_("Proof (scan of the receipt, PDF/JPG/PNG)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class WithdrawForm(StepForm):
    note = forms.CharField(label=_("How the applicant withdrew"), max_length=500)


class CloseOverdueForm(StepForm):
    pass


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=User.objects.none())

    def __init__(self, *args: Any, handlers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[User], self.fields["handler"]).queryset = handlers


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, applicant or request"), required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.none(), empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    applicant_type = forms.ChoiceField(
        label=_("Applicant type"),
        required=False,
        choices=[("", _("All")), *ApplicantType.choices],
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE_WIDGET)
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, agencies: AgencyQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Agency], self.fields["agency"]).queryset = agencies


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RemedyKind.choices)
    body = forms.CharField(label=_("Review body or court"), max_length=200)
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput())
    case_number = forms.CharField(label=_("Case number"), max_length=100, required=False)


class RemedyDecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in RemedyResult.choices if c[0] != RemedyResult.PENDING]
    )


class TransferForm(StepForm):
    to_agency = forms.ModelChoiceField(label=_("Transfer to"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, agencies: AgencyQuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            cast(forms.ModelChoiceField[Agency], self.fields["to_agency"]).queryset = agencies
