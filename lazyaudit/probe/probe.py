"""Boot a target under an import hook and record what every module load costs.

This file runs INSIDE the target's interpreter, as a script:

    python probe.py CONFIG OUTPUT_JSON

CONFIG is a file holding a Python literal (a dict written by lazyaudit with
repr(), read with eval() and no builtins: json and ast would load modules the
target may need).

It may import nothing but the standard library, must run on every Python from 3.9
on, and imports as little as it can before the target starts, so that the modules
it needs itself do not hide from the target's numbers. It writes one JSON document
to OUTPUT_JSON and exits 0, or 3 when the target failed to boot (the document then
holds the target's traceback).
"""

import sys
import os
import time
import builtins
import _frozen_importlib as _bootstrap

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TARGET_FAILED = 3
MEASURES = ("time_ns", "rss_anon_bytes", "rss_file_bytes", "tracemalloc_bytes")

_clock = time.perf_counter_ns


def _statm_reader():
    """Return a function giving (anonymous, file-backed) resident bytes, and its source."""
    try:
        statm = open("/proc/self/statm", "rb", buffering=0)
        statm.read()
    except OSError:
        statm = None
    if statm is not None:
        def read_statm():
            statm.seek(0)
            fields = statm.read().split()
            resident, shared = int(fields[1]), int(fields[2])
            return (resident - shared) * PAGE_SIZE, shared * PAGE_SIZE
        return read_statm, "statm"
    try:
        import resource
    except ImportError:
        return (lambda: (0, 0)), "none"
    # ru_maxrss is a peak, in KiB on Linux and bytes on macOS: the best the
    # standard library offers elsewhere. It cannot split private from shared.
    scale = 1 if sys.platform == "darwin" else 1024

    def read_maxrss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, 0
    return read_maxrss, "ru_maxrss"


def _traced_reader(enabled):
    """Start tracing; return a reader of the traced bytes and a function that stops."""
    if not enabled:
        return (lambda: 0), (lambda: None)
    # The C module, not `tracemalloc`: the Python wrapper imports pickle, fnmatch,
    # linecache... which would then be missing from the target's numbers.
    import _tracemalloc
    _tracemalloc.start(1)
    return (lambda: _tracemalloc.get_traced_memory()[0]), _tracemalloc.stop


class LoadRecord(object):
    """One module load: who caused it, in which stage, and what it cost."""

    __slots__ = ("name", "parent", "importer", "site_file", "site_line", "stage", "file",
                 "start", "cumulative", "children", "loaded")

    def __init__(self, name, parent, importer, site_file, site_line, stage):
        self.name, self.parent, self.importer = name, parent, importer
        self.site_file, self.site_line, self.stage = site_file, site_line, stage
        self.file = None
        self.children = [0, 0, 0, 0]   # the children's cumulative costs, in MEASURES order
        self.loaded = True

    def to_json(self):
        return {
            "name": self.name,
            "file": self.file,
            "parent": self.parent,
            "importer": self.importer,
            "import_site": ({"file": self.site_file, "line": self.site_line}
                            if self.site_file else None),
            "stage": self.stage,
            "loaded": self.loaded,
            "cumulative": dict(zip(MEASURES, self.cumulative)),
            "self": dict(zip(MEASURES, [c - k for c, k in zip(self.cumulative, self.children)])),
        }


