"""The bot's side of the Jira Authorization Server.

Example::

    with JiraAuthClient("http://localhost:5000", INTERNAL_API_KEY) as auth:
        url = auth.start(telegram_user_id)          # show as a button
        token = auth.token(telegram_user_id)        # token.access_token, token.jira_cloud_id
"""

from ._version import __version__
from .async_client import AsyncJiraAuthClient
from .client import JiraAuthClient
from .errors import (
    InvalidSignature,
    JiraAuthError,
    NotConnected,
    ReauthorizationRequired,
    RequestFailed,
    RetryLater,
    Unauthorized,
    Unreachable,
)
from .models import Status, Token
from .webhook import SIGNATURE_HEADER, sign_webhook, verify_webhook

__all__ = [
    "AsyncJiraAuthClient",
    "InvalidSignature",
    "JiraAuthClient",
    "JiraAuthError",
    "NotConnected",
    "ReauthorizationRequired",
    "RequestFailed",
    "RetryLater",
    "SIGNATURE_HEADER",
    "Status",
    "Token",
    "Unauthorized",
    "Unreachable",
    "__version__",
    "sign_webhook",
    "verify_webhook",
]
