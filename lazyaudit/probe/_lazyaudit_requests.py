"""The request driver of `lazyaudit requests`: after the probe booted the target, send
requests through the application it built, inside the same process, and record what
they add to it and what they keep.

Runs in the target's interpreter, loaded by probe.py once the boot is over, with the
probe's rules: standard library only, Python 3.9+, nothing of lazyaudit. Each request
is a standard-library WSGI environ (not Django's test client, which imports dozens of
modules and changes CSRF and template behaviour), every response iterated and closed.

Two runs, one per process: `rss` reads the process's memory after each round, the
time, status and memory of each URL's first hit and the modules imported while
serving; `trace` runs the same requests under tracemalloc and reads, after each
round, the traced bytes by allocation site (the first frame in the project's code)
and the length and deep size of every container and lru_cache of the project's
modules; at the end, the request objects still alive and what holds them.
"""

import gc
import os
import sys
import time

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
HERE = os.path.abspath(__file__)
SITE_FLOOR = 512            # bytes: a site that grew less over the whole run is noise
MAX_SITES = 200
MAX_REFERRER_CALLS = 400    # gc.get_referrers calls per holder search
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
            requests += [{"method": "GET", "path": path, "headers": [], "body": None}
                         for path in found if path not in [r["path"] for r in requests]]
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


# -- what grew: allocation sites ---------------------------------------------

class Places(object):
    """Which files are the project's, which are the driver's, and the package of a file."""

    def __init__(self, project):
        self.project = os.path.join(os.path.abspath(project), "")
        outside = [sys.prefix, sys.base_prefix, sys.exec_prefix]
        outside += [p for p in sys.path if p and ("site-packages" in p or "dist-packages" in p)]
        self.outside = tuple(os.path.join(os.path.abspath(p), "") for p in outside if p)
        self.own = {HERE, os.path.join(os.path.dirname(HERE), "probe.py")}
        self.cache = {}

    def is_project(self, filename):
        known = self.cache.get(filename)
        if known is None:
            known = (filename.startswith(self.project)
                     and not filename.startswith(self.outside)
                     and filename not in self.own)
            self.cache[filename] = known
        return known

    def package(self, filename):
        if filename.startswith("<"):
            return "<frozen>" if filename.startswith("<frozen") else filename
        for folder in self.outside:
            if filename.startswith(folder):
                rest = filename[len(folder):].split(os.sep)
                if "site-packages" in rest:
                    rest = rest[rest.index("site-packages") + 1:]
                elif "dist-packages" in rest:
                    rest = rest[rest.index("dist-packages") + 1:]
                elif rest[:1] == ["lib"] and len(rest) > 2:
                    return "stdlib:" + rest[2].partition(".")[0]
                return rest[0].partition(".")[0] if rest else filename
        return os.path.basename(filename).partition(".")[0]


class Sites(object):
    """Traced bytes and blocks grouped by where they were allocated: the first frame
    in the project's code (file, line), else the package of the innermost frame."""

    def __init__(self, places, tracemalloc_module):
        self.places = places
        self.get_traces = tracemalloc_module._get_traces

    def reading(self):
        keys = {}
        totals = {}
        own = self.places.own
        for trace in self.get_traces():
            frames = trace[2]
            key = keys.get(id(frames))
            if key is None:
                key = self.key_of(frames, own)
                keys[id(frames)] = key
            if key is False:
                continue
            found = totals.get(key)
            if found is None:
                totals[key] = [trace[1], 1]
            else:
                found[0] += trace[1]
                found[1] += 1
        return totals

    def key_of(self, frames, own):
        if not frames or frames[0][0] in own:
            return False   # the driver's own bookkeeping
        innermost = frames[0][0]
        package = None if self.places.is_project(innermost) else self.places.package(innermost)
        for filename, line in frames:
            if filename in own:
                break
            if self.places.is_project(filename):
                return (filename, line, package)
        return (None, None, package)


def site_series(readings, floor=SITE_FLOOR):
    """For each site that grew by at least `floor` bytes at some round, its bytes and
    blocks at each reading, minus those of the first (the end of the warm-up)."""
    base = readings[0]
    keys = set()
    for reading in readings[1:]:
        for key, (size, count) in reading.items():
            if abs(size - base.get(key, (0, 0))[0]) >= floor:
                keys.add(key)
    series = []
    for key in keys:
        start = base.get(key, (0, 0))
        sizes = [reading.get(key, (0, 0))[0] - start[0] for reading in readings]
        counts = [reading.get(key, (0, 0))[1] - start[1] for reading in readings]
        series.append({"file": key[0], "line": key[1], "package": key[2],
                       "bytes": sizes, "blocks": counts})
    series.sort(key=lambda item: -abs(item["bytes"][-1]))
    return series[:MAX_SITES]


# -- what grew: the project's state ------------------------------------------

