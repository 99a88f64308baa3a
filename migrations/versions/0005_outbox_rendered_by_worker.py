"""outbox rendered by the worker

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00.000000

The request queues what an e-mail needs (recipient's name and locale, a JSON context); the
worker renders the bodies before the first attempt, so they are empty until then.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('locale', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=True)
        batch_op.alter_column('body_html', existing_type=sa.Text(), nullable=True)


def downgrade():
    # The old code cannot render: a message still without bodies is given up, not sent empty.
    op.execute(
        "UPDATE outbox SET body_text = COALESCE(body_text, ''),"
        " body_html = COALESCE(body_html, ''), status = 'dead',"
        " last_error = 'not rendered before the downgrade to 0004'"
        " WHERE body_text IS NULL OR body_html IS NULL")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('body_html', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('context')
        batch_op.drop_column('locale')
        batch_op.drop_column('recipient_name')
