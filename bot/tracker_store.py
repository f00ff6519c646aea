"""Rasa's SQL tracker store, made to survive a restart of its database (runs inside Rasa).

Rasa 3.6's own store keeps pooled connections without checking them, so the
first turn after PostgreSQL restarted fails, and Rasa then answers that turn
from an empty in-memory tracker: the assistant forgets the conversation.
Checking each connection as it leaves the pool replaces dead ones instead.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa  # type: ignore[import-untyped]  # 1.4, as Rasa pins it
from rasa.core import tracker_store  # type: ignore[import-untyped]


class SQLTrackerStore(tracker_store.SQLTrackerStore):  # type: ignore[misc]  # Rasa ships no type information
    """:class:`rasa.core.tracker_store.SQLTrackerStore` with ``pool_pre_ping``.

    Configured in endpoints.yml with ``type: bot.tracker_store.SQLTrackerStore``
    and the same keys as Rasa's ``type: SQL``.
    """

    engine: Any
    sessionmaker: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True,
                                       **tracker_store.create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
