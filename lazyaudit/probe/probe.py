"""Boot a target under an import hook and record what every module load costs.

This file runs INSIDE the target's interpreter, as a script:

    python probe.py CONFIG OUTPUT_JSON

CONFIG is a Python literal (a dict) written by lazyaudit. The probe may import
nothing but the standard library, must run on every Python from 3.9 on, and
imports as little as it can before the target starts, so that the modules it
needs itself do not hide from the target's numbers. It writes one JSON document
to OUTPUT_JSON and exits 0, or 3 when the target failed to boot (the document then
holds the target's traceback), or 4 when the probe itself failed (its own
traceback is then in OUTPUT_JSON.probe-error).

With `plain` in the config it boots the target the same way without any hook
and writes nothing: lazyaudit's check that a failed boot is not the probe's doing.
"""

import sys
import os
import time
import builtins
import _frozen_importlib as _bootstrap

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TARGET_FAILED = 3
PROBE_FAILED = 4
PROGRESS_INTERVAL_NS = 100000000     # at most ten progress lines a second
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


class Recorder:
    """Measures every module load by wrapping importlib's single load step.

    With `details` off (the tracemalloc run), it records only the traced bytes
    and time of each load: RSS, who asked for each module and the import edges
    come from the run without tracemalloc, and leaving them out keeps tracing's
    cost per allocation off the hook's own work.
    """

    # Frames of the import machinery and of this file are skipped when looking
    # for the code that asked for an import.
    SKIP_FILES = ("<frozen importlib", __file__)

    def __init__(self, read_rss, read_traced, details=True):
        self.read_rss = read_rss
        self.read_traced = read_traced
        self.details = details
        self.stage = "startup"
        self.modules = []          # finished records, in load order
        self.stack = []            # records of modules being loaded, innermost last
        self.edges = {}            # (importer, imported) -> (file, line) of the first such import
        self.original_load = _bootstrap._load_unlocked
        self.original_import = builtins.__import__
        self.original_import_module = None
        self.deferrer = None       # a Deferrer for what-if runs (--defer)
        self.progress = None       # called with a module's name as its load starts

    # -- hooks -------------------------------------------------------------

    def install(self):
        _bootstrap._load_unlocked = self.load
        if self.details or self.deferrer is not None:
            builtins.__import__ = self.import_statement
        if self.details and "importlib" in sys.modules:
            self.wrap_import_module()   # else: when the target first loads it

    def wrap_import_module(self):
        importlib = sys.modules["importlib"]
        self.original_import_module = importlib.import_module
        importlib.import_module = self.import_module

    def uninstall(self):
        _bootstrap._load_unlocked = self.original_load
        builtins.__import__ = self.original_import
        if self.original_import_module is not None:
            sys.modules["importlib"].import_module = self.original_import_module

    def measures(self):
        """Time, anonymous RSS, file-backed RSS, traced bytes: in MEASURES order."""
        anon, file_backed = self.read_rss() if self.details else (0, 0)
        return (_clock(), anon, file_backed, self.read_traced())

    def load(self, spec):
        if self.progress is not None:
            self.progress(spec.name)
        importer, site_file, site_line = self.caller() if self.details else (None, None, None)
        record = LoadRecord(spec.name, self.stack[-1].name if self.stack else None,
                            importer, site_file, site_line, self.stage)
        record.start = self.measures()
        self.stack.append(record)
        try:
            return self.original_load(spec)
        finally:
            self.stack.pop()
            self.finish(record, spec)

    def finish(self, record, spec):
        record.cumulative = [end - start for end, start in zip(self.measures(), record.start)]
        record.loaded = sys.modules.get(spec.name) is not None
        if spec.name == "importlib" and self.details and self.original_import_module is None:
            self.wrap_import_module()
        if self.stack and record.loaded:
            # A failed import's memory is mostly freed again while its importer
            # handles the error: what is left stays in the importer's own cost.
            children = self.stack[-1].children
            for i, value in enumerate(record.cumulative):
                children[i] += value
        if getattr(spec, "has_location", False):
            record.file = spec.origin
        self.modules.append(record)
        if record.importer is not None:
            self.edge(record.importer, record.name, record.site_file, record.site_line)

    def import_statement(self, name, globals=None, locals=None, fromlist=(), level=0):
        if self.deferrer is not None and globals and not level:
            deferred = self.deferrer.intercept(name, globals, fromlist, sys._getframe(1))
            if deferred is not None:
                return deferred
        module = self.original_import(name, globals, locals, fromlist, level)
        if globals and self.details:
            try:
                self.note_statement(name, globals, fromlist, level)
            except Exception:
                pass  # bookkeeping must never break the target's import
        return module

    def import_module(self, name, package=None):
        module = self.original_import_module(name, package)
        importer, site_file, site_line = self.caller()
        if importer is not None:
            self.edge(importer, module.__name__, site_file, site_line)
        return module

    # -- helpers -----------------------------------------------------------

    def note_statement(self, name, globals, fromlist, level):
        importer = globals.get("__name__")
        if importer is None or importer in IMPORT_MACHINERY:
            return   # importlib calls __import__ itself for `from m import submodule`
        if level:
            package = _bootstrap._calc___package__(globals)
            name = _bootstrap._resolve_name(name, package, level) if name else package
        frame = sys._getframe(2)
        site = (frame.f_code.co_filename, frame.f_lineno)
        self.edge(importer, name, *site)
        for item in fromlist or ():
            submodule = name + "." + item
            if submodule in sys.modules:
                self.edge(importer, submodule, *site)

    def edge(self, importer, imported, site_file, site_line):
        if importer != imported and (importer, imported) not in self.edges:
            self.edges[(importer, imported)] = (site_file, site_line)

    def caller(self):
        """The module, file and line of the first frame outside the import machinery."""
        frame = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not filename.startswith(self.SKIP_FILES) and not _is_importlib(filename):
                return frame.f_globals.get("__name__"), filename, frame.f_lineno
            frame = frame.f_back
        return None, None, None


