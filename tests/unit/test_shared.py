"""Presence and what customers were told, in one process (the same rules hold through Redis)."""

from __future__ import annotations

from bot.bridge.shared import Shared


async def test_an_agent_is_online_from_the_first_socket_until_the_last_goes() -> None:
    shared = Shared()
    assert await shared.add(7, "a") is True
    assert await shared.add(7, "b") is False
    assert shared.online() == {7} and shared.sids(7) == {"a", "b"}
    assert await shared.remove("a") is False
    assert shared.available() == {7}
    assert await shared.remove("b") is True
    assert shared.online() == set()
    assert await shared.remove("b") is False  # a second disconnect of the same socket changes nothing


async def test_away_agents_are_online_but_not_available_and_come_back_online_after_they_leave() -> None:
    shared = Shared()
    await shared.add(1, "a")
    await shared.add(2, "b")
    await shared.set_away(1, True)
    assert shared.online() == {1, 2} and shared.available() == {2} and shared.is_away(1)
    await shared.remove("a")
    await shared.add(1, "c")
    assert shared.available() == {1, 2}, "leaving clears 'away'; a new login starts online"


async def test_only_changed_statuses_are_news_and_finished_conversations_are_forgotten() -> None:
    shared = Shared()
    first = {"x": {"position": 1}, "y": {"position": 2}}
    assert await shared.news(first) == first
    assert await shared.news({"x": {"position": 1}, "y": {"position": 2}}) == {}
    assert await shared.news({"y": {"position": 1}}) == {"y": {"position": 1}}
    # x left the queue and came back at the same place: that is news again.
    assert await shared.news({"x": {"position": 1}, "y": {"position": 1}}) == {"x": {"position": 1}}
