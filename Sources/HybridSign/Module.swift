// Module HybridSign: see Docs/architecture.md for what it owns.
