"""dashboard indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 18:00:00.000000

The dashboard counts range by range instead of grouping every ticket of the date range: the
SLA figure reads each team and priority's range of ix_tickets_queue (now holding the columns
it counts and filters by), the busiest items each item's range of creation dates. The
response and resolution times read ix_tickets_created alone; with the ticket id in it and the
score in ix_ratings_created, PostgreSQL joins ratings to tickets from the indexes alone. The
number of indexes per ticket stays the same.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

QUEUE = ['team_id', 'priority', 'created_at', 'id']
QUEUE_WIDE = [*QUEUE, 'first_response_at', 'response_due_at', 'resolved_at',
              'resolution_due_at', 'category_id', 'item_id']


def upgrade():
    op.drop_index('ix_tickets_queue', table_name='tickets')
    op.create_index('ix_tickets_queue', 'tickets', QUEUE_WIDE)
    op.drop_index('ix_tickets_item_id', table_name='tickets')
    op.create_index('ix_tickets_item_created', 'tickets', ['item_id', 'created_at'])
    op.drop_index('ix_tickets_created', table_name='tickets')
    op.create_index('ix_tickets_created', 'tickets',
                    ['created_at', 'id', 'first_response_at', 'resolved_at'])
    op.drop_index('ix_ratings_created', table_name='ratings')
    op.create_index('ix_ratings_created', 'ratings', ['created_at', 'ticket_id', 'score'])


def downgrade():
    op.drop_index('ix_ratings_created', table_name='ratings')
    op.create_index('ix_ratings_created', 'ratings', ['created_at'])
    op.drop_index('ix_tickets_created', table_name='tickets')
    op.create_index('ix_tickets_created', 'tickets', ['created_at'])
    op.drop_index('ix_tickets_item_created', table_name='tickets')
    op.create_index('ix_tickets_item_id', 'tickets', ['item_id'])
    op.drop_index('ix_tickets_queue', table_name='tickets')
    op.create_index('ix_tickets_queue', 'tickets', QUEUE)