# The hooks are compiled under importlib's own file name, so that they look like
# the import machinery wherever frames are judged by name: CPython drops such
# frames from the traceback of a failed `import` statement (import.c,
# remove_importlib_frames), `warnings` skips them when it looks for the caller,
# and so does Recorder.caller. importlib.import_module's tracebacks keep
# importlib's frames: there a hook's own entry is taken out of the traceback
# before the app can see it (Python 3.11+ re-raises the traceback the exception
# holds; before, _ModuleLockManager.__exit__ mends the traceback on its way out).
IMPORTLIB_FILENAME = "<frozen importlib._bootstrap>"
_HOOKS_SOURCE = """
def _load_unlocked(spec):
    record = begin(spec)
    try:
        return load(spec)
    except BaseException as error:
        drop_own_entry(error, _getframe())
        raise
    finally:
        end(record, spec)


def _sanity_check(name, package, level):
    # The first step of importlib.import_module (3.11+): it names the module also
    # when that module is loaded already and no load step runs.
    if type(name) is str and type(level) is int and (
            (level == 0 and name) or (level > 0 and type(package) is str and package)):
        asked(name, package, level)
        return None
    try:
        return sanity_check(name, package, level)   # it raises for these arguments
    except BaseException as error:
        drop_own_entry(error, _getframe())
        raise


def drop_own_entry(error, frame):
    if error.__traceback__ is not None and error.__traceback__.tb_frame is frame:
        error.__traceback__ = error.__traceback__.tb_next


def __init__(self, name):
    # Before 3.11, import_module takes the module lock also for a loaded module.
    lock_manager_init(self, name)
    asked(name, None, 0)


def __exit__(self, *args):
    lock_manager_exit(self, *args)
    error_traceback = args[2] if len(args) > 2 else None
    while error_traceback is not None:
        following = error_traceback.tb_next
        if following is not None and following.tb_frame.f_code is _load_unlocked.__code__:
            error_traceback.tb_next = following.tb_next
        else:
            error_traceback = following
"""
# Python 3.11 re-raises an exception with the traceback the exception holds.
RERAISE_KEEPS_EDITED_TRACEBACK = sys.version_info >= (3, 11)


def _make_hooks(**functions):
    """The hooks, calling the given functions: begin(spec) and end(record, spec) around
    `load` (importlib's `_load_unlocked`), asked(name, package, level) when
    import_module names a module."""
    namespace = dict(functions, _getframe=sys._getframe, __name__="importlib._bootstrap")
    exec(compile(_HOOKS_SOURCE, IMPORTLIB_FILENAME, "exec"), namespace)
    return namespace


