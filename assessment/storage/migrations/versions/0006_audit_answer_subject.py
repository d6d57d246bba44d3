"""an answer's area and question on its audit entries, so restoring one reads them rather than a label

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("question", sa.String(length=64), nullable=True))
    entries = sa.table(
        "audit_entries",
        sa.column("action", sa.String),
        sa.column("subject", sa.String),
        sa.column("area", sa.String),
        sa.column("question", sa.String),
    )
    # Answer entries written before this revision name the answer only in their subject, "area.question".
    connection = op.get_bind()
    changed = connection.execute(sa.select(entries.c.subject).where(entries.c.action == "answer.changed")).scalars()
    for subject in set(changed):
        area, _dot, question = subject.partition(".")
        connection.execute(
            entries.update()
            .where(entries.c.action == "answer.changed", entries.c.subject == subject)
            .values(area=area, question=question)
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("question")
        batch_op.drop_column("area")
