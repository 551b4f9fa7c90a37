"""geometry layer (see docs/ARCHITECTURE.md)."""
