"""accord.api (see DESIGN.md)."""
