"""statistics and directory together

Revision ID: 14c133fafd8b
Revises: 9e239402f74a, e215deed1b6b
Create Date: 2026-12-06 20:26:18.869007

"""
from alembic import op
import sqlalchemy as sa

import companion.types


# revision identifiers, used by Alembic.
revision = '14c133fafd8b'
down_revision = ('9e239402f74a', 'e215deed1b6b')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
