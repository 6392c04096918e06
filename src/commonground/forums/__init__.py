"""Forums at every level, their cycles and phases."""
