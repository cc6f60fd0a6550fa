"""lazyaudit's wrapper around the application a server runs for `lazyaudit workers`.

It runs inside the server's processes, so it keeps the probe's rules: standard
library only, Python 3.9+, nothing of lazyaudit imported, invisible to the app.
Its name starts with `_lazyaudit_` so that no module of the app shadows it.

It loads the target's WSGI or ASGI application (for Django, optionally importing
the URLconf and every view before any fork, then closing the database connections
so that none is shared across forks), and wraps it: each process counts the
requests it served and notes the modules it imported while serving, with the
request that imported them and what its anonymous memory grew by meanwhile. That
goes to one small status file per process, which lazyaudit reads between rounds.
"""

import ast
import json
import mmap
import os
import struct
import sys

with open(os.environ["LAZYAUDIT_WORKERS_CONFIG"], encoding="utf-8") as _handle:
    CONFIG = ast.literal_eval(_handle.read())

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _anon_bytes():
    """Resident minus file-backed pages, from /proc/self/statm (one read)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            fields = handle.read().split()
        return (int(fields[1]) - int(fields[2])) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class _Status:
    """What this process served and imported since the app was loaded (or it forked).

    The request count lives in a small file this process maps into memory (a write
    per request costs a memory store, not a system call); the late imports, which
    change rarely, go to `<pid>.json` when they change. That file, written at once,
    also tells lazyaudit the process is ready."""

    def __init__(self):
        self.counter = None
        self.reset()

    def reset(self):
        self.pid = os.getpid()
        self.requests = 0
        self.known = len(sys.modules)
        self.loaded = set(sys.modules)
        self.late = []        # {"modules", "path", "anon_bytes"} per request that imported
        if self.counter is not None:
            self.counter.close()   # the parent's: this process counts in its own
        path = os.path.join(CONFIG["state"], "%d.count" % self.pid)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.ftruncate(descriptor, 8)
            self.counter = mmap.mmap(descriptor, 8)
        finally:
            os.close(descriptor)
        self.write()

    def before(self):
        self.requests += 1
        struct.pack_into("q", self.counter, 0, self.requests)
        return _anon_bytes(), len(sys.modules)

    def after(self, path, started):
        anon_before, modules_before = started
        if len(sys.modules) == modules_before and len(sys.modules) == self.known:
            return
        self.known = len(sys.modules)
        new = sorted(name for name in list(sys.modules) if name not in self.loaded)
        if new:
            self.loaded.update(new)
            self.late.append({"modules": new, "path": path,
                              "anon_bytes": _anon_bytes() - anon_before})
            self.write()

    def write(self):
        path = os.path.join(CONFIG["state"], "%d.json" % self.pid)
        temporary = path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"pid": self.pid, "late": self.late}))
        os.replace(temporary, path)


def _load_application():
    if CONFIG.get("settings"):
        os.environ["DJANGO_SETTINGS_MODULE"] = CONFIG["settings"]
    if CONFIG["kind"] == "app":
        module_name, _, attribute = CONFIG["value"].partition(":")
        __import__(module_name)
        application = sys.modules[module_name]
        for part in (attribute or "application").split("."):
            application = getattr(application, part)
        return application
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", CONFIG["value"])
    if CONFIG["asgi"]:
        from django.core.asgi import get_asgi_application
        return get_asgi_application()
    import django
    django.setup(set_prefix=False)
    from django.conf import settings
    from django.core.servers.basehttp import get_internal_wsgi_application
    if getattr(settings, "WSGI_APPLICATION", None):
        return get_internal_wsgi_application()   # the project's wsgi.py, as gunicorn runs it
    from django.core.wsgi import get_wsgi_application
    return get_wsgi_application()


def _walk(resolver):
    for pattern in resolver.url_patterns:   # importing each URLconf imports its views
        if hasattr(pattern, "url_patterns"):
            _walk(pattern)


def _warm_urls():
    """What the advised wsgi.py lines do: the URLconf and every view in the master."""
    from django.db import connections
    from django.urls import get_resolver
    _walk(get_resolver())
    connections.close_all()


_target = _load_application()
if CONFIG.get("warm_urls"):
    _warm_urls()
STATUS = _Status()
os.register_at_fork(after_in_child=STATUS.reset)


def _wsgi(environ, start_response):
    started = STATUS.before()
    try:
        return _target(environ, start_response)
    finally:
        STATUS.after(environ.get("PATH_INFO", ""), started)


async def _asgi(scope, receive, send):
    if scope.get("type") != "http":
        return await _target(scope, receive, send)
    started = STATUS.before()
    try:
        return await _target(scope, receive, send)
    finally:
        STATUS.after(scope.get("path", ""), started)


application = _asgi if CONFIG["asgi"] else _wsgi
