"""verify_webhook against calls the real server signed and sent to the fake bot (FakeBotWebhook)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest

from jira_auth_client import InvalidSignature, JiraAuthError, sign_webhook, verify_webhook


def _calls(folder: Path) -> List[Tuple[str, bytes, str]]:
    """(event name, body bytes, X-Signature) of every call the fixture saved as N-event.body / N-event.signature."""
    calls = []
    for body in sorted(folder.glob("*.body")):
        event = body.stem.split("-", 1)[1]
        calls.append((event, body.read_bytes(), body.with_suffix(".signature").read_text(encoding="utf-8")))
    return calls


@pytest.fixture
def calls(server):
    saved = _calls(server.webhook_dir)
    assert {event for event, _, _ in saved} >= {"authorized", "revoked"}, f"calls saved: {saved}"
    return saved


def test_real_calls_verify_and_give_their_event(server, calls):
    for event, body, signature in calls:
        payload = verify_webhook(body, signature, server.webhook_secret)

        assert payload["event"] == event
        assert isinstance(payload["telegram_user_id"], int)
        assert payload["event_id"]


def test_a_changed_body_is_refused(server, calls):
    _, body, signature = calls[0]
    changed = body.replace(b'"telegram_user_id":', b'"telegram_user_id":1')

    with pytest.raises(InvalidSignature):
        verify_webhook(changed, signature, server.webhook_secret)
    with pytest.raises(InvalidSignature):
        verify_webhook(body + b" ", signature, server.webhook_secret)


def test_another_secret_is_refused(server, calls):
    _, body, signature = calls[0]

    with pytest.raises(InvalidSignature):
        verify_webhook(body, signature, server.webhook_secret + "x")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda signature: signature.upper(),
        lambda signature: signature[len("sha256="):],
        lambda signature: "sha1=" + signature[len("sha256="):],
        lambda signature: signature[:-1],
        lambda signature: signature + "0",
        lambda signature: " " + signature,
        lambda signature: "",
    ],
    ids=["uppercase", "no-prefix", "other-prefix", "cut", "longer", "padded", "empty"],
)
def test_only_the_servers_exact_header_format_is_accepted(server, calls, mangle):
    _, body, signature = calls[0]

    with pytest.raises(InvalidSignature):
        verify_webhook(body, mangle(signature), server.webhook_secret)


def test_a_missing_header_is_refused(server, calls):
    _, body, _ = calls[0]

    with pytest.raises(InvalidSignature) as raised:
        verify_webhook(body, None, server.webhook_secret)
    assert isinstance(raised.value, JiraAuthError)


def test_sign_webhook_makes_the_servers_header(server, calls):
    for _, body, signature in calls:
        assert sign_webhook(body, server.webhook_secret) == signature


def test_an_empty_secret_is_a_mistake_not_a_key():
    with pytest.raises(ValueError):
        verify_webhook(b"{}", "sha256=" + "0" * 64, "")


def test_a_non_ascii_header_is_refused_not_a_crash():
    with pytest.raises(InvalidSignature):
        verify_webhook(b"{}", "sha256=\u00e9", "secret")
