"""dyadscope: an observatory and scenario model for the relationship between two states."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
