"""``python -m libmpk.bench``: the same as ``mpk bench``."""

from .cli import cli

raise SystemExit(cli())
