"""Checking the server's webhook calls (``BOT_WEBHOOK_URL``)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Dict, Optional, Union

from .errors import InvalidSignature

SIGNATURE_HEADER = "X-Signature"

_PREFIX = "sha256="


def sign_webhook(body: bytes, secret: str) -> str:
    """The ``X-Signature`` the server sends with ``body``: ``sha256=`` and the lowercase hex HMAC-SHA256 of the bytes."""
    if not secret:
        raise ValueError("the webhook secret is empty: use WEBHOOK_SECRET (or INTERNAL_API_KEY when it is unset)")
    return _PREFIX + hmac.new(secret.encode("utf-8"), bytes(body), hashlib.sha256).hexdigest()


def verify_webhook(body: Union[bytes, bytearray, memoryview], signature: Optional[str], secret: str) -> Dict[str, Any]:
    """The event of a webhook call, once its ``X-Signature`` proves the server sent exactly these bytes.

    Pass the raw request body (not re-serialized JSON) and the header as received. Raises :class:`InvalidSignature`
    when the header is missing or does not match; the comparison takes the same time wherever they differ.
    """
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError("body must be the raw request bytes")
    expected = sign_webhook(bytes(body), secret).encode("ascii")
    presented = signature.encode("utf-8") if isinstance(signature, str) else b""
    if not presented:
        raise InvalidSignature(f"the call has no {SIGNATURE_HEADER} header")
    if not hmac.compare_digest(expected, presented):
        raise InvalidSignature(f"{SIGNATURE_HEADER} does not match the body")
    event = json.loads(bytes(body))
    if not isinstance(event, dict):
        raise ValueError("the signed body is not a JSON object")
    return event
