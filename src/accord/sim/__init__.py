"""accord.sim (see DESIGN.md)."""
