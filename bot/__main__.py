"""``python -m bot``: the screener's command line (see :mod:`bot.cli`)."""

import os
import sys

from bot.cli import main

# The databases and files the commands create hold candidates' answers: owner only.
os.umask(0o077)
sys.exit(main())
