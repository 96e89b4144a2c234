"""``calsync parse``: the agenda as data, for review and correction."""
