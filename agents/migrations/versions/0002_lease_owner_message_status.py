"""Leases name their owner; a shopper's message records whether it was answered.

Revision ID: 0002_lease_owner_message_status
Revises: 0001_baseline
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_lease_owner_message_status"
down_revision: str | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _columns(table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # A database that create_all made with these columns already (taken as the baseline) keeps them.
    if "lease_owner" not in _columns("conversations"):
        op.add_column("conversations", sa.Column("lease_owner", sa.String(length=64), nullable=True))
    if "status" not in _columns("conversation_messages"):
        op.add_column(
            "conversation_messages",
            sa.Column("status", sa.String(length=16), nullable=False, server_default="complete"),
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation_messages") as batch:
        batch.drop_column("status")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("lease_owner")
