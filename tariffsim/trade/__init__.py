"""What tariffs do to trade and revenue: imports responding to duty with a constant
elasticity (`elasticities`, `flows`), the duty they pay, and the effective rate weighted by
the responded imports (post-substitution) beside the base-year-weighted one."""
