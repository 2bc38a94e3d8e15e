"""The query code an applicant tracks a case with: made once, stored only as a keyed hash."""

from __future__ import annotations

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

from gongkai.foi.models import Application


def new_query_code() -> str:
    # Eight characters from an alphabet without look-alikes (0/O, 1/I/L).
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


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
