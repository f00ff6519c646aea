"""The bridge's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("last_seq", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    # The handoff under way (or the last one), mirrored here for the queue query.
    sa.Column("episode_id", sa.Integer),
    sa.Column("priority", sa.Integer),
    sa.Column("reason", sa.String(32)),
    sa.Column("category", sa.String(32)),
    sa.Column("headline", sa.Text),
    sa.Column("summary", sa.JSON),
    sa.Column("queued_at", sa.Float),
    sa.Column("agent_id", sa.Integer),
    sa.Column("agent_name", sa.String(128)),
    # Who helped last, so a returning customer is offered to them first.
    sa.Column("last_agent_id", sa.Integer),
    sa.Column("offer_agent_id", sa.Integer),
    sa.Column("offer_until", sa.Float),
    # Crisis resources shown to the customer; set once, never cleared by the bridge.
    sa.Column("crisis", sa.JSON),
    sa.Index("ix_conversations_state", "state", "priority", "queued_at"),
    sa.Index("ix_conversations_agent", "agent_id", "state"),
)

episodes = sa.Table(
    "episodes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("category", sa.String(32)),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("queued_at", sa.Float, nullable=False),
    sa.Column("accepted_at", sa.Float),
    sa.Column("ended_at", sa.Float, index=True),
    sa.Column("agent_id", sa.Integer),
    sa.Column("agent_name", sa.String(128)),
    sa.Column("outcome", sa.String(16)),
    sa.Column("next_steps", sa.Text),
    sa.Column("handback_note", sa.Text),
    sa.Column("felt_heard", sa.Boolean),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("client_id", sa.String(80)),
    sa.Column("sender", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("buttons", sa.JSON, nullable=False),
    sa.Column("agent_name", sa.String(128)),
    sa.Column("ts", sa.Float, nullable=False),
    sa.UniqueConstraint("conversation_id", "seq"),
    sa.UniqueConstraint("conversation_id", "client_id"),
)

state_changes = sa.Table(
    "state_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("from_state", sa.String(16), nullable=False),
    sa.Column("to_state", sa.String(16), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

followups = sa.Table(
    "followups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("client_id", sa.String(80)),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("callback", sa.String(64)),
    sa.Column("urgent", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("done_at", sa.Float),
    sa.Column("done_by", sa.String(128)),
    sa.UniqueConstraint("conversation_id", "client_id"),
)

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(128), nullable=False),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

agent_sessions = sa.Table(
    "agent_sessions",
    metadata,
    sa.Column("token_digest", sa.String(64), primary_key=True),
    sa.Column("agent_id", sa.Integer, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

#: On SQLite a message is stored by one statement (see storage/messages.py);
#: this keeps its conversation's last_seq and updated_at in step, inside that
#: statement. PostgreSQL updates the conversation itself, before the insert.
SQLITE_SEQ_TRIGGER = sa.text(
    "CREATE TRIGGER IF NOT EXISTS messages_seq AFTER INSERT ON messages BEGIN "
    "UPDATE conversations SET last_seq = NEW.seq, updated_at = NEW.ts "
    "WHERE id = NEW.conversation_id; END")