class Recorder:
    """Measures every module load by wrapping importlib's single load step.

    It replaces nothing the app can see: `builtins.__import__`,
    `importlib.import_module`, `sys.meta_path` and `sys.path_hooks` stay as they
    are. An import statement of a module that was loaded already runs no hook at
    all: lazyaudit reads those edges from the loaded modules' source
    (source_edges.py). importlib.import_module of such a module (a name computed
    at run time) is seen through a step it takes before importing:
    `_sanity_check` (3.11+) or `_ModuleLockManager.__init__`.

    With `details` off (the tracemalloc run), it records only the traced bytes
    and time of each load: RSS, who asked for each module and the import edges
    come from the run without tracemalloc, and leaving them out keeps tracing's
    cost per allocation off the hook's own work.
    """

    # Frames of the import machinery are skipped when looking for the code that
    # asked for an import; a frame of this file is the boot's entry point.
    MACHINERY = "<frozen importlib"
    ENTRY_POINT = "__main__"

    def __init__(self, read_rss, read_traced, details=True):
        self.read_rss = read_rss
        self.read_traced = read_traced
        self.details = details
        self.stage = "startup"
        self.modules = []          # finished records, in load order
        self.stack = []            # records of modules being loaded, innermost last
        self.edges = {}            # (importer, imported) -> (file, line) of the first load
        self.original_load = _bootstrap._load_unlocked
        self.originals = {}        # (owner, attribute) -> what the hooks replaced
        self.preloaded = list(sys.modules)   # what the interpreter loaded before the boot
        self.original_import = builtins.__import__
        self.deferrer = None       # a Deferrer for what-if runs (--defer)

    # -- hooks -------------------------------------------------------------

    def install(self):
        lock_manager = _bootstrap._ModuleLockManager
        self.originals = {(_bootstrap, name): getattr(_bootstrap, name)
                          for name in ("_load_unlocked", "_sanity_check")}
        self.originals.update({(lock_manager, name): lock_manager.__dict__[name]
                               for name in ("__init__", "__exit__")})
        hooks = _make_hooks(
            load=self.original_load, begin=self.begin, end=self.finish, asked=self.asked,
            sanity_check=_bootstrap._sanity_check, lock_manager_init=lock_manager.__init__,
            lock_manager_exit=lock_manager.__exit__)
        _bootstrap._load_unlocked = hooks["_load_unlocked"]
        if RERAISE_KEEPS_EDITED_TRACEBACK:
            if self.details:
                _bootstrap._sanity_check = hooks["_sanity_check"]
        else:
            lock_manager.__exit__ = hooks["__exit__"]
            if self.details:
                lock_manager.__init__ = hooks["__init__"]
        if self.deferrer is not None and not self.deferrer.native:
            builtins.__import__ = self.import_statement   # what-if runs only

    def uninstall(self):
        for (owner, name), original in self.originals.items():
            setattr(owner, name, original)
        builtins.__import__ = self.original_import

    def measures(self):
        """Time, anonymous RSS, file-backed RSS, traced bytes: in MEASURES order."""
        anon, file_backed = self.read_rss() if self.details else (0, 0)
        return (_clock(), anon, file_backed, self.read_traced())

    def begin(self, spec):
        importer, site_file, site_line = self.caller() if self.details else (None, None, None)
        if importer == self.ENTRY_POINT and site_file is None:
            # The probe's boot step asked: an edge from outside, no importer to show.
            self.edges.setdefault((importer, spec.name), (None, None))
            importer = None
        record = LoadRecord(spec.name, self.stack[-1].name if self.stack else None,
                            importer, site_file, site_line, self.stage)
        self.stack.append(record)
        record.start = self.measures()
        return record

    def finish(self, record, spec):
        record.cumulative = [end - start for end, start in zip(self.measures(), record.start)]
        self.stack.pop()
        record.loaded = sys.modules.get(spec.name) is not None
        if self.stack and record.loaded:
            # A failed import's memory is mostly freed again while its importer
            # handles the error: what is left stays in the importer's own cost.
            children = self.stack[-1].children
            for i, value in enumerate(record.cumulative):
                children[i] += value
        if getattr(spec, "has_location", False):
            record.file = spec.origin
        self.modules.append(record)
        if record.importer is not None and record.importer != record.name:
            self.edges.setdefault((record.importer, record.name),
                                  (record.site_file, record.site_line))

    def asked(self, name, package, level):
        """importlib.import_module(name): an edge when the module is loaded already."""
        try:
            if level:
                name = _bootstrap._resolve_name(name, package, level)
            if name not in sys.modules:
                return   # the load step records it
            importer, site_file, site_line = self.caller()
        except Exception:
            return   # bookkeeping must never break the target's import
        if importer is not None and importer != name:
            self.edges.setdefault((importer, name), (site_file, site_line))

    def import_statement(self, name, globals=None, locals=None, fromlist=(), level=0):
        """`builtins.__import__` in what-if runs before Python 3.15: defers chosen imports."""
        if globals and not level:
            deferred = self.deferrer.intercept(name, globals, fromlist, sys._getframe(1))
            if deferred is not None:
                return deferred
        return self.original_import(name, globals, locals, fromlist, level)

    # -- helpers -----------------------------------------------------------

    def entry_import(self, name):
        """A module of the TARGET's environment (its Django), imported by the boot step
        as a worker's startup would: an edge from the entry point, also when the
        module is loaded already."""
        __import__(name)
        self.edges.setdefault((self.ENTRY_POINT, name), (None, None))
        return sys.modules[name]

    def caller(self):
        """The module, file and line of the first frame outside the import machinery;
        the entry point, with no file, when that frame is the probe's."""
        frame = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename == __file__:
                return self.ENTRY_POINT, None, None
            if not filename.startswith(self.MACHINERY) and not _is_importlib(filename):
                return frame.f_globals.get("__name__"), filename, frame.f_lineno
            frame = frame.f_back
        return None, None, None


