"""kept change over the work and kept reports

Each consented grant keeps its change over the work once its weeks 5-8 are settled
(`grants.change_figures`, NULL until then: worked out from the diary on the next report);
the made-safe report of a year is kept for other processes (`stats_reports`).

Revision ID: b49e2096b922
Revises: 64306f02a7a7
Create Date: 2026-12-07 01:32:36.123458

"""
from alembic import op
import sqlalchemy as sa

import companion.types


# revision identifiers, used by Alembic.
revision = 'b49e2096b922'
down_revision = '64306f02a7a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stats_reports',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('computed_at', companion.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_stats_reports'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_figures', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_column('change_figures')

    op.drop_table('stats_reports')
