"""What only the asyncio client has: ``async with`` and many calls at once on one client."""

from __future__ import annotations

import asyncio

from conftest import authorize
from jira_auth_client import AsyncJiraAuthClient, NotConnected


def test_async_with_closes_the_client(server, new_user):
    async def scenario():
        async with AsyncJiraAuthClient(server.url, server.api_key) as auth:
            url = await auth.start(new_user)
        return url, auth

    url, auth = asyncio.run(scenario())

    assert url.startswith(server.atlassian_url)
    assert auth._http.is_closed


def test_concurrent_calls_on_one_client(server):
    users = [7001, 7002, 7003, 7004]

    async def scenario():
        async with AsyncJiraAuthClient(server.url, server.api_key) as auth:
            urls = await asyncio.gather(*(auth.start(user) for user in users))
            await asyncio.get_running_loop().run_in_executor(None, lambda: [authorize(url) for url in urls])
            tokens = await asyncio.gather(*(auth.token(user) for user in users))
            missing = await asyncio.gather(auth.token(7999), return_exceptions=True)
            return tokens, missing

    tokens, missing = asyncio.run(scenario())

    assert len({token.access_token for token in tokens}) == len(users)
    assert isinstance(missing[0], NotConnected)


def test_close_is_awaitable_like_aclose(server):
    async def scenario():
        auth = AsyncJiraAuthClient(server.url, server.api_key)
        await auth.close()
        return auth

    assert asyncio.run(scenario())._http.is_closed