CONTAINERS = None


def _container_types():
    from collections import OrderedDict, defaultdict, deque
    return ((defaultdict, "defaultdict"), (OrderedDict, "OrderedDict"), (deque, "deque"),
            (dict, "dict"), (list, "list"), (set, "set"))


class State(object):
    """The containers and lru_caches held by the project's modules: every global and
    class attribute, read by name each time (a module may rebind it)."""

    def __init__(self, places):
        self.places = places
        self.types = _container_types()
        self.entries = []       # [name, kind, owner, attribute]
        for name, module in sorted(list(sys.modules.items()), key=lambda item: item[0]):
            filename = getattr(module, "__file__", None) if module is not None else None
            if not filename or not places.is_project(os.path.abspath(filename)):
                continue
            self.add_namespace(name, module, vars(module), module_name=name)
        self.lengths = [[] for _ in self.entries]
        self.deep = [[] for _ in self.entries]
        self.by_url = [{} for _ in self.entries]
        self.last = [self.length(i) for i in range(len(self.entries))]
        self.last_change = [None for _ in self.entries]
        self.requests = 0
        self.old = None

    def add_namespace(self, prefix, owner, namespace, module_name):
        for attribute, value in list(namespace.items()):
            if attribute.startswith("__") and attribute.endswith("__"):
                continue
            if issubclass(type(value), type) and value.__dict__.get("__module__") == module_name \
                    and owner is not value:
                if prefix == module_name:   # classes of the module, and their own classes
                    self.add_namespace(prefix + "." + attribute, value, dict(vars(value)),
                                       module_name)
                continue
            kind = self.kind_of(value)
            if kind is not None:
                self.entries.append([prefix + "." + attribute, kind, owner, attribute])

    def kind_of(self, value):
        # By type only: isinstance() and hasattr() would run a lazy object's setup.
        cls = type(value)
        if cls.__name__ == "_lru_cache_wrapper":
            return "lru_cache"
        for base, name in self.types:
            if issubclass(cls, base):
                return name
        return None

    def value(self, index):
        entry = self.entries[index]
        return getattr(entry[2], entry[3], None)

    def length(self, index):
        value = self.value(index)
        try:
            if self.entries[index][1] == "lru_cache":
                return value.cache_info().currsize
            return len(value)
        except Exception:
            return None

    def after_request(self, path):
        """Attribute every change of length to the URL of the request just served."""
        self.requests += 1
        for index in range(len(self.entries)):
            length = self.length(index)
            last = self.last[index]
            if length != last:
                if length is not None and last is not None:
                    counts = self.by_url[index]
                    counts[path] = counts.get(path, 0) + (length - last)
                self.last[index] = length
                self.last_change[index] = self.requests

    def start(self):
        """The end of the warm-up: what exists now is not what requests left behind."""
        gc.collect()
        self.old = set(map(id, gc.get_objects()))
        self.requests = 0
        self.last_change = [None for _ in self.entries]
        self.by_url = [{} for _ in self.entries]
        self.read()

    def read(self):
        for index in range(len(self.entries)):
            self.lengths[index].append(self.length(index))
            self.deep[index].append(self.deep_size(self.value(index)))

    def deep_size(self, root):
        """The container and what is reachable from it that was allocated after the
        warm-up, stopping at modules, classes and functions."""
        import types
        stop = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType,
                types.MethodType, types.CodeType, types.FrameType)
        old = self.old
        seen = {id(root)}
        stack = [root]
        size = 0
        while stack:
            item = stack.pop()
            try:
                size += sys.getsizeof(item)
            except Exception:
                pass
            for child in gc.get_referents(item):
                key = id(child)
                if key in seen or key in old or issubclass(type(child), stop):
                    continue
                seen.add(key)
                stack.append(child)
        return size

    def to_json(self):
        return [{"name": entry[0], "type": entry[1], "lengths": self.lengths[i],
                 "deep_bytes": self.deep[i], "by_url": self.by_url[i],
                 "last_change": self.last_change[i]}
                for i, entry in enumerate(self.entries)]


# -- what outlived its request ------------------------------------------------

def survivors(places, exclude_ids):
    """The request and response objects still alive after every response was closed,
    with what holds each kind."""
    try:
        from django.http import HttpRequest
        from django.http.response import HttpResponseBase
    except ImportError:
        return []
    gc.collect()
    found = {}
    for item in gc.get_objects():
        cls = type(item)   # not isinstance(): it would run a lazy object's setup
        if issubclass(cls, (HttpRequest, HttpResponseBase)):
            found.setdefault(cls.__module__ + "." + cls.__qualname__, []).append(item)
    item = cls = None
    result = []
    for name in sorted(found):
        items = found[name]
        for item in items[:5]:   # the first one whose holder has a name
            holder, path = holder_of(item, places, exclude_ids | {id(items), id(found)})
            if holder:
                break
        item = None
        result.append({"type": name, "count": len(items), "holder": holder, "path": path})
        del items[:]
    found.clear()
    return result


