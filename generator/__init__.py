"""Static site generator for the directory of ECEI-labelled cluster organisations."""

__version__ = "0.1.0"
