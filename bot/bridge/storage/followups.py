"""The follow-up list: messages and callback requests left when nobody could answer."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.bridge.storage.base import Database, iso
from bot.bridge.storage.schema import followups

f = followups.c


def _followup(row: Any) -> dict[str, Any]:
    return {"followup_id": row.id, "conversation_id": row.conversation_id, "kind": row.kind,
            "text": row.text, "callback": row.callback, "urgent": row.urgent,
            "created_at": iso(row.created_at)}


class FollowupStore(Database):
    """Adding, listing and completing follow-ups."""

    async def add_followup(self, conversation_id: str, kind: str, text: str, now: float,
                           callback: str | None = None, urgent: bool = False,
                           client_id: str | None = None) -> bool:
        """Add a follow-up; a retry with the same client id adds nothing.

        Returns:
            Whether a new follow-up was stored.
        """
        def work(conn: sa.Connection) -> None:
            conn.execute(followups.insert().values(
                conversation_id=conversation_id, client_id=client_id, kind=kind, text=text,
                callback=callback, urgent=urgent, created_at=now))
        try:
            await self.run(work)
        except IntegrityError:
            return False
        return True

    async def open_followups(self) -> list[dict[str, Any]]:
        """Follow-ups not done yet: urgent first, then oldest first."""
        def work(conn: sa.Connection) -> list[dict[str, Any]]:
            return [_followup(r) for r in conn.execute(
                followups.select().where(f.done_at.is_(None)).order_by(f.urgent.desc(), f.created_at))]
        return await self.run(work, write=False)

    async def complete_followup(self, followup_id: int, now: float, by: str) -> bool:
        """Mark a follow-up done; False if it was done already or does not exist."""
        def work(conn: sa.Connection) -> bool:
            result = conn.execute(followups.update().where(f.id == followup_id, f.done_at.is_(None))
                                  .values(done_at=now, done_by=by))
            return bool(result.rowcount == 1)
        return await self.run(work)

    async def has_urgent_followup(self, conversation_id: str) -> bool:
        """Whether an urgent follow-up is open for the conversation."""
        def work(conn: sa.Connection) -> bool:
            count = conn.execute(sa.select(sa.func.count()).where(
                f.conversation_id == conversation_id, f.urgent.is_(True),
                f.done_at.is_(None))).scalar()
            return bool(count)
        return await self.run(work, write=False)
