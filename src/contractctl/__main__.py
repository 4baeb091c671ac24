"""``python -m contractctl``."""

from contractctl.cli import main

main()
