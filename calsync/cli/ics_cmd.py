"""calsync ics commands (placeholder until implemented)."""
