"""The query code an applicant tracks a case with: stored only as a keyed hash.

A new case's code is derived from a random seed kept on the case and the SECRET_KEY
(`code_from_seed`), so the office can show the same code again after a double submit
and re-send a lost code to the contact given in the application (`resend_code`) without
the code itself being stored. A database copy without the SECRET_KEY reveals no code;
with it, the hash of a random code would be as easy to reverse. Cases stored before the
seed existed have no seed: their lost code is replaced by a new one.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gongkai.foi.models import Application
from gongkai.foi.notify import MOBILE, sms_sender

logger = logging.getLogger(__name__)
# Eight characters from an alphabet without look-alikes (0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_seed() -> str:
    return secrets.token_urlsafe(24)


def code_from_seed(seed: str) -> str:
    """The code of a seed: eight characters of the alphabet from a keyed hash."""
    digest = salted_hmac("gongkai.foi.query_code_seed", seed, algorithm="sha256").digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])


def hash_query_code(code: str) -> str:
    """A keyed hash of the query code.

    HMAC with the SECRET_KEY rather than a password hasher: the code is random (about 40
    bits) rather than chosen by a person, so slow hashing buys nothing, while PBKDF2
    would cost a third of a second per submission (bench/foi.py).
    """
    return salted_hmac(
        "gongkai.foi.query_code", code.strip().upper(), algorithm="sha256"
    ).hexdigest()


def check_query_code(application: Application, code: str) -> bool:
    return bool(code) and constant_time_compare(hash_query_code(code), application.query_code_hash)


def current_code(application: Application) -> str | None:
    """The case's code when it can be derived again, else None (an older case)."""
    if not application.query_code_seed:
        return None
    code = code_from_seed(application.query_code_seed)
    return code if check_query_code(application, code) else None


@dataclass(frozen=True)
class Resent:
    by_email: bool
    by_sms: bool

    @property
    def sent(self) -> bool:
        return self.by_email or self.by_sms


def resend_code(application: Application) -> Resent:
    """Send the case's code to the e-mail address and mobile number of the application.

    Nothing is sent to any other address: whoever asks learns only whether a contact
    exists. An older case without a seed gets a new code (the lost one stops working).
    """
    code = current_code(application)
    if code is None:
        seed = new_seed()
        code = code_from_seed(seed)
        Application.objects.filter(pk=application.pk).update(
            query_code_seed=seed, query_code_hash=hash_query_code(code)
        )
    text = _(
        "The query code of your request for government information %(number)s to %(agency)s is %(code)s. Use it with the application number on the portal."
    ) % {"number": application.number, "agency": application.agency.name, "code": code}
    by_email = bool(application.email)
    by_sms = bool(MOBILE.match(application.phone))

    def send() -> None:
        if by_email:
            send_mail(
                _("The query code of your request %(number)s") % {"number": application.number},
                text,
                None,
                [application.email],
                fail_silently=True,
            )
        if by_sms:
            try:
                sms_sender().send(application.phone, text)
            except Exception:  # a gateway failure must not break the page
                logger.exception("SMS with the code of %s not sent", application.number)

    transaction.on_commit(send)
    return Resent(by_email, by_sms)
