"""accord.web (see DESIGN.md)."""
