"""The errors the client raises. Catch :class:`JiraAuthError` for all of them.

No error ever carries a token or the API key: messages are the server's own error texts (which never contain
secrets) or a description written here.
"""

from __future__ import annotations

from typing import Optional


class JiraAuthError(Exception):
    """Base class of every error of this package."""


class NotConnected(JiraAuthError):
    """The user has no grant (never authorized, or revoked): send them the link from ``start()``."""


class ReauthorizationRequired(JiraAuthError):
    """Atlassian declared the grant dead (app removed, 90 days unused, password reset): the user must authorize again."""


class Unauthorized(JiraAuthError):
    """The server refused the API key (HTTP 401): ``INTERNAL_API_KEY`` on the bot and the server differ."""


class RetryLater(JiraAuthError):
    """A passing refusal (HTTP 429 or 503): Atlassian unreachable, store unavailable, rate limit or key lockout.

    ``retry_after`` is the server's ``Retry-After`` in seconds, or None when it sent none.
    """

    def __init__(self, message: str, status: int, retry_after: Optional[float]) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


class RequestFailed(JiraAuthError):
    """Any other answer: ``status`` is the HTTP status, ``message`` the server's error text (e.g. a malformed id's 400)."""

    def __init__(self, message: str, status: Optional[int]) -> None:
        super().__init__(f"HTTP {status}: {message}" if status is not None else message)
        self.message = message
        self.status = status


class Unreachable(RequestFailed):
    """No answer at all: the server is down, the address is wrong, or the request timed out. ``status`` is None."""

    def __init__(self, message: str) -> None:
        super().__init__(message, None)


class InvalidSignature(JiraAuthError):
    """A webhook call whose ``X-Signature`` is missing, malformed or does not match its body: drop it."""
