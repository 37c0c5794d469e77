"""Fixtures for running the client against a real server.

The server, the fake Atlassian and the prepared users come from the NUnit fixture
JiraAuthServer.Tests/PythonClient/PythonClientTests.cs, which starts them and passes them in these variables.
Without them the tests that need a server are skipped, unless JIRA_AUTH_TEST_REQUIRE_SERVER=1 (as NUnit sets),
where a missing variable fails the test instead.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import httpx
import pytest

from jira_auth_client import AsyncJiraAuthClient, JiraAuthClient

_next_user = itertools.count(5000)


@dataclass(frozen=True)
class Server:
    url: str
    api_key: str
    atlassian_url: str
    dead_user: int
    unreachable_user: int
    key_failures: int
    webhook_dir: Path
    webhook_secret: str


def _setting(name: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    message = f"{name} is not set: these tests run against the server the NUnit fixture PythonClientTests starts"
    if os.environ.get("JIRA_AUTH_TEST_REQUIRE_SERVER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def server() -> Server:
    return Server(
        url=_setting("JIRA_AUTH_TEST_SERVER"),
        api_key=_setting("JIRA_AUTH_TEST_API_KEY"),
        atlassian_url=_setting("JIRA_AUTH_TEST_ATLASSIAN"),
        dead_user=int(_setting("JIRA_AUTH_TEST_DEAD_USER")),
        unreachable_user=int(_setting("JIRA_AUTH_TEST_UNREACHABLE_USER")),
        key_failures=int(_setting("JIRA_AUTH_TEST_KEY_FAILURES")),
        webhook_dir=Path(_setting("JIRA_AUTH_TEST_WEBHOOK_DIR")),
        webhook_secret=_setting("JIRA_AUTH_TEST_WEBHOOK_SECRET"),
    )


@pytest.fixture
def new_user() -> int:
    """A Telegram id no other test uses."""
    return next(_next_user)


class Blocking:
    """The async client's coroutines run to their end on one event loop, so one test body serves both clients."""

    def __init__(self, client: AsyncJiraAuthClient, loop: asyncio.AbstractEventLoop) -> None:
        self._client = client
        self._loop = loop

    def __repr__(self) -> str:
        return repr(self._client)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run_until_complete(method(*args, **kwargs))

        return run


ClientFactory = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest, server: Server) -> Iterator[ClientFactory]:
    """Builds a client of the test's kind; ``source`` binds it to another loopback address (another client for the limits)."""
    loop = asyncio.new_event_loop() if request.param == "async" else None
    made: list = []

    def make(api_key: Optional[str] = None, source: Optional[str] = None, url: Optional[str] = None) -> Any:
        key = api_key or server.api_key
        if loop is None:
            transport = httpx.HTTPTransport(local_address=source) if source else None
            client = JiraAuthClient(url or server.url, key, transport=transport)
            made.append(client.close)
            return client
        async_transport = httpx.AsyncHTTPTransport(local_address=source) if source else None
        async_client = AsyncJiraAuthClient(url or server.url, key, transport=async_transport)
        made.append(lambda: loop.run_until_complete(async_client.aclose()))
        return Blocking(async_client, loop)

    yield make
    for close in made:
        close()
    if loop is not None:
        loop.close()


@pytest.fixture
def client(make_client: ClientFactory) -> Any:
    return make_client()


def authorize(auth_url: str) -> None:
    """The user's browser: the fake Atlassian approves and redirects to the server's callback, which stores the grant."""
    with httpx.Client(follow_redirects=False, timeout=15) as browser:
        consent = browser.get(auth_url)
        assert consent.status_code == 302, consent.text
        page = browser.get(consent.headers["location"])
        assert page.status_code == 200, page.text
