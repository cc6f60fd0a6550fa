"""The request driver of `lazyaudit requests`: after the probe booted the target, send
requests through the application it built, inside the same process, and record what
they add to it and what they keep.

Runs in the target's interpreter, loaded by probe.py once the boot is over, with the
probe's rules: standard library only, Python 3.9+, nothing of lazyaudit. Each request
is a standard-library WSGI environ (not Django's test client, which imports dozens of
modules and changes CSRF and template behaviour), every response iterated and closed.

Two runs, one per process: `rss` reads the process's memory after each round, the
time, status and memory of each URL's hits and the modules imported while serving;
`trace` runs the same requests under tracemalloc and reads what grew with
_lazyaudit_growth.py: after each round, the traced bytes by allocation site and the
project's containers and caches; at the end, the request objects still alive.
"""

import os
import sys
import time

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
ERROR_TEXT = 300


class DriverError(Exception):
    """The requests cannot be sent (no such user, no URL): one line for the user."""


_STATM = []   # the open /proc/self/statm: read twice per request, opened once


def _statm():
    """(anonymous, file-backed) resident bytes of this process."""
    try:
        if not _STATM:
            _STATM.append(os.open("/proc/self/statm", os.O_RDONLY))
        fields = os.pread(_STATM[0], 200, 0).split()
        resident, shared = int(fields[1]), int(fields[2])
        return (resident - shared) * PAGE_SIZE, shared * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0, 0


# -- which requests -----------------------------------------------------------

def plan(config, load_helper):
    """The requests to send (dicts: method, path, headers, body) and the Host header."""
    settings = config["requests"]
    requests = [dict(item) for item in settings.get("urls") or []]
    host = settings.get("host")
    cookie = None
    if config["kind"] == "django":
        urls = load_helper("_lazyaudit_urls")
        from django.conf import settings as django_settings
        if settings.get("walk"):
            from django.urls import get_resolver
            found = []
            urls.walk(get_resolver(), "", found)
            listed = set((r["method"], r["path"]) for r in requests)
            requests += [{"method": "GET", "path": path, "headers": [], "body": None}
                         for path in found if ("GET", path) not in listed]
        host = host or urls.host(list(django_settings.ALLOWED_HOSTS))
        if settings.get("user"):
            cookie = _session_cookie(urls, settings["user"])
    if settings.get("exclude"):
        import re
        patterns = [re.compile(pattern) for pattern in settings["exclude"]]
        requests = [r for r in requests if not any(p.search(r["path"]) for p in patterns)]
    if not requests:
        raise DriverError("no request to send: " + (
            "the URLconf has no pattern without arguments" if settings.get("walk")
            else "the URL list is empty") + (" after --exclude-urls"
                                             if settings.get("exclude") else ""))
    for request in requests:
        if cookie:
            headers = dict(request["headers"])
            headers["Cookie"] = "; ".join(filter(None, [headers.get("Cookie"), cookie]))
            request["headers"] = list(headers.items())
    return requests, host or "localhost"


def _session_cookie(urls, name):
    try:
        return urls.session_cookie(name)
    except SystemExit:
        raise DriverError("--user %s: no such user in the database of %s"
                          % (name, os.environ.get("DJANGO_SETTINGS_MODULE")))


