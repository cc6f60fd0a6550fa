"""Imported for its side effect: it registers a handler."""

from . import REGISTRY

REGISTRY.append("signal-handler")
