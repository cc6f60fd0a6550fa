import hv.server
import hv.webauthn


def login():
    return hv.server.serve(), hv.webauthn.verify()
