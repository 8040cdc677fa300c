"""invitation binding: an invitation link works in the first browser that opens it

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:12:40.311804

Invitations opened before this revision count as bound from the time they
were last opened: the browsers that hold their conversation keep it, and no
new browser can take it over with the old link.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bound_at', sa.DateTime(timezone=True), nullable=True))

    op.execute("UPDATE invitations SET bound_at = last_used_at WHERE last_used_at IS NOT NULL")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('bound_at')
