"""A heavy library's submodule that loads another (like fido2.server)."""

from hv import webauthn
BLOB = bytes(range(256)) * (8 * 4096)
def serve():
    return webauthn.verify()
