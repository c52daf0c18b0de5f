"""Table definitions, engine and reference data. No logic beyond that."""
