"""From files to a checked scenario: YAML text (yamlio) → validated items (model,
diagnostics) → one merged scenario (loading) → cross-checks (checks, chains)."""
