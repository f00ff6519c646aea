"""Client of Rasa's REST channel, the only way the bridge talks to the assistant."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.bridge.errors import RasaUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BotReply:
    """What the assistant said in one turn.

    Attributes:
        messages: Text messages with their quick-reply buttons, in order.
        handoff: The summary the assistant sent when it asked for a person, or None.
        crisis: Crisis resources to keep on the customer's screen, or None.
    """

    messages: list[tuple[str, list[dict[str, str]]]] = field(default_factory=list)
    handoff: dict[str, Any] | None = None
    crisis: list[dict[str, str]] | None = None


def _buttons(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": b["title"], "payload": b["payload"]}
        for b in raw
        if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
    ]


def parse_reply(data: Any) -> BotReply:
    """Turn the REST channel's answer into a :class:`BotReply`, ignoring what is malformed."""
    messages: list[tuple[str, list[dict[str, str]]]] = []
    handoff: dict[str, Any] | None = None
    crisis: list[dict[str, str]] | None = None
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        custom = item.get("custom")
        calor = custom.get("calor") if isinstance(custom, dict) else None
        if isinstance(calor, dict):
            if isinstance(calor.get("handoff"), dict):
                handoff = calor["handoff"]
            if isinstance(calor.get("crisis"), dict):
                crisis = _resources(calor["crisis"].get("resources"))
        text = item.get("text")
        if isinstance(text, str) and text.strip():
            messages.append((text, _buttons(item.get("buttons"))))
    return BotReply(messages, handoff, crisis)


def _resources(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [{"label": r["label"], "contact": r["contact"]} for r in raw
            if isinstance(r, dict) and isinstance(r.get("label"), str)
            and isinstance(r.get("contact"), str)]


class RasaClient:
    """Posts customer turns to Rasa and waits, at most ``timeout`` seconds, for the answer.

    With several Rasa servers (sharing one tracker store and lock store), a
    turn that cannot reach one goes to the next. Only failures where Rasa
    cannot have run the turn move on (no connection, connection dropped before
    an answer); a turn that timed out may still be running there, so it is not
    sent twice.

    Args:
        base_urls: E.g. ``("http://127.0.0.1:5005",)``.
        timeout: Seconds before the assistant counts as unavailable.
    """

    def __init__(self, base_urls: tuple[str, ...] | list[str], timeout: float) -> None:
        if not base_urls:
            raise ValueError("at least one Rasa URL is needed")
        self.urls = [f"{base}/webhooks/rest/webhook" for base in base_urls]
        self.timeout = timeout
        self._first = 0
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Open the connection pool."""
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=64), raise_for_status=True
        )

    async def close(self) -> None:
        """Close the connection pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, conversation_id: str, text: str, timeout: float | None = None) -> BotReply:
        """Send one customer turn and return the assistant's answer.

        Raises:
            RasaUnavailable: No Rasa answered in time, they refused, or answered garbage.
        """
        if self._session is None:
            raise RasaUnavailable("the Rasa client is not started")
        limit = aiohttp.ClientTimeout(total=timeout or self.timeout)
        start = self._first
        last: Exception = RasaUnavailable("no Rasa server")
        for step in range(len(self.urls)):
            index = (start + step) % len(self.urls)
            try:
                async with self._session.post(
                    self.urls[index], json={"sender": conversation_id, "message": text}, timeout=limit
                ) as response:
                    data = await response.json(content_type=None)
            except (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError) as err:
                log.warning("Rasa server %d unreachable for conversation %s: %s", index,
                            conversation_id, type(err).__name__)
                # The next turns start with the next server, until it fails too.
                self._first = (index + 1) % len(self.urls)
                last = err
                continue
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as err:
                log.warning("Rasa did not answer for conversation %s: %s", conversation_id,
                            type(err).__name__)
                raise RasaUnavailable(type(err).__name__) from err
            return parse_reply(data)
        raise RasaUnavailable(type(last).__name__) from last