def _is_importlib(filename):
    # importlib/__init__.py (import_module) and importlib/_bootstrap*.py when not frozen.
    head, tail = os.path.split(filename)
    return os.path.basename(head) == "importlib" and tail.startswith(("__init__", "_bootstrap"))


# -- what-if runs: defer modules at first-party import sites ------------------

class Deferrer:
    """Replaces first-party module-level imports of chosen modules by lazy proxies.

    This is what moving those imports into functions would do: the module loads
    when a name from it is first used, not at startup. An import-time use (a
    decorator, a module-level call) resolves the proxy at once, so it is measured
    as not saved, as it would be after a real rewrite.
    """

    def __init__(self, modules, project, load):
        self.modules = tuple(modules)
        self.project = os.path.realpath(project) + os.sep
        self.load = load            # the real __import__
        self.deferred = []          # (importer, module, file, line)
        # Python 3.15+ (PEP 810) defers natively: every module-level import outside
        # a try block is offered to the filter, exactly what `lazy import` would do.
        self.native = hasattr(sys, "set_lazy_imports_filter")
        if self.native:
            sys.set_lazy_imports_filter(self.lazy_filter)
            sys.set_lazy_imports("all")

    def wants(self, name):
        return any(name == module or name.startswith(module + ".") for module in self.modules)

    def first_party(self, globals):
        filename = os.path.realpath(globals.get("__file__") or "")
        return filename.startswith(self.project) and "site-packages" not in filename

    def lazy_filter(self, importer, name, fromlist):
        module = sys.modules.get(importer)
        if module is None or not self.wants(name) or not self.first_party(vars(module)):
            return False
        frame = sys._getframe(1)
        self.deferred.append((importer, name, frame.f_code.co_filename, frame.f_lineno))
        return True

    def intercept(self, name, globals, fromlist, frame):
        if self.native or frame.f_code.co_name != "<module>" or not self.wants(name):
            return None
        if not self.first_party(globals):
            return None
        self.deferred.append((globals.get("__name__"), name, frame.f_code.co_filename,
                              frame.f_lineno))
        if fromlist:
            return _DeferredFrom(self, name)
        return _DeferredModule(self, name.partition(".")[0], name)


class _DeferredModule(object):
    """Stands for `import a.b.c` (bound as `a`) until an attribute is used."""

    def __init__(self, deferrer, prefix, full_name):
        object.__setattr__(self, "_lazy", (deferrer, prefix, full_name))

    def _resolve(self):
        deferrer, prefix, full_name = object.__getattribute__(self, "_lazy")
        deferrer.load(full_name)
        return sys.modules[prefix]

    def __getattr__(self, attr):
        deferrer, prefix, full_name = object.__getattribute__(self, "_lazy")
        child = prefix + "." + attr
        if full_name == child or full_name.startswith(child + "."):
            return _DeferredModule(deferrer, child, full_name)   # `import a.b as c`
        return getattr(self._resolve(), attr)

    def __setattr__(self, attr, value):
        setattr(self._resolve(), attr, value)

    def __repr__(self):
        return "<deferred module %s>" % object.__getattribute__(self, "_lazy")[1]


class _DeferredFrom(object):
    """What `from m import x` receives: every x becomes a lazy value."""

    def __init__(self, deferrer, module):
        self._deferrer, self._module = deferrer, module

    def __getattr__(self, attr):
        return _DeferredValue(self._deferrer, self._module, attr)


class _DeferredValue(object):
    """A name from a deferred module; the first real use imports the module."""

    def __init__(self, deferrer, module, attr):
        object.__setattr__(self, "_lazy", (deferrer, module, attr))

    def _resolve(self):
        deferrer, module, attr = object.__getattribute__(self, "_lazy")
        loaded = deferrer.load(module, {}, {}, [attr], 0)
        return getattr(loaded, attr)

    def __getattr__(self, attr):
        return getattr(self._resolve(), attr)

    def __call__(self, *args, **kwargs):
        return self._resolve()(*args, **kwargs)

    def __getitem__(self, key):
        return self._resolve()[key]

    def __iter__(self):
        return iter(self._resolve())

    def __repr__(self):
        return repr(self._resolve())


