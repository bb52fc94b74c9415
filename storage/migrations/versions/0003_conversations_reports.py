"""Conversations with operators, reports from users, and unanswered questions kept unlinked.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", WHEN, nullable=False),
        sa.Column("asked_at", WHEN, nullable=True),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.Column("active_at", WHEN, nullable=False),
        sa.Column("user_window", sa.Integer(), nullable=False),
        sa.Column("user_count", sa.Integer(), nullable=False),
        sa.Column("operator_window", sa.Integer(), nullable=False),
        sa.Column("operator_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("user_key"),
    )
    op.create_index("ix_conversation_topic_id", "conversation", ["topic_id"])
    op.create_table(
        "handoff_block",
        sa.Column("blocked_key", sa.String(length=64), nullable=False),
        sa.Column("until", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("blocked_key"),
    )
    op.create_table(
        "pending_input",
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_key"),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("item_kind", sa.String(length=8), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("resolved_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_item", "report", ["item"])
    op.create_table(
        "operators_topic",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "unanswered_query",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_unanswered_query_day", "unanswered_query", ["day"])
    # Questions kept so far move to the new table, without the key of who asked.
    op.execute(
        "INSERT INTO unanswered_query (day, locale, query) "
        "SELECT day, locale, query FROM event WHERE query IS NOT NULL"
    )
    op.execute("UPDATE event SET query = NULL WHERE query IS NOT NULL")


def downgrade() -> None:
    op.drop_index("ix_unanswered_query_day", table_name="unanswered_query")
    op.drop_table("unanswered_query")
    op.drop_table("operators_topic")
    op.drop_index("ix_report_item", table_name="report")
    op.drop_table("report")
    op.drop_table("pending_input")
    op.drop_table("handoff_block")
    op.drop_index("ix_conversation_topic_id", table_name="conversation")
    op.drop_table("conversation")
