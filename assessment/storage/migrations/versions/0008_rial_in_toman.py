"""a workspace may show Iranian rial amounts in tomans, as Iranian business quotes prices

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# A plain ALTER TABLE, not a batch: SQLite's batch mode rebuilds the table, which the foreign keys
# of every membership, organisation and token pointing at a workspace forbid.
def upgrade() -> None:
    op.add_column("workspaces", sa.Column("rial_in_toman", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("workspaces", "rial_in_toman")
