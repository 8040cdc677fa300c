"""self identification: candidates' voluntary sex and race/ethnicity, for the bias audit

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:20:00.000000

A table of its own, read only by the bias audit (bot.audit); one row per
candidate, deleted when the candidate is erased.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('self_identifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=32), nullable=False),
    sa.Column('race_ethnicity', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_self_identifications_candidate_id_candidates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_identifications')),
    sa.UniqueConstraint('candidate_id', name=op.f('uq_self_identifications_candidate_id'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('self_identifications')
