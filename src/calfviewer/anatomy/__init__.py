"""anatomy layer (see docs/ARCHITECTURE.md)."""
