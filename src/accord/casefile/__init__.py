"""accord.casefile (see DESIGN.md)."""
