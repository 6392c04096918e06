"""The ``commonground`` console command (entry point ``commonground.cli:main``)."""

from commonground.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
