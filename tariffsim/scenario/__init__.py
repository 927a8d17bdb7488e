"""From files to a checked scenario: bounded text (files) → YAML values with positions
(yamlio) → validated items (values, model, diagnostics) → one merged scenario (loading) →
cross-checks (checks, chains, graphs)."""
