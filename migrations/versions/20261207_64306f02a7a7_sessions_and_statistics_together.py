"""sessions and statistics together

Revision ID: 64306f02a7a7
Revises: 14c133fafd8b, b4312f686d20
Create Date: 2026-12-07 01:12:03.581759

"""
from alembic import op
import sqlalchemy as sa

import companion.types


# revision identifiers, used by Alembic.
revision = '64306f02a7a7'
down_revision = ('14c133fafd8b', 'b4312f686d20')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
