"""what a project manager needs to run a survey: each respondent's language, e-mails sent or
failed, reminders, when they opened their link, were last active and finished

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (
    ("language", sa.String(length=10)),
    ("emailed_at", sa.DateTime(timezone=True)),
    ("email_error", sa.String(length=254)),
    ("reminded_at", sa.DateTime(timezone=True)),
    ("opened_at", sa.DateTime(timezone=True)),
    ("last_active_at", sa.DateTime(timezone=True)),
    ("finished_at", sa.DateTime(timezone=True)),
)


# Plain ALTER TABLEs (no SQLite batch rebuild): answers point at respondents by foreign key.
def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("respondents", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for name, _kind in reversed(COLUMNS):
        op.drop_column("respondents", name)
