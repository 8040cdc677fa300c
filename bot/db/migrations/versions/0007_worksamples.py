"""work samples: question kind, the planned items per interview, the instance per answer

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:40:00.000000

Work-sample items are question rows of kind 'worksample' (answers and scores
reuse the existing tables). interviews.worksamples records the items planned
(item id, bank version, seed); answers.worksample the instance asked.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='situational', nullable=False))
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worksamples', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worksample', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('worksample')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_column('worksamples')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('kind')
