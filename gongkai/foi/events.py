"""The shape of each case event's details: `Event.data`, one JSON object per kind.

gongkai.foi.actions writes them (one TypedDict per EventKind, checked where the dict is
built); the deadline engine (clock.engine_events), the letters (letters._values), the
back office (views._waiting_consultations) and the timeline's templates
(templates/foi/events/<kind>.html) read them. The JSON column itself is untyped: a reader
casts `event.data` to its kind's shape once, after checking `event.kind`.

Events written before a key existed may lack it, which is why readers keep their
`.get(key, default)`: a key marked NotRequired is one a step writes only sometimes.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class ReceivedData(TypedDict):
    channel: str  # gongkai.foi.receipt.Channel
    oral: bool
    attachments: int  # how many files came with the request


class AssignedData(TypedDict):
    handler: int  # the user's pk
    handler_name: str


# "from" is a keyword, hence the functional form.
TransferredData = TypedDict(
    "TransferredData",
    {"from": str, "from_name": str, "to": str, "to_name": str, "reason": str},
)


class CorrectionRequestedData(TypedDict):
    items: list[str]
    until: str  # ISO date: the correction deadline


class ConsultationSentData(TypedDict):
    party: str  # gongkai.workdays.deadlines.Party
    recipient: str
    ref: str  # "c1", "c2" ...: what the answer (ConsultationClosedData.ref) refers to
    received_on: NotRequired[str]  # ISO date, when the notice arrived after it was sent


class ReceiptData(TypedDict, total=False):
    """The addressee's date of receipt (ISO), when a notice went by post and arrived later."""

    received_on: str


class ConsultationClosedData(TypedDict):
    ref: str
    result: str


class ExtensionApprovedData(TypedDict):
    days: int  # working days
    reason: str


class FeeNoticeSentData(TypedDict):
    method: str  # gongkai.foi.fees.FeeMethod
    amount: int  # yuan
    position: NotRequired[int]  # per request: the request's place in the applicant's month
    pages: NotRequired[int]  # per page
    received_on: NotRequired[str]  # ISO date, as for a consultation


class FeeBasis(TypedDict, total=False):
    """What a fee notice's amount was computed from: one of the two, by its method."""

    position: int
    pages: int


class FeePaidData(TypedDict):
    amount: int  # yuan


class WithheldPart(TypedDict):
    """第三十七条: one part withheld from a partial disclosure, with its reason and basis."""

    part: str
    reason: NotRequired[str]
    basis: NotRequired[str]


class RepliedData(TypedDict):
    outcome: str  # gongkai.lib.report_keys.Outcome
    basis: str
    documents: str
    # Facts the decision letter states (gongkai.foi.letters.REPLY_FACTS), when given.
    published_at: NotRequired[str]
    law: NotRequired[str]
    competent_agency: NotRequired[str]
    competent_contact: NotRequired[str]
    search_record: NotRequired[str]
    earlier_reply: NotRequired[str]
    channel: NotRequired[str]
    withheld: NotRequired[list[WithheldPart | str]]
    letter: NotRequired[int]  # the decision letter whose issue recorded the reply
    imported: NotRequired[bool]  # recorded by import_applications, without a letter


class ClosedUnansweredData(TypedDict):
    outcome: str  # one of OVERDUE_OUTCOMES


class NoData(TypedDict):
    """correction_received and withdrawn carry no details."""


EventData = (
    ReceivedData
    | AssignedData
    | TransferredData
    | CorrectionRequestedData
    | ConsultationSentData
    | ConsultationClosedData
    | ExtensionApprovedData
    | FeeNoticeSentData
    | FeePaidData
    | RepliedData
    | ClosedUnansweredData
    | NoData
)


class TimelineData(TypedDict, total=False):
    """The keys the deadline engine reads, whatever the kind (clock.engine_events)."""

    days: int
    party: str
    ref: str
    until: str
    received_on: str


class StepMarks(TypedDict, total=False):
    """Keys any kind's data may carry besides its own (gongkai.foi.actions._check_timeliness):
    a step taken after its period (`late`: the article, the due date and the rule broken), a
    step dated further back than FOI_BACKDATE_WORKING_DAYS (`backdated`), and the office
    head's approval of either (`approval`: who and why). They stay on the event for good."""

    late: dict[str, str]
    backdated: dict[str, object]
    approval: dict[str, object]
