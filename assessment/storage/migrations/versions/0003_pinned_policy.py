"""pin the scoring policy with the questionnaires

Assessments started before the policy file existed are scored with policy version 1, the
first one shipped: it is added to their pinned definitions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FIRST_POLICY = Path(__file__).resolve().parents[1] / "data" / "policy_v1.yaml"


def upgrade() -> None:
    snapshots = sa.table("definition_snapshots", sa.column("digest", sa.String()), sa.column("sources", sa.JSON()))
    connection = op.get_bind()
    policy = FIRST_POLICY.read_text(encoding="utf-8")
    for digest, sources in connection.execute(sa.select(snapshots.c.digest, snapshots.c.sources)).all():
        if "policy.yaml" not in sources:
            connection.execute(
                snapshots.update()
                .where(snapshots.c.digest == digest)
                .values(sources={**sources, "policy.yaml": policy})
            )


def downgrade() -> None:
    """Nothing to undo: the older code ignores the extra file."""
