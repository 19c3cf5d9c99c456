// Module Render: see Docs/architecture.md for what it owns.
