"""The orchestrator's tables: conversations, their transcripts and their workflow checkpoints."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("customer_id", String(64), nullable=True, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("turns", Integer, nullable=False, default=0),
    Column("last_agent", String(64), nullable=True),
    Column("pending_request_id", String(128), nullable=True),
    Column("checkpoint_id", String(128), nullable=True),
    Column("busy_until", DateTime(timezone=True), nullable=True),  # the lease's expiry
    Column("lease_owner", String(64), nullable=True),  # the id of the turn holding the lease
)

conversation_messages = Table(
    "conversation_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id", ondelete="CASCADE"), index=True),
    Column("turn", Integer, nullable=False),
    Column("role", String(16), nullable=False),
    Column("author", String(64), nullable=False),
    Column("text", Text, nullable=False),
    # shopper messages: pending, answered or unanswered; replies: complete or interrupted
    Column("status", String(16), nullable=False, server_default="complete"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

workflow_checkpoints = Table(
    "workflow_checkpoints",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(128), nullable=False, unique=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("workflow_name", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("data", Text, nullable=False),
)
