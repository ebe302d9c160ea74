"""accord.ledger (see DESIGN.md)."""
