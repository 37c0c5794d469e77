"""The asyncio client, for python-telegram-bot 20+, aiogram 3 and other asyncio bots."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Mapping, Optional, Type, TypeVar

import httpx

from . import _calls
from ._calls import UserId
from .models import Status, Token

T = TypeVar("T")


class AsyncJiraAuthClient:
    """The same calls as :class:`JiraAuthClient`, awaitable; one instance serves the whole bot concurrently.

    Use it as ``async with AsyncJiraAuthClient(...) as auth:``, or call :meth:`aclose` when done.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 15.0,
        headers: Optional[Mapping[str, str]] = None,
        transport: Optional[httpx.AsyncBaseTransport] = None,
    ) -> None:
        options = _calls.http_options(base_url, api_key, timeout, headers)
        self._base_url = str(options["base_url"])
        self._http = httpx.AsyncClient(transport=transport, **options)

    async def start(self, telegram_user_id: UserId) -> str:
        """A new authorization link for the user, to show as a button; usable once, for ``AUTH_STATE_TTL``."""
        return await self._send(_calls.start(telegram_user_id))

    async def status(self, telegram_user_id: UserId) -> Status:
        """Whether the user is connected (refreshes first when the token is about to expire)."""
        return await self._send(_calls.status(telegram_user_id))

    async def token(self, telegram_user_id: UserId) -> Token:
        """A working access token. Raises NotConnected, ReauthorizationRequired or RetryLater when there is none."""
        return await self._send(_calls.token(telegram_user_id))

    async def revoke(self, telegram_user_id: UserId) -> bool:
        """Forgets the user's grant; False when there was none."""
        return await self._send(_calls.revoke(telegram_user_id))

    async def jira(self, telegram_user_id: UserId, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A Jira REST call as the user through the server; see :meth:`JiraAuthClient.jira`. The body is read in full."""
        return await self._send(_calls.jira(telegram_user_id, method, path, kwargs))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def close(self) -> None:
        """The same as :meth:`aclose`."""
        await self.aclose()

    async def __aenter__(self) -> "AsyncJiraAuthClient":
        return self

    async def __aexit__(
        self, kind: Optional[Type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncJiraAuthClient({self._base_url!r})"

    async def _send(self, call: "_calls.Call[T]") -> T:
        try:
            response = await self._http.request(call.method, call.path, **call.options)
        except httpx.TransportError as error:
            raise _calls.unreachable(self._base_url, error) from None
        return call.read(response)
