"""``python -m libmpk.bench ARGS``: exactly ``mpk bench ARGS``, errors and exit
statuses included (an entry script, so it may call the command line above it)."""

import sys

from libmpk.cli import main

raise SystemExit(main(["bench", *sys.argv[1:]]))
