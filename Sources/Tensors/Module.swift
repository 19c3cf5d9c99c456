// Module Tensors: see Docs/architecture.md for what it owns.
