"""Accord: a negotiation support system for multi-party, multi-issue bargaining."""

__version__ = "0.1.0"
