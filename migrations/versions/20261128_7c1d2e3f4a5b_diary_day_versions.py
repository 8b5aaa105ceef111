"""diary day versions: which UTC dates of a baby's entries have changed

Revision ID: 7c1d2e3f4a5b
Revises: 494cfe6ec497
Create Date: 2026-11-28 05:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1d2e3f4a5b'
down_revision = '494cfe6ec497'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('diary_days',
    sa.Column('baby_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['baby_id'], ['babies.id'], name=op.f('fk_diary_days_baby_id_babies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('baby_id', 'day', name=op.f('pk_diary_days'))
    )


def downgrade():
    op.drop_table('diary_days')
