"""musculoskeletal layer (see docs/ARCHITECTURE.md)."""