IMPORT_MACHINERY = ("importlib._bootstrap", "importlib._bootstrap_external",
                    "_frozen_importlib", "_frozen_importlib_external")


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

class TargetError(Exception):
    """The target could not boot for a reason that is not its own traceback."""

    def __init__(self, kind, message):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message


def boot_module(recorder, config):
    recorder.stage = "import"
    __import__(config["module"])


def boot_app(recorder, config):
    module_name, _, attr = config["app"].partition(":")
    recorder.stage = "import"
    __import__(module_name)
    obj = sys.modules[module_name]
    for part in (attr or "application").split("."):
        if not hasattr(obj, part):
            raise TargetError("app-attribute", "%s has no attribute %r" % (module_name, part))
        obj = getattr(obj, part)
    if not callable(obj):
        raise TargetError("app-attribute", "%s is not callable" % config["app"])


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


def target_module(name):
    """A module of the TARGET's environment (its Django), never of this probe's."""
    __import__(name)
    return sys.modules[name]


def boot_django(recorder, config):
    settings_module = config["django"]
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    recorder.stage = "setup"
    try:
        django = target_module("django")
    except ImportError:
        raise TargetError("django-missing", "Django is not installed in %s" % sys.executable)
    try:
        django.setup()
    except ModuleNotFoundError as error:
        missing = error.name or "?"
        if settings_module == missing or settings_module.startswith(missing + "."):
            raise TargetError("settings-missing", "settings module %r cannot be imported (%s)"
                              % (settings_module, error))
        raise

    recorder.stage = "urls"
    if getattr(target_module("django.conf").settings, "ROOT_URLCONF", None):
        _walk_urlpatterns(target_module("django.urls").get_resolver())

    recorder.stage = "app"
    if config.get("asgi"):
        target_module("django.core.asgi").get_asgi_application()
    else:
        target_module("django.core.wsgi").get_wsgi_application()


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


class Progress(object):
    """Tells lazyaudit how far the boot has come: the stage, how many modules have
    started to load, and the last one. On a pipe of its own, never the target's
    stdout or stderr; a line at each new stage, else at most ten a second."""

    def __init__(self, fd, recorder):
        self.fd, self.recorder = fd, recorder
        self.pid = os.getpid()
        self.loads = 0
        self.stage = None
        self.sent = 0

    def __call__(self, name):
        self.loads += 1
        now = _clock()
        stage = self.recorder.stage
        if stage == self.stage and now - self.sent < PROGRESS_INTERVAL_NS:
            return
        self.stage, self.sent = stage, now
        if os.getpid() != self.pid:
            return   # a process the target forked: the pipe is the probe's
        try:
            os.write(self.fd, ("%s %d %s\n" % (stage, self.loads, name)).encode("utf-8"))
        except OSError:
            self.recorder.progress = None   # lazyaudit no longer listens


class _StageOnly(object):
    """What the booters need of a Recorder when nothing is recorded (plain boots)."""

    stage = "startup"


def run_boot(recorder, config):
    """Boot the target; return None, or what went wrong as the document's `error`.
    Its `traceback` is still the exception (see format_error): the target may have
    broken what formatting it needs until the hooks are out."""
    kind = config["kind"]
    try:
        BOOTERS[kind](recorder, config)
    except TargetError as failure:
        return {"kind": failure.kind, "message": failure.message, "traceback": None}
    except SystemExit as exit_:
        if kind == "script" and exit_.code in (None, 0):
            return None   # the normal end of a script
        if kind == "script":
            message = "target exited with %r" % (exit_.code,)
        else:
            message = "the target exited during startup (SystemExit: %r)" % (exit_.code,)
        return {"kind": "target-exit", "message": message, "traceback": exit_}
    except KeyboardInterrupt as interrupt:
        # lazyaudit's way to stop a boot that ran out of time: say where it was.
        where = _where(interrupt.__traceback__)
        where["stage"] = recorder.stage
        where["modules"] = getattr(recorder.progress, "loads", None)
        return {"kind": "interrupted", "message": "KeyboardInterrupt",
                "traceback": interrupt, "where": where}
    except BaseException as failure:
        error = {"kind": "target-raised",
                 "message": "%s: %s" % (type(failure).__name__, failure),
                 "traceback": failure}
        if isinstance(failure, ModuleNotFoundError):
            error["missing_module"] = failure.name
        return error
    return None


