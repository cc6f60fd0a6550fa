"""A framework stand-in's settings: the framework loads it, and it imports the framework."""

import fw  # noqa: F401
NAME = "conf"
BLOB = bytes(range(256)) * (12 * 4096)