# -- booting targets --------------------------------------------------------

class BootFailure(Exception):
    """The target could not boot for a reason that is not its own traceback."""

    def __init__(self, kind, message):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message


def boot_module(recorder, config):
    recorder.stage = "import"
    recorder.entry_import(config["module"])


def boot_app(recorder, config):
    module_name, _, attr = config["app"].partition(":")
    recorder.stage = "import"
    obj = recorder.entry_import(module_name)
    for part in (attr or "application").split("."):
        if not hasattr(obj, part):
            raise BootFailure("app-attribute", "%s has no attribute %r" % (module_name, part))
        obj = getattr(obj, part)
    if not callable(obj):
        raise BootFailure("app-attribute", "%s is not callable" % config["app"])


def boot_script(recorder, config):
    # What `python FILE` does, without runpy: its imports would not be the target's.
    path = config["script"]
    recorder.stage = "run"
    sys.argv = [path] + list(config.get("script_args") or [])
    with open(path, "rb") as handle:
        code = compile(handle.read(), path, "exec")
    main_module = type(sys)("__main__")
    main_module.__file__ = path
    main_module.__builtins__ = builtins
    sys.modules["__main__"] = main_module
    exec(code, main_module.__dict__)


def boot_django(recorder, config):
    settings_module = config["django"]
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    recorder.stage = "setup"
    try:
        django = recorder.entry_import("django")
    except ImportError:
        raise BootFailure("django-missing", "Django is not installed in %s" % sys.executable)
    try:
        django.setup()
    except ModuleNotFoundError as error:
        missing = error.name or "?"
        if settings_module == missing or settings_module.startswith(missing + "."):
            raise BootFailure("settings-missing", "settings module %r cannot be imported (%s)"
                              % (settings_module, error))
        raise

    recorder.stage = "urls"
    if getattr(recorder.entry_import("django.conf").settings, "ROOT_URLCONF", None):
        _walk_urlpatterns(recorder.entry_import("django.urls").get_resolver())

    recorder.stage = "app"
    if config.get("asgi"):
        recorder.entry_import("django.core.asgi").get_asgi_application()
    else:
        recorder.entry_import("django.core.wsgi").get_wsgi_application()


def _walk_urlpatterns(resolver):
    """Import every module the URL patterns reach, as the first request would."""
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            _walk_urlpatterns(pattern)
        else:
            getattr(pattern, "callback", None)
    populate = getattr(resolver, "_populate", None)  # what the first request runs
    if populate is not None:
        populate()


BOOTERS = {"module": boot_module, "app": boot_app, "script": boot_script, "django": boot_django}


# -- output -----------------------------------------------------------------

def interpreter_facts():
    import sysconfig
    paths = sysconfig.get_paths()
    site_dirs = [p for p in sys.path if p and ("site-packages" in p or "dist-packages" in p)]
    return {
        "version": "%d.%d.%d" % sys.version_info[:3],
        "executable": sys.executable,
        "prefix": sys.prefix,
        "stdlib_dirs": sorted({paths.get("stdlib"), paths.get("platstdlib")} - {None}),
        "site_dirs": site_dirs,
        "path": [p for p in sys.path if p],
        "stdlib_module_names": sorted(getattr(sys, "stdlib_module_names", ())),
        "builtin_module_names": sorted(sys.builtin_module_names),
    }


def final_reading(recorder, started):
    """The whole process when the boot is over."""
    end_time = _clock()
    anon, file_backed = recorder.read_rss()
    return {"rss_anon_bytes": anon, "rss_file_bytes": file_backed,
            "tracemalloc_bytes": recorder.read_traced(), "time_ns": end_time - started}


