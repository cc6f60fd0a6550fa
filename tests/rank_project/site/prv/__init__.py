"""Private memory only."""

BLOB = bytes(range(256)) * (12 * 4096)
