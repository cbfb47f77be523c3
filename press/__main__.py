"""`python -m press` is the `press` command."""

from press.cli import main

main()
