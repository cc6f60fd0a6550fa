"""A framework stand-in: loads its own settings module."""
from fw import conf  # noqa: F401
