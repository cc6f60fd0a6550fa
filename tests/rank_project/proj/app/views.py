import app  # noqa: F401
from fw import conf


def page():
    return conf.NAME
