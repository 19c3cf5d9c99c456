// Module Evaluation: see Docs/architecture.md for what it owns.
