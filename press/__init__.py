"""press: the press office and media relations service of a city."""

__version__ = "0.1.0"
