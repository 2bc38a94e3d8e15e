"""Forms of the public application, staff registration and each handling step."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")
DATE_WIDGET = DateInput()


class ApplicationForm(forms.ModelForm[Application]):
    """What an applicant gives (第二十九条), typed online or by staff."""

    class Meta:
        model = Application
        fields = [
            "applicant_type",
            "applicant_name",
            "id_type",
            "id_number",
            "credit_code",
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
        ]
        widgets = {
            "applicant_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
            "provision_form": forms.RadioSelect,
            "delivery": forms.RadioSelect,
        }
        help_texts = {
            "description": _(
                "Describe the information: its name, document number or other features that help find it (Article 29)."
            ),
            "id_number": _("Natural persons: the number of the identity document."),
            "credit_code": _("Organisations: the 18-character unified social credit code."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self.fields["applicant_type"].initial = ApplicantType.NATURAL_PERSON

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s()（）]", "", self.cleaned_data["phone"])
        if not PHONE.match(phone):
            raise forms.ValidationError(
                _("Enter a mobile number (11 digits) or a landline number with its area code.")
            )
        return phone

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data["postcode"].strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            raise forms.ValidationError(_("A postcode has six digits."))
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("applicant_type") == ApplicantType.NATURAL_PERSON:
            if not data.get("id_type"):
                self.add_error("id_type", _("Choose the identity document."))
            number = (data.get("id_number") or "").strip().upper()
            if not number:
                self.add_error("id_number", _("Enter the document number."))
            elif data.get("id_type") == IdType.RESIDENT_ID and not ric.is_valid(number):
                self.add_error(
                    "id_number",
                    _(
                        "This is not a valid resident identity card number (18 characters with a correct check character)."
                    ),
                )
            data["id_number"] = number
            data["credit_code"] = ""
        elif data.get("applicant_type"):
            code = (data.get("credit_code") or "").strip().upper()
            if not uscc.is_valid(code):
                self.add_error(
                    "credit_code",
                    _(
                        "Enter a valid unified social credit code (18 characters with a correct check character)."
                    ),
                )
            if not (data.get("contact_person") or "").strip():
                self.add_error("contact_person", _("Name the contact person."))
            data["credit_code"] = code
            data["id_type"], data["id_number"] = "", ""
        if data.get("delivery") == "email" and not data.get("email"):
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
    )


class StaffRegistrationForm(ApplicationForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
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
