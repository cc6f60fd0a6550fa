"""Boot a target under an import hook and record what every module load costs.

This file runs INSIDE the target's interpreter, as a script:

    python probe.py CONFIG OUTPUT_JSON

CONFIG is a file holding a Python literal (a dict written by lazyaudit with
repr(), read with eval() and no builtins: json and ast would load modules the
target may need).

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
        self.progress = None       # called with a module's name as its load starts

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

    def uninstall(self):
        for (owner, name), original in self.originals.items():
            setattr(owner, name, original)

    def measures(self):
        """Time, anonymous RSS, file-backed RSS, traced bytes: in MEASURES order."""
        anon, file_backed = self.read_rss() if self.details else (0, 0)
        return (_clock(), anon, file_backed, self.read_traced())

    def begin(self, spec):
        if self.progress is not None:
            self.progress(spec.name)
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
    recorder.application = obj


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
        recorder.application = recorder.entry_import("django.core.asgi").get_asgi_application()
    else:
        recorder.application = recorder.entry_import("django.core.wsgi").get_wsgi_application()


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

    @staticmethod
    def entry_import(name):
        __import__(name)
        return sys.modules[name]


def run_boot(recorder, config):
    """Boot the target; return None, or what went wrong as the document's `error`.
    Its `traceback` is still the exception (see format_error): the target may have
    broken what formatting it needs until the hooks are out."""
    kind = config["kind"]
    try:
        BOOTERS[kind](recorder, config)
    except BootFailure as failure:
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
    enter_project(config)
    if config.get("plain"):
        return boot_plain(config)

    read_rss, rss_source = _statm_reader()
    read_traced, stop_tracing = _traced_reader(config.get("tracemalloc"))
    recorder = Recorder(read_rss, read_traced, details=not config.get("tracemalloc"))
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
    if config.get("requests") and error is None:
        document["requests"] = send_requests(recorder, config)

    with open(output_path, "w", encoding="utf-8") as handle:
        write_document(document, handle)
    return TARGET_FAILED if error else 0


def load_helper(name):
    """One of the probe's helper files beside it (`_lazyaudit_*.py`), run as a module
    that is not in sys.modules: the app cannot see it, nor a late import count it."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    module = type(sys)(name)
    module.__file__ = path
    with open(path, "rb") as handle:
        exec(compile(handle.read(), path, "exec"), module.__dict__)
    return module


def send_requests(recorder, config):
    """`lazyaudit requests`: requests through the application the boot built."""
    driver = load_helper("_lazyaudit_requests")
    progress = recorder.progress

    def report(stage, sent, path):
        if progress is not None:
            progress.recorder.stage = stage
            progress.loads = sent - 1
            progress(path)
    try:
        return driver.drive(getattr(recorder, "application", None), config, load_helper,
                            report)
    except driver.DriverError as error:
        return {"error": str(error)}


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