def holder_of(target, places, exclude_ids):
    """The nearest module global, class attribute or attribute of an instance of one of
    the project's classes that keeps `target` alive, and what lies between (innermost
    first): a breadth-first walk up gc.get_referrers."""
    import types
    modules = {id(vars(module)): name for name, module in list(sys.modules.items())
               if module is not None}
    level = [target]
    paths = {id(target): []}
    seen = {id(target), id(level), id(paths)} | set(exclude_ids)
    calls = 0
    while level and calls < MAX_REFERRER_CALLS:
        following = []
        seen.add(id(following))
        for item in level:
            calls += 1
            referrers = gc.get_referrers(item)
            seen.add(id(referrers))
            path = paths[id(item)]
            for referrer in referrers:
                if id(referrer) in seen:
                    continue
                if type(referrer) is types.FrameType:
                    if referrer.f_code.co_filename in places.own:
                        continue   # the driver's own running code, not a holder
                    # A frame kept by a stored traceback (an exception kept somewhere).
                    seen.add(id(referrer))
                    following.append(referrer)
                    paths[id(referrer)] = path + ["frame of %s (%s:%d)" % (
                        referrer.f_code.co_name, referrer.f_code.co_filename,
                        referrer.f_lineno)]
                    continue
                seen.add(id(referrer))
                if type(referrer).__name__ == "Context" and \
                        type(referrer).__module__ in ("_contextvars", "contextvars"):
                    # The value of a context variable, in a context no object refers
                    # to (the thread's current one): name the variable.
                    names = [var.name for var, value in list(referrer.items())
                             if id(value) in seen]
                    return ("context variable %s" % ", ".join(names) if names
                            else "a context variable"), path
                owner, attribute = _owner(referrer, item, modules)
                if owner is None:
                    following.append(referrer)
                    paths[id(referrer)] = path + [type(referrer).__name__]
                    continue
                if type(owner) is str:
                    return owner + "." + attribute, path
                name = _qualified(owner, attribute)
                if issubclass(type(owner), type) or _is_project_class(type(owner), places):
                    return name, path
                if id(owner) not in seen:
                    seen.add(id(owner))
                    following.append(owner)
                    paths[id(owner)] = path + [name]
            referrers = None
            if calls >= MAX_REFERRER_CALLS:
                break
        level = following
    return None, []


def _owner(referrer, item, modules):
    """(module name or the object whose namespace it is, attribute) when `referrer` is
    a namespace holding `item`; else (None, None). Never runs the app's __getattr__."""
    if type(referrer) is dict:
        attribute = next((key for key, value in referrer.items() if value is item), None)
        if not isinstance(attribute, str):
            return None, None
        if id(referrer) in modules:
            return modules[id(referrer)], attribute
        for owner in gc.get_referrers(referrer):
            if issubclass(type(owner), type):
                if owner.__dict__.get(attribute) is item:
                    return owner, attribute
            elif _namespace(owner) is referrer:
                return owner, attribute
        return None, None
    if issubclass(type(referrer), type):
        return None, None
    namespace = _namespace(referrer)
    if type(namespace) is dict:
        attribute = next((key for key, value in namespace.items() if value is item), None)
        if isinstance(attribute, str):
            return referrer, attribute
    return None, None


def _namespace(owner):
    try:
        return object.__getattribute__(owner, "__dict__")
    except Exception:
        return None


def _is_project_class(cls, places):
    module = sys.modules.get(getattr(cls, "__module__", None) or "")
    filename = getattr(module, "__file__", None)
    return bool(filename) and places.is_project(os.path.abspath(filename))


def _qualified(owner, attribute):
    cls = owner if issubclass(type(owner), type) else type(owner)
    return "%s.%s.%s" % (cls.__module__, cls.__qualname__, attribute)


# -- the run ------------------------------------------------------------------

def drive(application, config, load_helper, progress=None):
    """Send the warm-up and the rounds; return the run's document."""
    settings = config["requests"]
    mode = settings["mode"]
    django = config["kind"] == "django"
    requests, host = plan(config, load_helper)
    asgi = is_asgi(application, config)
    sender = (AsgiSender if asgi else Sender)(application, host, django)
    places = Places(config.get("project") or os.getcwd())
    tracemalloc = sites = state = None
    if mode == "trace":
        import tracemalloc
        tracemalloc.start(settings["frames"])
        sites = Sites(places, tracemalloc)
        state = State(places)
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
        document["sites"] = site_series(readings)
        del readings[:]
        document["state"] = state.to_json()
        document["survivors"] = survivors(places, {id(driver), id(sender), id(state)})
        tracemalloc.stop()
    return document
