"""``python -m dyad`` runs the command-line interface."""

from dyad.cli import main

main()
