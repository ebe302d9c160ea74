"""accord.store (see DESIGN.md)."""
