"""calsync sync commands (placeholder until implemented)."""
