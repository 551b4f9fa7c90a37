"""app layer (see docs/ARCHITECTURE.md)."""
