"""calsync times commands (placeholder until implemented)."""