def environ_of(request, host):
    """A WSGI environ (PEP 3333) for one request, built with the standard library."""
    import io
    path, _, query = request["path"].partition("?")
    if "%" in path:
        from urllib.parse import unquote_to_bytes
        path = unquote_to_bytes(path).decode("latin-1")
    body = (request.get("body") or "").encode("latin-1")   # a str in the config (JSON)
    environ = {
        "REQUEST_METHOD": request["method"], "SCRIPT_NAME": "", "PATH_INFO": path,
        "QUERY_STRING": query, "SERVER_NAME": host.partition(":")[0], "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": host,
        "CONTENT_LENGTH": str(len(body)) if body else "",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in request.get("headers") or ():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
        else:
            environ["HTTP_" + key] = value
    return environ


# -- sending ------------------------------------------------------------------

class Sender(object):
    """Calls the WSGI application; a view that raises is a 500 with its exception."""

    def __init__(self, application, host, django):
        self.application = application
        self.host = host
        self.exception = None
        if django:
            from django.core.signals import got_request_exception
            got_request_exception.connect(self.caught, weak=False,
                                          dispatch_uid="lazyaudit-requests")

    def caught(self, sender=None, **kwargs):
        kind, value = sys.exc_info()[:2]
        if kind is not None:
            self.exception = ("%s: %s" % (kind.__name__, value))[:ERROR_TEXT]

    def close(self):
        pass

    def send(self, request):
        """(status, exception or None)."""
        self.exception = None
        status = []

        def start_response(line, headers, exc_info=None):
            status[:] = [line.split(" ", 1)[0]]

        environ = environ_of(request, self.host)
        try:
            response = self.application(environ, start_response)
            try:
                for _ in response:
                    pass
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()
        except Exception as error:
            return "500", ("%s: %s" % (type(error).__name__, error))[:ERROR_TEXT]
        finally:
            response = environ = None
        return (status[0] if status else "none"), self.exception


class AsgiSender(Sender):
    """Calls an ASGI application on one event loop: `lifespan.startup` before the first
    request (an app that refuses lifespan is served without it), `lifespan.shutdown`
    after the last; each request an HTTP scope, its body in one message."""

    def __init__(self, application, host, django):
        import asyncio
        Sender.__init__(self, application, host, django)
        self.asyncio = asyncio
        self.loop = asyncio.new_event_loop()
        self.lifespan = None
        self.shutdown = None
        self.start_lifespan()

    def start_lifespan(self):
        asyncio = self.asyncio
        startup = self.loop.create_future()
        self.shutdown = asyncio.Event()
        messages = [{"type": "lifespan.startup"}]

        async def receive():
            if messages:
                return messages.pop()
            await self.shutdown.wait()
            return {"type": "lifespan.shutdown"}

        async def send(message):
            if message["type"].startswith("lifespan.startup") and not startup.done():
                startup.set_result(message)

        async def run():
            try:
                await self.application({"type": "lifespan", "asgi": {"version": "3.0"},
                                        "state": {}}, receive, send)
            except Exception:
                pass   # no lifespan support: the ASGI spec's servers go on without it
            if not startup.done():
                startup.set_result(None)

        self.lifespan = self.loop.create_task(run())
        message = self.loop.run_until_complete(startup)
        if message is not None and message["type"] == "lifespan.startup.failed":
            raise DriverError("the application's lifespan.startup failed: %s"
                              % message.get("message", ""))

    def close(self):
        if self.lifespan is not None and not self.lifespan.done():
            self.shutdown.set()
            self.loop.run_until_complete(self.asyncio.wait([self.lifespan], timeout=10))
        self.loop.close()

    def send(self, request):
        self.exception = None
        return self.loop.run_until_complete(self.exchange(request))

    async def exchange(self, request):
        path, _, query = request["path"].partition("?")
        raw_path = path.encode("latin-1")
        if "%" in path:
            from urllib.parse import unquote
            path = unquote(path)
        headers = [(b"host", self.host.encode("latin-1"))]
        headers += [(name.lower().encode("latin-1"), value.encode("latin-1"))
                    for name, value in request.get("headers") or ()]
        body = (request.get("body") or "").encode("latin-1")
        if body:
            headers.append((b"content-length", str(len(body)).encode()))
        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
                 "http_version": "1.1", "method": request["method"], "scheme": "http",
                 "path": path, "raw_path": raw_path, "query_string": query.encode("latin-1"),
                 "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
                 "server": (self.host.partition(":")[0], 80), "state": {}}
        done = self.asyncio.Event()
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        status = []

        async def receive():
            if pending:
                return pending.pop()
            await done.wait()   # the client stays until the response is complete
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                status[:] = [str(message["status"])]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        try:
            await self.application(scope, receive, send)
        except Exception as error:
            return "500", ("%s: %s" % (type(error).__name__, error))[:ERROR_TEXT]
        finally:
            done.set()
            scope = None
        return (status[0] if status else "none"), self.exception


def is_asgi(application, config):
    """Django's --asgi, or an --app whose call is a coroutine function (ASGI 3)."""
    if config["kind"] == "django":
        return bool(config.get("asgi"))
    import inspect
    call = application if inspect.isroutine(application) else getattr(
        type(application), "__call__", None)
    return inspect.iscoroutinefunction(call)


