"""candidate requests: access, erasure, human review and accommodation requests made in the chat

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:10:00.000000

Only the kind and its times are kept (never the message), with the date by
which recruiters must act on it.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('candidate_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_requests_candidate_id_candidates')),
    sa.ForeignKeyConstraint(['handled_by'], ['recruiters.id'], name=op.f('fk_candidate_requests_handled_by_recruiters')),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_candidate_requests_interview_id_interviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_requests'))
    )
    with op.batch_alter_table('candidate_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_requests_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_candidate_requests_open_due', ['handled_at', 'due_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('candidate_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_requests_open_due')
        batch_op.drop_index(batch_op.f('ix_candidate_requests_candidate_id'))

    op.drop_table('candidate_requests')
