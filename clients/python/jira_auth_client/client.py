"""The blocking client, for scripts and threaded bots."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Mapping, Optional, Type, TypeVar

import httpx

from . import _calls
from ._calls import UserId
from .models import Status, Token

T = TypeVar("T")


class JiraAuthClient:
    """Talks to the Jira Authorization Server with the bot's ``INTERNAL_API_KEY``.

    Use it as a context manager, or call :meth:`close` when done. ``headers`` are added to every request;
    ``transport`` is handed to httpx (a proxy, a local address, ...).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 15.0,
        headers: Optional[Mapping[str, str]] = None,
        transport: Optional[httpx.BaseTransport] = None,
    ) -> None:
        options = _calls.http_options(base_url, api_key, timeout, headers)
        self._base_url = str(options["base_url"])
        self._http = httpx.Client(transport=transport, **options)

    def start(self, telegram_user_id: UserId) -> str:
        """A new authorization link for the user, to show as a button; usable once, for ``AUTH_STATE_TTL``."""
        return self._send(_calls.start(telegram_user_id))

    def status(self, telegram_user_id: UserId) -> Status:
        """Whether the user is connected (refreshes first when the token is about to expire)."""
        return self._send(_calls.status(telegram_user_id))

    def token(self, telegram_user_id: UserId) -> Token:
        """A working access token. Raises NotConnected, ReauthorizationRequired or RetryLater when there is none."""
        return self._send(_calls.token(telegram_user_id))

    def revoke(self, telegram_user_id: UserId) -> bool:
        """Forgets the user's grant; False when there was none."""
        return self._send(_calls.revoke(telegram_user_id))

    def jira(self, telegram_user_id: UserId, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A Jira REST call as the user through the server, e.g. ``jira(id, "GET", "rest/api/3/myself")``.

        ``kwargs`` are httpx's request arguments (params, json, content, headers ...). Jira's answer comes back as it
        is, a 4xx/5xx too; the server's own refusals raise NotConnected, ReauthorizationRequired, Unauthorized,
        RetryLater or RequestFailed.
        """
        return self._send(_calls.jira(telegram_user_id, method, path, kwargs))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "JiraAuthClient":
        return self

    def __exit__(
        self, kind: Optional[Type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"JiraAuthClient({self._base_url!r})"

    def _send(self, call: "_calls.Call[T]") -> T:
        try:
            response = self._http.request(call.method, call.path, **call.options)
        except httpx.TransportError as error:
            raise _calls.unreachable(self._base_url, error) from None
        return call.read(response)
