"""Frontdesk: an open-source AI front desk for therapy practices."""

__version__ = "0.1.0"
