"""Persistence of the bridge (SQLAlchemy asyncio): SQLite by default, PostgreSQL the same.

Every change that must not race (the next seq, accepting a conversation) is
one conditional statement in one transaction, so it stays correct with
several bridge processes.
"""

from __future__ import annotations

from bot.bridge.storage.base import iso
from bot.bridge.storage.conversations import Conversation, ConversationStore
from bot.bridge.storage.followups import FollowupStore
from bot.bridge.storage.messages import MessageStore
from bot.bridge.storage.people import Agent, AgentStore

__all__ = ["Agent", "Conversation", "Storage", "iso"]


class Storage(ConversationStore, MessageStore, AgentStore, FollowupStore):
    """The bridge's database: conversations, messages, agents, follow-ups."""
