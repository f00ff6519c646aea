"""Domain exceptions of the bridge, in one place.

Driver errors (SQLAlchemy, aiohttp) are wrapped into these with
``raise X(...) from err`` so callers never depend on a driver.
"""

from __future__ import annotations


class CalorError(Exception):
    """Base class of every error the bridge raises on purpose."""


class ConfigError(CalorError):
    """A setting is missing or has a bad value.

    Args:
        name: The environment variable at fault.
        problem: What is wrong with it, in plain words.
    """

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


class ClientError(CalorError):
    """A request from a client that is refused with an error code.

    The code and detail travel to the client in the ack, e.g.
    ``{"ok": false, "error": "too_long", "detail": "..."}``.

    Args:
        code: A stable, machine-readable code from docs/protocol.md.
        detail: A sentence a person can read.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail

    def ack(self) -> dict[str, object]:
        """Return the ack payload for this error."""
        return {"ok": False, "error": self.code, "detail": self.detail}


class InvalidTransition(CalorError):
    """A conversation was asked to move to a state it cannot reach from its current one."""

    def __init__(self, state: str, event: str) -> None:
        super().__init__(f"cannot {event} a conversation in state {state!r}")
        self.state = state
        self.event = event


class NotFound(CalorError):
    """No row matched: the conversation does not exist, or is not in the state asked for."""


class StorageError(CalorError):
    """The database could not be reached or refused an operation."""


class RasaUnavailable(CalorError):
    """The Rasa server did not answer in time or answered with an error."""


class Unauthorized(CalorError):
    """An agent token is missing, malformed, expired or revoked."""
