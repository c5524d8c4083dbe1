"""The single definition of the package and dataset version."""

__version__ = "2.0.0"

#: Release date of ``__version__`` (ISO 8601). Fixed, so builds stay reproducible.
__release_date__ = "2026-12-01"
