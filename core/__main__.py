"""``python -m core``: the command line for automation and cron."""

import sys

from core.cli import main

sys.exit(main())
