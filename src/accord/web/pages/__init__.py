"""What each dashboard page shows, built from model values and ledger views (no I/O, no HTML)."""
