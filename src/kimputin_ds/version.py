"""The single definition of the package and dataset version."""

__version__ = "1.0.0"
