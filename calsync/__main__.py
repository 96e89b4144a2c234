"""``python -m calsync``."""

from calsync.cli import main

main()
