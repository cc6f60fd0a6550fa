"""A heavy library (like fido2)."""
