"""Every endpoint as a :class:`Call`: the request to send and how its answer maps to a result or an error.

The sync and the async client only send a call and hand the answer to ``call.read``; everything the server's
status codes and bodies mean is decided here, once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Dict, Generic, Mapping, Optional, Type, TypeVar, Union
from urllib.parse import quote

import httpx

from ._version import __version__
from .errors import NotConnected, ReauthorizationRequired, RequestFailed, RetryLater, Unauthorized, Unreachable
from .models import Status, Token

T = TypeVar("T")

UserId = Union[int, str]

# An error page from a proxy may be long HTML: its start is enough to tell what happened.
_MAX_MESSAGE = 200


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request (``options`` are httpx's request arguments: params, json, headers ...) and how to read its answer."""

    method: str
    path: str
    read: Callable[[httpx.Response], T]
    options: Mapping[str, Any] = field(default_factory=dict)


def http_options(base_url: str, api_key: str, timeout: float, headers: Optional[Mapping[str, str]]) -> Dict[str, Any]:
    """What both clients give their httpx client: the server's address, the key on every request, the timeout."""
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValueError("api_key is empty: pass the server's INTERNAL_API_KEY")
    url = httpx.URL(base_url)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, e.g. http://localhost:5000, not {base_url!r}")
    all_headers = {"User-Agent": f"jira-auth-client/{__version__}", "Accept": "application/json"}
    all_headers.update(headers or {})
    all_headers["Authorization"] = f"Bearer {api_key.strip()}"
    return {"base_url": url, "headers": all_headers, "timeout": timeout, "follow_redirects": False}


def start(telegram_user_id: UserId) -> Call[str]:
    return Call("GET", "auth/start", _read_auth_url, {"params": {"telegram_user_id": _id_text(telegram_user_id)}})


def status(telegram_user_id: UserId) -> Call[Status]:
    return Call("GET", f"auth/status/{_path_id(telegram_user_id)}", _reader(Status.from_json))


def token(telegram_user_id: UserId) -> Call[Token]:
    return Call("GET", f"auth/token/{_path_id(telegram_user_id)}", _reader(Token.from_json, not_found=NotConnected))


def revoke(telegram_user_id: UserId) -> Call[bool]:
    return Call("DELETE", f"auth/revoke/{_path_id(telegram_user_id)}", _read_revoked)


def jira(telegram_user_id: UserId, method: str, path: str, options: Mapping[str, Any]) -> Call[httpx.Response]:
    """A Jira REST call through the server's proxy. The path goes as given: the server refuses one not under rest/."""
    if not isinstance(method, str) or not method.strip():
        raise ValueError("method must be an HTTP method, e.g. 'GET'")
    if not isinstance(path, str):
        raise TypeError(f"path must be a str, not {type(path).__name__}")
    return Call(method.strip().upper(), f"jira/{_path_id(telegram_user_id)}/{path.lstrip('/')}", _read_jira, options)


def unreachable(base_url: str, error: httpx.TransportError) -> Unreachable:
    """A request that got no answer. httpx's message is left out: only the kind of failure is kept."""
    if isinstance(error, httpx.TimeoutException):
        return Unreachable(f"no answer from {base_url} in time ({type(error).__name__})")
    return Unreachable(f"cannot reach {base_url} ({type(error).__name__})")


def _id_text(telegram_user_id: UserId) -> str:
    # bool is an int in Python; True must not become user 1.
    if isinstance(telegram_user_id, bool) or not isinstance(telegram_user_id, (int, str)):
        raise TypeError(f"telegram_user_id must be an int or str, not {type(telegram_user_id).__name__}")
    return str(telegram_user_id)


def _path_id(telegram_user_id: UserId) -> str:
    # Quoted, so a malformed id reaches the server as one segment and gets its 400 instead of another endpoint.
    return quote(_id_text(telegram_user_id), safe="")


def _read_auth_url(response: httpx.Response) -> str:
    body = _success_json(response)
    auth_url = body.get("auth_url")
    if not isinstance(auth_url, str) or not auth_url:
        raise RequestFailed("the start answer has no 'auth_url'", response.status_code)
    return auth_url


def _read_revoked(response: httpx.Response) -> bool:
    if response.status_code == 404:
        return False
    _success_json(response)
    return True


# The statuses the proxy answers itself; Jira's answers with the same status are told apart by their body.
_SERVER_STATUSES = frozenset((400, 401, 404, 409, 429, 502, 503, 504))


def _read_jira(response: httpx.Response) -> httpx.Response:
    """Jira's answer as it is, whatever its status; the server's own refusal raised as the same error as token()'s.

    The server's refusals carry a JSON object with an "error" string (ErrorResponse); Jira's errors never do (they
    have "errorMessages"/"errors", or "code"/"message"). 409 (no Jira site recorded) needs a new authorization, so
    it is ReauthorizationRequired; 502/504 (Jira unreachable or too slow) are RequestFailed, as a call that changes
    something may have reached Jira and must not be repeated blindly.
    """
    if response.status_code not in _SERVER_STATUSES:
        return response
    body = _error_body(response)
    if not isinstance(body.get("error"), str):
        return response
    if response.status_code == 409:
        raise ReauthorizationRequired(_message_of(response, body))
    raise _error_of(response, NotConnected)


def _reader(
    parse: Callable[[Mapping[str, Any]], T], not_found: Optional[Type[Exception]] = None
) -> Callable[[httpx.Response], T]:
    def read(response: httpx.Response) -> T:
        body = _success_json(response, not_found)
        try:
            return parse(body)
        except ValueError as error:
            # The parsers' messages name fields, never values: a token must not end up in an exception.
            raise RequestFailed(str(error), response.status_code) from None

    return read


def _success_json(response: httpx.Response, not_found: Optional[Type[Exception]] = None) -> Dict[str, Any]:
    """The body of a 2xx answer, or the error its status and body stand for (``not_found`` for a 404)."""
    if not 200 <= response.status_code < 300:
        raise _error_of(response, not_found)
    try:
        body = json.loads(response.content)
    except ValueError:
        # Not echoed: a 200 body may hold a token.
        raise RequestFailed("the server's answer is not JSON", response.status_code) from None
    if not isinstance(body, dict):
        raise RequestFailed("the server's answer is not a JSON object", response.status_code)
    return body


def _error_of(response: httpx.Response, not_found: Optional[Type[Exception]]) -> Exception:
    status_code = response.status_code
    body = _error_body(response)
    message = _message_of(response, body)
    if status_code == 401:
        if body.get("reauthorization_required") is True:
            return ReauthorizationRequired(message)
        return Unauthorized(message)
    if status_code in (429, 503):
        return RetryLater(message, status_code, _retry_after(response.headers.get("Retry-After")))
    if status_code == 404 and not_found is not None:
        return not_found(message)
    return RequestFailed(message, status_code)


def _error_body(response: httpx.Response) -> Dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _message_of(response: httpx.Response, body: Mapping[str, Any]) -> str:
    for name in ("error", "message"):
        text = body.get(name)
        if isinstance(text, str) and text:
            return text
    text = response.text.strip()
    if text:
        return text[:_MAX_MESSAGE]
    return response.reason_phrase or f"HTTP {response.status_code}"


def _retry_after(header: Optional[str]) -> Optional[float]:
    """``Retry-After`` in seconds: the server sends whole seconds; a proxy may send an HTTP date."""
    if header is None:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())
