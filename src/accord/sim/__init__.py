"""accord.sim: the simulation engine (see docs/architecture.md)."""
