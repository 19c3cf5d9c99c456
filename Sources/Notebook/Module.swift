// Module Notebook: see Docs/architecture.md for what it owns.
