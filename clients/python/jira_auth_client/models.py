"""The server's answers as typed objects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Optional

# The server writes "2026-01-01T12:00:00.123+00:00" with 0 to 7 fraction digits; Python before 3.11 reads only 3 or 6.
_ISO_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?\Z"
)


def parse_time(text: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime; one without an offset (as the old server wrote) means UTC."""
    match = _ISO_TIME.match(text.strip())
    if match is None:
        raise ValueError(f"not an ISO 8601 timestamp: {text!r}")
    moment = datetime.fromisoformat(f"{match['date']}T{match['time']}")
    fraction = match["fraction"]
    if fraction:
        moment = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    offset = match["offset"]
    if offset is None or offset == "Z":
        return moment.replace(tzinfo=timezone.utc)
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return moment.replace(tzinfo=timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))))


def _optional_time(value: Any) -> Optional[datetime]:
    return parse_time(value) if isinstance(value, str) and value else None


def _optional_text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Status:
    """``GET /auth/status/{id}``: whether the user is connected.

    ``message`` explains a ``False`` (or, with ``True``, that Jira is briefly unreachable); ``reauthorization_required``
    is True when Atlassian declared the grant dead and the user must authorize again.
    """

    authenticated: bool
    expires_at: Optional[datetime] = None
    scope: Optional[str] = None
    message: Optional[str] = None
    reauthorization_required: bool = False

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> "Status":
        authenticated = body.get("authenticated")
        if not isinstance(authenticated, bool):
            raise ValueError("the status answer has no boolean 'authenticated'")
        return cls(
            authenticated=authenticated,
            expires_at=_optional_time(body.get("expires_at")),
            scope=_optional_text(body.get("scope")),
            message=_optional_text(body.get("message")),
            reauthorization_required=body.get("reauthorization_required") is True,
        )


@dataclass(frozen=True)
class Token:
    """``GET /auth/token/{id}``: a working access token and the Jira site it is for.

    Call Jira at ``https://api.atlassian.com/ex/jira/{jira_cloud_id}/rest/api/3/...`` with
    ``Authorization: Bearer {access_token}``. The token is left out of ``repr()``, so logging this object is safe.
    """

    access_token: str = field(repr=False)
    expires_at: datetime
    jira_cloud_id: Optional[str] = None
    jira_site_url: Optional[str] = None
    jira_site_name: Optional[str] = None
    jira_account_id: Optional[str] = None
    jira_email: Optional[str] = None

    @property
    def authorization_header(self) -> str:
        """The value of the ``Authorization`` header for Jira calls."""
        return f"Bearer {self.access_token}"

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> "Token":
        access_token = body.get("access_token")
        expires_at = body.get("expires_at")
        if not isinstance(access_token, str) or not access_token or not isinstance(expires_at, str):
            raise ValueError("the token answer lacks 'access_token' or 'expires_at'")
        return cls(
            access_token=access_token,
            expires_at=parse_time(expires_at),
            jira_cloud_id=_optional_text(body.get("jira_cloud_id")),
            jira_site_url=_optional_text(body.get("jira_site_url")),
            jira_site_name=_optional_text(body.get("jira_site_name")),
            jira_account_id=_optional_text(body.get("jira_account_id")),
            jira_email=_optional_text(body.get("jira_email")),
        )
