"""Every call of both clients against the real server; each test runs once with the sync and once with the async client."""

from __future__ import annotations

import hashlib
import socket
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import authorize
from jira_auth_client import (
    JiraAuthError,
    NotConnected,
    ReauthorizationRequired,
    RequestFailed,
    RetryLater,
    Status,
    Token,
    Unauthorized,
    Unreachable,
)

# The fake Atlassian's site (FakeAtlassianSite.Default) and account (FakeJiraUser.Default).
CLOUD_ID = "11111111-2222-3333-4444-555555555555"
SITE_URL = "https://example.atlassian.net"
ACCOUNT_ID = "557058:0a1b2c3d-default-user"


def _kind(request) -> str:
    return request.node.callspec.params["make_client"]


def test_start_returns_the_auth_url_for_that_user(client, server, new_user):
    url = client.start(new_user)

    query = parse_qs(urlsplit(url).query)
    assert url.startswith(server.atlassian_url + "/authorize?")
    assert query["state"][0]
    assert query["response_type"] == ["code"]


def test_a_completed_authorization_shows_in_status_and_token(client, server, new_user):
    authorize(client.start(new_user))

    status = client.status(new_user)
    token = client.token(new_user)

    assert isinstance(status, Status)
    assert status.authenticated is True
    assert status.reauthorization_required is False
    assert status.expires_at is not None and status.expires_at > datetime.now(timezone.utc)
    assert "offline_access" in (status.scope or "")
    assert isinstance(token, Token)
    assert token.access_token
    assert token.jira_cloud_id == CLOUD_ID
    assert token.jira_site_url == SITE_URL
    assert token.jira_site_name == "example"
    assert token.jira_account_id == ACCOUNT_ID
    assert token.expires_at == status.expires_at


def test_the_token_works_at_jira(client, server, new_user):
    authorize(client.start(new_user))
    token = client.token(new_user)

    me = httpx.get(
        f"{server.atlassian_url}/ex/jira/{token.jira_cloud_id}/rest/api/3/myself",
        headers={"Authorization": token.authorization_header, "Accept": "application/json"},
    )

    assert me.status_code == 200, me.text
    assert me.json()["accountId"] == token.jira_account_id


def test_neither_the_token_nor_the_key_is_in_a_repr(make_client, server, new_user):
    client = make_client()
    authorize(client.start(new_user))
    token = client.token(new_user)

    assert token.access_token not in repr(token)
    assert token.access_token not in str(token)
    assert "access_token" not in repr(token)
    assert server.api_key not in repr(client)


def test_status_of_an_unknown_user(client, new_user):
    status = client.status(new_user)

    assert status.authenticated is False
    assert status.reauthorization_required is False
    assert status.expires_at is None
    assert status.message == "User not authenticated"


def test_token_of_an_unknown_user_is_not_connected(client, new_user):
    with pytest.raises(NotConnected) as raised:
        client.token(new_user)

    assert str(raised.value) == "User not authenticated"


def test_a_dead_grant_needs_reauthorization_in_token_and_status(client, server):
    with pytest.raises(ReauthorizationRequired) as raised:
        client.token(server.dead_user)
    status = client.status(server.dead_user)

    assert str(raised.value) == "Token expired"
    assert status.authenticated is False
    assert status.reauthorization_required is True
    assert "authorize again" in (status.message or "")


def test_atlassian_unreachable_is_retry_later_with_the_servers_wait(client, server):
    with pytest.raises(RetryLater) as raised:
        client.token(server.unreachable_user)

    assert raised.value.status == 503
    assert raised.value.message == "Jira is temporarily unreachable"
    # The fake answered Retry-After: 300 and the server passes on what is left of it (its own waits are 1-10 s).
    assert raised.value.retry_after is not None and 10 < raised.value.retry_after <= 300


def test_status_while_atlassian_is_unreachable_says_so(client, server):
    status = client.status(server.unreachable_user)

    assert status.authenticated is True
    assert status.message == "Jira is temporarily unreachable"
    assert status.expires_at is not None and status.expires_at < datetime.now(timezone.utc)


def test_a_wrong_key_is_unauthorized(make_client, new_user, request):
    source = "127.0.0.2" if _kind(request) == "sync" else "127.0.0.3"
    wrong = make_client(api_key="not-the-key", source=source)

    for call in (wrong.start, wrong.token, wrong.revoke):
        with pytest.raises(Unauthorized) as raised:
            call(new_user)
        assert str(raised.value) == "Unauthorized"


