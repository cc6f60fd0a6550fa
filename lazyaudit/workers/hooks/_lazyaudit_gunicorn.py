"""lazyaudit's gunicorn configuration for `lazyaudit workers`: the user's own
configuration file first, then lazyaudit's hooks chained after theirs.

It runs inside gunicorn's master (standard library only, Python 3.9+). With
`gc_freeze`, it does what Python's gc documentation advises for fork without exec:
gc.disable() early in the master, gc.freeze() right before each fork, gc.enable()
early in each worker.
"""

import ast
import gc
import os

with open(os.environ["LAZYAUDIT_WORKERS_CONFIG"], encoding="utf-8") as _handle:
    _LAZYAUDIT = ast.literal_eval(_handle.read())

if _LAZYAUDIT.get("server_config"):
    _path = _LAZYAUDIT["server_config"]
    with open(_path, "rb") as _handle:
        exec(compile(_handle.read(), _path, "exec"), globals())


# gunicorn 25.1+ opens a control socket at one path per user: a measured server must
# not take it from a gunicorn already running on this machine (older ones ignore this).
control_socket_disable = True


def _theirs(name):
    hook = globals().get(name)
    return hook if callable(hook) else None


if _LAZYAUDIT.get("gc_freeze"):
    gc.disable()
    _their_pre_fork, _their_post_fork = _theirs("pre_fork"), _theirs("post_fork")

    def pre_fork(server, worker):
        if _their_pre_fork:
            _their_pre_fork(server, worker)
        gc.freeze()

    def post_fork(server, worker):
        gc.enable()
        if _their_post_fork:
            _their_post_fork(server, worker)
