"""sessions that end, and rate limits every worker shares

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:45:00.000000

users.session_version is copied into the session at sign-in and compared on every request,
so signing out, a new password or deactivation ends sessions kept in saved cookies. Sessions
signed in before this migration carry no version and end with it: everyone signs in once more.
rate_limit_counters holds the fixed-window counts of the sign-in and submission limits when
there is no Redis, so all workers count together.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('session_version', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.create_table(
        'rate_limit_counters',
        sa.Column('key', sa.String(length=512), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters')),
    )
    op.create_index(op.f('ix_rate_limit_counters_expires_at'), 'rate_limit_counters',
                    ['expires_at'])


def downgrade():
    op.drop_index(op.f('ix_rate_limit_counters_expires_at'), table_name='rate_limit_counters')
    op.drop_table('rate_limit_counters')
    # A plain ALTER TABLE, also on SQLite (3.35 and later): rebuilding `users` the batch way
    # would drop the table every other table refers to.
    op.drop_column('users', 'session_version')
