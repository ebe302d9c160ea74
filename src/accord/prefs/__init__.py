"""accord.prefs (see DESIGN.md)."""