class UrlRecord(object):
    """What one URL got: its statuses, its first hit, its later hits' times."""

    def __init__(self, request):
        self.request = request
        self.statuses = {}
        self.first = None
        self.times = []
        self.later_rss = 0      # what the later hits added to the anonymous RSS, in all
        self.errors = []

    def to_json(self):
        times = sorted(self.times)
        return {"method": self.request["method"], "path": self.request["path"],
                "statuses": self.statuses, "first": self.first,
                "later": {"count": len(times),
                          "median_time_ns": times[len(times) // 2] if times else None,
                          "max_time_ns": times[-1] if times else None,
                          "rss_anon_bytes": self.later_rss if self.later_rss is not None
                          and times else None},
                "errors": self.errors}


class Driver(object):
    def __init__(self, sender, requests, mode, state=None):
        self.sender = sender
        self.urls = [UrlRecord(request) for request in requests]
        self.mode = mode
        self.state = state
        self.sent = 0
        self.progress = None    # called with (stage, requests sent, path)
        self.known = set(sys.modules)
        self.count = len(sys.modules)   # sys.modules' length when it was last read
        self.late = []

    def one(self, record):
        rss_before = _statm()[0] if self.mode == "rss" else 0
        started = time.perf_counter_ns()
        status, exception = self.sender.send(record.request)
        elapsed = time.perf_counter_ns() - started
        self.sent += 1
        record.statuses[status] = record.statuses.get(status, 0) + 1
        if exception and len(record.errors) < 3 and exception not in record.errors:
            record.errors.append(exception)
        new = []
        if len(sys.modules) != self.count:   # one comparison per request, most of the time
            new = sorted(name for name in list(sys.modules) if name not in self.known)
            self.known.update(new)
            self.count = len(sys.modules)
        grown = _statm()[0] - rss_before if self.mode == "rss" else None
        if record.first is None:
            record.first = {"status": status, "time_ns": elapsed, "modules": len(new),
                            "rss_anon_bytes": grown}
        else:
            record.times.append(elapsed)
            if grown is not None:
                record.later_rss += grown
        if new:
            self.late.append({"path": record.request["path"], "modules": new,
                              "time_ns": elapsed,
                              "rss_anon_bytes": (record.first["rss_anon_bytes"]
                                                 if record.first and not record.times
                                                 else None)})
        if self.state is not None:
            self.state.after_request(record.request["path"])

    def send(self, count, start, stage="warmup"):
        for index in range(start, start + count):
            record = self.urls[index % len(self.urls)]
            self.one(record)
            if self.progress is not None and index % 10 == 0:
                self.progress(stage, self.sent, record.request["path"])


# -- the run ------------------------------------------------------------------

def drive(application, config, load_helper, progress=None):
    """Send the warm-up and the rounds; return the run's document."""
    settings = config["requests"]
    mode = settings["mode"]
    django = config["kind"] == "django"
    requests, host = plan(config, load_helper)
    if mode == "list":   # --list-urls: what would be sent, and nothing sent
        return {"mode": mode, "host": host,
                "requests": [(r["method"], r["path"]) for r in requests]}
    asgi = is_asgi(application, config)
    sender = (AsgiSender if asgi else Sender)(application, host, django)
    tracemalloc = sites = state = growth = places = None
    if mode == "trace":
        growth = load_helper("_lazyaudit_growth")
        places = growth.Places(config.get("project") or os.getcwd())
        import tracemalloc
        tracemalloc.start(settings["frames"])
        sites = growth.Sites(places, tracemalloc)
        state = growth.State(places)
    driver = Driver(sender, requests, mode, state)
    driver.progress = progress
    began = time.perf_counter_ns()
    driver.send(settings["warmup"] * len(requests), 0)
    warmup_ns = time.perf_counter_ns() - began
    rounds = []
    readings = []

    def checkpoint(seconds):
        anon, file_backed = _statm()
        traced = None
        if sites is not None:
            readings.append(sites.reading())
            # Not get_traced_memory(): the driver's own bookkeeping (these readings)
            # would count as the app's growth.
            traced = sum(size for size, _ in readings[-1].values())
        rounds.append({"requests": driver.sent - warmup_sent, "seconds": seconds,
                       "rss_anon_bytes": anon, "rss_file_bytes": file_backed,
                       "traced_bytes": traced})
        if state is not None and rounds[1:]:
            state.read()

    warmup_sent = driver.sent
    if state is not None:
        state.start()
    checkpoint(warmup_ns / 1e9)
    total, count = settings["requests"], settings["rounds"]
    for index in range(count):
        size = total // count + (1 if index < total % count else 0)
        started = time.perf_counter()
        driver.send(size, driver.sent, "round-%d/%d" % (index + 1, count))
        checkpoint(time.perf_counter() - started)
    sender.close()
    document = {"mode": mode, "host": host, "warmup": warmup_sent,
                "interface": "asgi" if asgi else "wsgi",
                "frames": settings.get("frames") if mode == "trace" else None,
                "urls": [record.to_json() for record in driver.urls],
                "rounds": rounds, "late_imports": driver.late}
    if mode == "trace":
        document["sites"] = growth.site_series(readings)
        del readings[:]
        document["state"] = state.to_json()
        document["survivors"] = growth.survivors(places,
                                                 {id(driver), id(sender), id(state)})
        tracemalloc.stop()
    return document