def format_error(error):
    """The error with its exception turned into the target's traceback (text)."""
    if error is not None and isinstance(error.get("traceback"), BaseException):
        error["traceback"] = _format_traceback(error["traceback"])
    return error


def _where(tb):
    """The module whose code was running (the innermost module body), and the last
    line of the target's own code, in a traceback."""
    module = location = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename != __file__ and not code.co_filename.startswith("<frozen"):
            location = "%s:%d in %s" % (code.co_filename, tb.tb_lineno, code.co_name)
            if code.co_name == "<module>":
                module = tb.tb_frame.f_globals.get("__name__")
        tb = tb.tb_next
    return {"module": module, "location": location}


def enter_project(config):
    """Start as if the target were run from its project directory (or as `python FILE`)."""
    project = config.get("project") or os.getcwd()
    os.chdir(project)
    if config["kind"] == "script":
        sys.path[0] = os.path.dirname(os.path.abspath(config["script"]))
    else:
        sys.path[0] = project
    sys.path[1:1] = config.get("path_first") or []
    for name, value in (config.get("env") or {}).items():
        os.environ[name] = value
    # lazyaudit stops a boot out of time with SIGINT. Started in the background
    # by a shell, the probe would inherit SIGINT ignored: make it what a terminal gives.
    import _signal   # built in, and loaded at startup
    if _signal.getsignal(_signal.SIGINT) == _signal.SIG_IGN:
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    return project


def boot_plain(config):
    """The same boot without any hook: exit 0 when it works, else print why and exit 3."""
    error = format_error(run_boot(_StageOnly(), config))
    if error is None:
        return 0
    sys.stderr.write((error["traceback"] or "") + error["message"] + "\n")
    return TARGET_FAILED


def main(argv):
    config_path, output_path = argv[1], argv[2]
    with open(config_path, "r", encoding="utf-8") as handle:
        config = _read_config(handle.read())
    project = enter_project(config)
    if config.get("plain"):
        return boot_plain(config)

    read_rss, rss_source = _statm_reader()
    read_traced, stop_tracing = _traced_reader(config.get("tracemalloc"))
    recorder = Recorder(read_rss, read_traced, details=not config.get("tracemalloc"))
    if config.get("defer"):
        recorder.deferrer = Deferrer(config["defer"], project, recorder.original_import)
    if config.get("progress_fd") is not None:
        recorder.progress = Progress(config["progress_fd"], recorder)
    probe_pid = os.getpid()
    baseline = read_rss()
    started = _clock()
    recorder.install()
    try:
        error = run_boot(recorder, config)
    finally:
        uninstall(recorder)
    if os.getpid() != probe_pid:
        os._exit(0)   # a process the target forked went on past the boot: not the probe
    final = final_reading(recorder, started)
    stop_tracing()   # writing the report is no part of the boot
    format_error(error)
    document = build_document(recorder, config, final, rss_source, baseline, error)

    with open(output_path, "w", encoding="utf-8") as handle:
        write_document(document, handle)
    return TARGET_FAILED if error else 0


# The import system and the modules loaded before the target, to fall back on
# when the target breaks them (sys.modules.clear() takes `builtins` and `io`).
_PRISTINE_LOAD, _PRISTINE_IMPORT = _bootstrap._load_unlocked, builtins.__import__
_STARTUP_MODULES = dict(sys.modules)


def uninstall(recorder):
    """Remove the hooks. The target may have removed what they were set on
    (importlib from sys.modules, say): the boot is over, so put back what the
    probe needs to write its report."""
    try:
        recorder.uninstall()
    except Exception:
        _restore_import_system()
    _restore_startup_modules()


def _restore_import_system():
    _bootstrap._load_unlocked = _PRISTINE_LOAD
    builtins.__import__ = _PRISTINE_IMPORT


def _restore_startup_modules():
    for name, module in _STARTUP_MODULES.items():
        if sys.modules.get(name) is None:
            sys.modules[name] = module


def probe_failed(error_path):
    """The probe itself failed: write its own traceback where lazyaudit looks for
    it, so that the failure is never taken for the target's."""
    kind, value = sys.exc_info()[:2]
    text = "%s: %s\n" % (kind.__name__, value)
    try:
        _restore_import_system()
        _restore_startup_modules()
        import traceback
        text = traceback.format_exc()
    except BaseException:
        pass   # the one line above is all there is
    try:
        fd = os.open(error_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, text.encode("utf-8", "replace"))
        os.close(fd)
    except BaseException:
        pass
    return PROBE_FAILED


def _read_config(text):
    # The config is a Python literal written by lazyaudit itself. Parsing it with
    # json or ast would load modules the target may need, hiding their cost.
    return eval(text, {"__builtins__": {}}, {})


def _format_traceback(exception):
    """The target's traceback, without the frames of this probe."""
    import traceback
    root = traceback.TracebackException(type(exception), exception, exception.__traceback__)
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
    try:
        status = main(sys.argv)
    except BaseException:
        status = probe_failed(sys.argv[2] + ".probe-error")
    exit_now(status)
