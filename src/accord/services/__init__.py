"""accord.services (see DESIGN.md)."""
