"""accord.analysis: where a negotiation could land (see docs/architecture.md)."""
