"""What an app can see of the import system: run as a script, with and without the probe.

Writes a JSON document to checks-output.json in the working directory; the two
documents must be identical (tests/test_probe_invisible.py).
"""

import builtins
import importlib
import importlib.abc
import importlib.util
import json
import sys
import traceback
import warnings

results = {}


def frames(error):
    return [[frame.filename, frame.lineno, frame.name, frame.line]
            for frame in traceback.extract_tb(error.__traceback__)]


def failure(attempt):
    try:
        attempt()
    except BaseException as error:  # noqa: B036 - every kind of failure is compared
        return {"type": type(error).__name__, "message": str(error), "frames": frames(error)}
    return None


def import_missing():
    import missing  # noqa: F401


def from_package_import_missing():
    from pkg import missing  # noqa: F401


def import_raising():
    import raising  # noqa: F401


def from_package_import_raising():
    from pkg import raising_sub  # noqa: F401


def oscar_style(name):
    """django-oscar's class loader: one frame means the module itself is missing."""
    try:
        __import__(name, fromlist=["Anything"])
    except ImportError as error:
        return len(traceback.extract_tb(error.__traceback__))
    return 0


results["oscar-style missing"] = oscar_style("missing")
results["oscar-style broken import inside"] = oscar_style("imports_missing")
results["import missing"] = failure(import_missing)
results["__import__ missing"] = failure(lambda: __import__("missing"))
results["import_module missing"] = failure(lambda: importlib.import_module("missing"))
results["from pkg import missing"] = failure(from_package_import_missing)
results["import raising"] = failure(import_raising)
results["__import__ raising"] = failure(lambda: __import__("raising"))
results["import_module raising"] = failure(lambda: importlib.import_module("raising"))
results["from pkg import raising_sub"] = failure(from_package_import_raising)
results["import_module pkg.missing"] = failure(lambda: importlib.import_module("pkg.missing"))
results["import_module relative"] = failure(lambda: importlib.import_module(".missing", "pkg"))
results["import_module bad name"] = failure(lambda: importlib.import_module(""))

# The import functions the app calls are the interpreter's own.
results["__import__"] = [repr(builtins.__import__), builtins.__import__.__module__,
                         getattr(builtins.__import__, "__self__", None) is builtins]
results["import_module"] = [importlib.import_module.__module__,
                            importlib.import_module.__qualname__,
                            importlib.import_module.__code__.co_filename]
results["meta_path"] = [getattr(finder, "__name__", type(finder).__name__)
                        for finder in sys.meta_path]
results["path_hooks"] = [getattr(hook, "__qualname__", type(hook).__name__)
                         for hook in sys.path_hooks]

# A module-level warning with stacklevel=2 names the line that imported the module.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import warns  # noqa: F401
results["warning site"] = [[w.filename, w.lineno, str(w.message)] for w in caught]

# importlib.reload runs the module again in the same module object.
import counter  # noqa: E402
first = counter
reloaded = importlib.reload(counter)
results["reload"] = [reloaded is first, counter.RUNS, sys.modules["counter"] is first]

# A namespace package (a folder without __init__.py).
import nspkg.member  # noqa: E402
results["namespace package"] = [getattr(nspkg, "__file__", None), type(nspkg.__path__).__name__,
                                list(nspkg.__path__) == [sys.path[0] + "/nspkg"],
                                nspkg.member.VALUE, nspkg.__spec__.origin]

# importlib.util.LazyLoader: the module runs on first attribute access.
spec = importlib.util.find_spec("lazily")
spec.loader = importlib.util.LazyLoader(spec.loader)
lazily = importlib.util.module_from_spec(spec)
sys.modules["lazily"] = lazily
spec.loader.exec_module(lazily)
ran_before = getattr(builtins, "lazily_ran", False)
value = lazily.VALUE
results["LazyLoader"] = [ran_before, value, type(lazily).__name__]


class VirtualFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves modules named virtual_*: one works, one raises while it runs."""

    def find_spec(self, name, path=None, target=None):
        if name.startswith("virtual_"):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if module.__name__ == "virtual_broken":
            raise RuntimeError("virtual module failed")
        module.ANSWER = 42


sys.meta_path.insert(0, VirtualFinder())
import virtual_fine  # noqa: E402


def import_virtual_broken():
    import virtual_broken  # noqa: F401


results["custom finder"] = [virtual_fine.ANSWER, type(virtual_fine.__loader__).__name__,
                            [getattr(f, "__name__", type(f).__name__) for f in sys.meta_path]]
results["custom finder raising"] = failure(import_virtual_broken)
results["custom finder import_module raising"] = failure(
    lambda: importlib.import_module("virtual_broken"))

with open("checks-output.json", "w") as handle:
    json.dump(results, handle, indent=1, sort_keys=True)
