"""What requests left behind, for the `trace` run of `lazyaudit requests`: traced
bytes grouped by allocation site (the first frame in the project's code, else a
package), the length and deep size of every container and lru_cache of the project's
modules, and the request objects still alive at the end with what holds them.

Runs in the target's interpreter, loaded by _lazyaudit_requests.py through the probe
(a module that is not in sys.modules): standard library only, Python 3.9+, nothing of
lazyaudit, and never a call that would run the app's code (a lazy object's setup):
types are judged by type(), not isinstance() or hasattr().
"""

import gc
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# lazyaudit's own files in the target: their frames are never the app's.
OWN = {os.path.join(HERE, name) for name in os.listdir(HERE)
       if name == "probe.py" or (name.startswith("_lazyaudit_") and name.endswith(".py"))}
SITE_FLOOR = 512            # bytes: a site that grew less over the whole run is noise
MAX_SITES = 200
MAX_REFERRER_CALLS = 400    # gc.get_referrers calls per holder search


# -- what grew: allocation sites ---------------------------------------------

class Places(object):
    """Which files are the project's, which are the driver's, and the package of a file."""

    def __init__(self, project):
        self.project = os.path.join(os.path.abspath(project), "")
        outside = [sys.prefix, sys.base_prefix, sys.exec_prefix]
        outside += [p for p in sys.path if p and ("site-packages" in p or "dist-packages" in p)]
        self.outside = tuple(os.path.join(os.path.abspath(p), "") for p in outside if p)
        self.own = OWN
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
