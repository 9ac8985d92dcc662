"""Clearinfo: a council's adult social care information, in formats everyone can use."""

__version__ = "0.1.0"
