"""sessions that end

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:45:00.000000

users.session_version is copied into the session at sign-in and compared on every request,
so signing out, a new password or deactivation ends sessions kept in saved cookies. Sessions
signed in before this migration carry no version and end with it: everyone signs in once more.
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


def downgrade():
    # A plain ALTER TABLE, also on SQLite (3.35 and later): rebuilding `users` the batch way
    # would drop the table every other table refers to.
    op.drop_column('users', 'session_version')
