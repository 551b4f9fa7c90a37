"""scene layer (see docs/ARCHITECTURE.md)."""
