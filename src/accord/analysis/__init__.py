"""accord.analysis (see DESIGN.md)."""