def build_document(recorder, config, final, rss_source, baseline, error):
    return {
        "config": config,
        "interpreter": interpreter_facts(),
        "rss_source": rss_source,
        "tracemalloc": bool(config.get("tracemalloc")),
        "baseline": {"rss_anon_bytes": baseline[0], "rss_file_bytes": baseline[1]},
        "final": final,
        # The long lists are generators: write_document encodes them item by item.
        "modules": (record.to_json() for record in recorder.modules),
        "edges": ([a, b, f, line] for (a, b), (f, line) in recorder.edges.items()),
        "preloaded": recorder.preloaded,
        "deferred": recorder.deferrer.deferred if recorder.deferrer else [],
        "error": error,
    }


def write_document(document, handle):
    """Write the document as JSON, its long lists one item at a time: json.dumps
    uses the C encoder (json.dump does not), and the whole text of a large boot
    (megabytes) never has to sit in memory at once."""
    import json
    handle.write("{")
    for number, (key, value) in enumerate(document.items()):
        handle.write((", " if number else "") + json.dumps(key) + ": ")
        if isinstance(value, (dict, list, str, int, float, bool)) or value is None:
            handle.write(json.dumps(value))
            continue
        handle.write("[")
        for index, item in enumerate(value):
            handle.write((", " if index else "") + json.dumps(item))
        handle.write("]")
    handle.write("}")


def main(argv):
    config_path, output_path = argv[1], argv[2]
    with open(config_path, "r", encoding="utf-8") as handle:
        config = _read_config(handle.read())

    project = config.get("project") or os.getcwd()
    os.chdir(project)
    # As if the target were started from its project directory (or as `python FILE`).
    if config["kind"] == "script":
        sys.path[0] = os.path.dirname(os.path.abspath(config["script"]))
    else:
        sys.path[0] = project
    for name, value in (config.get("env") or {}).items():
        os.environ[name] = value

    read_rss, rss_source = _statm_reader()
    read_traced, stop_tracing = _traced_reader(config.get("tracemalloc"))
    recorder = Recorder(read_rss, read_traced, details=not config.get("tracemalloc"))
    if config.get("defer"):
        recorder.deferrer = Deferrer(config["defer"], project, recorder.original_import)
    baseline = read_rss()
    started = _clock()
    recorder.install()
    error = None
    try:
        BOOTERS[config["kind"]](recorder, config)
    except BootFailure as failure:
        error = {"kind": failure.kind, "message": failure.message, "traceback": None}
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            error = {"kind": "target-exit", "message": "target exited with %r" % (exit_.code,),
                     "traceback": _format_traceback()}
    except BaseException as failure:
        error = {"kind": "target-raised", "message": "%s: %s" % (type(failure).__name__, failure),
                 "traceback": _format_traceback()}
    finally:
        recorder.uninstall()
    final = final_reading(recorder, started)
    stop_tracing()   # writing the report is no part of the boot
    document = build_document(recorder, config, final, rss_source, baseline, error)

    with open(output_path, "w", encoding="utf-8") as handle:
        write_document(document, handle)
    return TARGET_FAILED if error else 0


def _read_config(text):
    # The config is a Python literal written by lazyaudit itself. Parsing it with
    # json or ast would load modules the target may need, hiding their cost.
    return eval(text, {"__builtins__": {}}, {})


def _format_traceback():
    """The target's traceback, without the frames of this probe."""
    import traceback
    root = traceback.TracebackException(*sys.exc_info())
    failure, seen = root, set()
    while failure is not None and id(failure) not in seen:
        seen.add(id(failure))
        failure.stack = traceback.StackSummary.from_list(
            [frame for frame in failure.stack if frame.filename != __file__])
        failure = failure.__cause__ or failure.__context__
    return "".join(root.format())


def exit_now(code):
    """Leave without tearing the interpreter down: freeing thousands of modules
    takes longer than a large boot's report, and a thread the target started
    must not keep the probe waiting."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(code)


if __name__ == "__main__":
    exit_now(main(sys.argv))
