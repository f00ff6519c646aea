"""Parsing of what clients send: every payload is checked here, before the core sees it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.bridge.errors import ClientError
from bot.bridge.settings import MAX_MESSAGE_CHARS

MAX_ID_CHARS = 64


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ClientError("invalid", "Send a JSON object.")
    return data


def _client_id(data: dict[str, Any]) -> str:
    value = data.get("id")
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_ID_CHARS:
        raise ClientError("invalid", f"'id' must be a string of 1 to {MAX_ID_CHARS} characters.")
    return value


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    if not isinstance(value, str):
        raise ClientError("invalid", f"'{field}' must be a string.")
    if not value.strip():
        raise ClientError("empty", "The message is empty.")
    if len(value) > MAX_MESSAGE_CHARS:
        raise ClientError(
            "too_long", f"Messages can be at most {MAX_MESSAGE_CHARS:,} characters long."
        )
    return value


def conversation_id(data: Any) -> str:
    """Return the ``conversation_id`` field of an agent event."""
    value = _object(data).get("conversation_id")
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_ID_CHARS:
        raise ClientError("unknown_conversation", "There is no such conversation.")
    return value


@dataclass(frozen=True)
class CustomerMessage:
    """A customer's message: typed text, or the payload of a quick-reply button."""

    id: str
    text: str
    is_payload: bool


def customer_message(data: Any) -> CustomerMessage:
    """Parse a customer ``message`` event."""
    data = _object(data)
    client_id = _client_id(data)
    if "payload" in data and "text" not in data:
        return CustomerMessage(client_id, _text(data, "payload"), is_payload=True)
    return CustomerMessage(client_id, _text(data, "text"), is_payload=False)


@dataclass(frozen=True)
class AgentMessage:
    """An agent's message into a conversation."""

    conversation_id: str
    id: str
    text: str


def agent_message(data: Any) -> AgentMessage:
    """Parse an agent ``message`` event."""
    data = _object(data)
    return AgentMessage(conversation_id(data), _client_id(data), _text(data, "text"))


def close_request(data: Any) -> tuple[str, str]:
    """Parse an agent ``close`` event into (conversation_id, next_steps)."""
    data = _object(data)
    return conversation_id(data), _text(data, "next_steps")


@dataclass(frozen=True)
class CustomerAuth:
    """What a customer presents when connecting."""

    token: str | None
    last_seq: int | None


def customer_auth(data: Any) -> CustomerAuth:
    """Parse the customer's connect ``auth``; anything unusable is simply ignored.

    A bad token must not lock anyone out, so it starts a new conversation
    instead of refusing the connection.
    """
    if not isinstance(data, dict):
        return CustomerAuth(None, None)
    token = data.get("token")
    last_seq = data.get("last_seq")
    return CustomerAuth(
        token if isinstance(token, str) and len(token) <= 256 else None,
        last_seq if isinstance(last_seq, int) and not isinstance(last_seq, bool) and last_seq >= 0
        else None,
    )


def agent_token(data: Any) -> str | None:
    """Return the token from an agent's connect ``auth``, if it looks like one."""
    if isinstance(data, dict):
        token = data.get("token")
        if isinstance(token, str) and 1 <= len(token) <= 256:
            return token
    return None


def handback_request(data: Any) -> tuple[str, str | None]:
    """Parse an agent ``handback`` event into (conversation_id, note or None)."""
    data = _object(data)
    conversation = conversation_id(data)
    if data.get("note") in (None, ""):
        return conversation, None
    return conversation, _text(data, "note")


def presence(data: Any) -> str:
    """Parse an agent ``presence`` event into 'online' or 'away'."""
    status = _object(data).get("status")
    if status not in ("online", "away"):
        raise ClientError("invalid", "'status' must be 'online' or 'away'.")
    return str(status)


def followup_id(data: Any) -> int:
    """Parse a ``followup_done`` event."""
    value = _object(data).get("followup_id")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ClientError("invalid", "'followup_id' must be a positive whole number.")
    return value


_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{4,30}$")


@dataclass(frozen=True)
class LeftMessage:
    """A message or callback request left while nobody could answer."""

    id: str
    text: str
    callback: str | None


def left_message(data: Any) -> LeftMessage:
    """Parse a customer ``leave_message`` event."""
    data = _object(data)
    client_id = _client_id(data)
    text = _text(data, "text")
    callback = data.get("callback")
    if callback in (None, ""):
        return LeftMessage(client_id, text, None)
    if not isinstance(callback, str) or not _PHONE.match(callback.strip()):
        raise ClientError("invalid", "That doesn't look like a phone number; "
                          "use digits, spaces and an optional leading +.")
    return LeftMessage(client_id, text, callback.strip())


def felt_heard(data: Any) -> bool:
    """Parse the customer's ``feedback`` event: did they feel heard?"""
    value = _object(data).get("felt_heard")
    if not isinstance(value, bool):
        raise ClientError("invalid", "'felt_heard' must be true or false.")
    return value


def typing(data: Any) -> bool:
    """Parse a ``typing`` event's flag."""
    value = _object(data).get("typing")
    if not isinstance(value, bool):
        raise ClientError("invalid", "'typing' must be true or false.")
    return value
