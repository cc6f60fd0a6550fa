"""A heavy library's submodule, also loaded by hv.server."""

BLOB = bytes(range(256)) * (12 * 4096)
def verify():
    return "ok"
