"""Private memory, imported twice by one project file."""

TABLE = bytes(range(256)) * (8 * 4096)