def test_wrong_keys_lock_the_address_out_with_retry_after(make_client, server, new_user, request):
    # Its own loopback address: the lockout must not hit the other tests' 127.0.0.1.
    source = "127.0.0.10" if _kind(request) == "sync" else "127.0.0.11"
    wrong = make_client(api_key="guessed-key", source=source)
    right = make_client(source=source)
    for _ in range(server.key_failures):
        with pytest.raises(Unauthorized):
            wrong.token(new_user)

    with pytest.raises(RetryLater) as raised:
        right.status(new_user)

    assert raised.value.status == 429
    assert raised.value.message == "Too many failed API key attempts"
    assert raised.value.retry_after is not None and 0 < raised.value.retry_after <= 60


def test_revoke_is_true_for_a_connected_user_then_false(client, new_user):
    authorize(client.start(new_user))

    first = client.revoke(new_user)
    second = client.revoke(new_user)

    assert first is True
    assert second is False
    with pytest.raises(NotConnected):
        client.token(new_user)


@pytest.mark.parametrize("bad_id", [0, -5, "abc"])
def test_a_malformed_id_is_a_request_failure_with_the_servers_message(client, bad_id):
    with pytest.raises(RequestFailed) as raised:
        client.token(bad_id)

    assert raised.value.status == 400
    assert raised.value.message == "telegram_user_id must be a positive whole number"
    assert not isinstance(raised.value, (NotConnected, Unauthorized, RetryLater, ReauthorizationRequired))


def test_a_malformed_id_at_start_is_a_request_failure(client):
    with pytest.raises(RequestFailed) as raised:
        client.start(0)

    assert raised.value.status == 400


def test_an_id_with_a_slash_stays_one_path_segment(client):
    with pytest.raises(RequestFailed) as raised:
        client.revoke("1/../../metrics")

    assert raised.value.status == 400


def test_a_bool_is_not_a_user_id(client):
    with pytest.raises(TypeError):
        client.token(True)


def test_no_server_is_unreachable(make_client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    nobody = make_client(url=f"http://127.0.0.1:{closed_port}")

    with pytest.raises(Unreachable) as raised:
        nobody.status(1)

    assert raised.value.status is None
    assert isinstance(raised.value, JiraAuthError)


def test_every_error_is_a_jira_auth_error():
    for error in (NotConnected, ReauthorizationRequired, RetryLater, Unauthorized, RequestFailed, Unreachable):
        assert issubclass(error, JiraAuthError)


# The Jira proxy: GET/POST {server}/jira/{id}/{path}, answered by the fake Atlassian's Jira REST (FakeJiraRest).


def test_jira_returns_jiras_answer_as_it_is(client, new_user):
    authorize(client.start(new_user))

    response = client.jira(new_user, "GET", "rest/api/3/myself")

    assert isinstance(response, httpx.Response)
    assert response.status_code == 200
    assert response.json()["accountId"] == ACCOUNT_ID


def test_jira_keeps_the_query(client, new_user):
    authorize(client.start(new_user))

    response = client.jira(new_user, "GET", "rest/api/3/search", params={"jql": "project = DEMO", "maxResults": 5})

    assert response.status_code == 200
    echo = response.json()
    assert echo["method"] == "GET"
    assert echo["path"] == "rest/api/3/search"
    assert parse_qs(echo["query"].lstrip("?")) == {"jql": ["project = DEMO"], "maxResults": ["5"]}
    assert response.headers["X-RateLimit-Remaining"] == "99"


def test_jira_sends_a_json_body_to_jira(client, new_user):
    authorize(client.start(new_user))

    response = client.jira(new_user, "post", "/rest/api/3/issue", json={"fields": {"summary": "from the bot"}})

    assert response.status_code == 201
    sent = response.request.content
    assert sent and b"from the bot" in sent
    assert response.json()["bodyBytes"] == len(sent)
    assert response.json()["bodySha256"].lower() == hashlib.sha256(sent).hexdigest()
    assert response.headers["Location"].endswith("/rest/api/3/issue/10001")


def test_jiras_own_404_is_returned_not_raised(client, new_user):
    authorize(client.start(new_user))

    response = client.jira(new_user, "GET", "rest/api/3/attachment/content/unknown")

    assert response.status_code == 404
    assert response.json() == {"errorMessages": ["The attachment does not exist"]}


def test_jira_for_an_unknown_user_raises_not_connected(client, new_user):
    with pytest.raises(NotConnected):
        client.jira(new_user, "GET", "rest/api/3/myself")


@pytest.mark.parametrize("path", ["wiki/x", "rest/../x", "rest/%2e%2e/x"])
def test_jira_refuses_a_path_outside_rest(client, new_user, path):
    authorize(client.start(new_user))

    with pytest.raises(RequestFailed) as raised:
        client.jira(new_user, "GET", path)

    assert raised.value.status == 400
    assert raised.value.message


def test_jira_for_a_dead_grant_needs_reauthorization(client, server):
    with pytest.raises(ReauthorizationRequired):
        client.jira(server.dead_user, "GET", "rest/api/3/myself")
