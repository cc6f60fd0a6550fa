"""Every reason lazyaudit gives for leaving an import alone, declared once, with a code.

Codes are stable: JSON carries them beside the message (`code` beside `reason`),
docs/reasons.md lists them with an example each (tests/test_reasons.py keeps the two
in step). The scheme:

- LA1xx: the whole statement has to stay (where it is, or what it is);
- LA2xx: one name the statement binds has to stay;
- LA3xx: deferring it would free nothing (the candidate's verdict `no-gain`);
- LA4xx: `fix` leaves a safe import alone (its options, or the chosen style).

Each docstring follows ruff's rule docs: what it flags, why the import stays,
an example, and what to write instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    name: str
    template: str      # str.format() fields, filled by the caller
    doc: str

    def format(self, **fields) -> str:
        return self.template.format(**fields)


REASONS: dict[str, Reason] = {}


def _reason(code: str, name: str, template: str, doc: str) -> Reason:
    assert code not in REASONS, code
    REASONS[code] = Reason(code, name, template, doc.strip("\n"))
    return REASONS[code]


FUTURE = _reason("LA101", "future-import", "__future__ import", """
## What it flags
A `from __future__ import ...` statement.

## Why it stays
A future import changes how the whole file is compiled; it must be the first
statement and cannot be deferred.

## Example
```python
from __future__ import annotations
```

## Instead
Nothing to do: it costs nothing at runtime.
""")

STAR = _reason("LA102", "star-import", "star import", """
## What it flags
`from module import *`.

## Why it stays
Which names it binds is only known when it runs, so no use can be traced to it,
and `*` is not allowed inside a function.

## Example
```python
from heavypkg import *
```

## Instead
```python
from heavypkg import compute
```
then defer that import.
""")

ALREADY_LAZY = _reason("LA103", "already-lazy", "already a lazy import", """
## What it flags
A PEP 810 `lazy import` (Python 3.15+).

## Why it stays
It is deferred already: the module loads on the first use of the name.

## Example
```python
lazy import heavypkg
```

## Instead
Nothing to do.
""")

TYPE_CHECKING_ONLY = _reason("LA104", "type-checking", "already under `if TYPE_CHECKING:`", """
## What it flags
An import inside `if TYPE_CHECKING:`.

## Why it stays
It never runs; type checkers read it, the interpreter does not.

## Example
```python
if TYPE_CHECKING:
    from heavypkg import Frame
```

## Instead
Nothing to do.
""")

LOCAL_RUNS_AT_STARTUP = _reason(
    "LA105", "local-import-runs-at-startup",
    "already local to {function}(), which runs at startup", """
## What it flags
An import inside a function that the boot itself called (an `AppConfig.ready()`,
a settings helper, a function called at module level).

## Why it stays
It is local already; it loads at startup because its function runs at startup.
Moving it again would change nothing.

## Example
```python
class ShopConfig(AppConfig):
    def ready(self):
        from heavypkg import compute
        self.table = compute()
```

## Instead
Defer the work, not the import: compute the value on first use.
""")

SIDE_EFFECT_IN_FUNCTION = _reason(
    "LA106", "side-effect-import-at-startup",
    "imported for its side effects in {function}(), which runs at startup", """
## What it flags
An import inside a function that runs at startup and whose name is never used:
the usual `import shop.signals` in `AppConfig.ready()`.

## Why it stays
Importing it is the point: it registers signal handlers, admin classes or checks.

## Example
```python
class ShopConfig(AppConfig):
    def ready(self):
        import shop.signals  # noqa: F401
```

## Instead
Nothing to do; make the handlers module itself cheap to import.
""")

TRY_FALLBACK = _reason(
    "LA107", "import-fallback",
    "inside try/except: an ImportError fallback binds {name} twice", """
## What it flags
An import inside `try:` whose `except` branch binds the same name again.

## Why it stays
Which of the two bindings is live is decided when the module is imported; a
function-local import would raise where the fallback used to apply.

## Example
```python
try:
    import heavypkg
except ImportError:
    heavypkg = None
```

## Instead
Test for the package without importing it, and import it where it is used:
```python
HAVE_HEAVYPKG = importlib.util.find_spec("heavypkg") is not None
```
""")

TRY_BLOCK = _reason(
    "LA108", "import-in-try",
    "inside try/except: the handler would no longer catch what the import raises", """
## What it flags
An import inside `try:` whose handler binds none of its names (it logs, warns,
sets a flag or re-raises).

## Why it stays
Moved into a function, the import would raise there, outside the handler that
catches its errors today.

## Example
```python
try:
    import heavypkg
except ImportError:
    warnings.warn("heavypkg is missing; exports are off")
```

## Instead
Check for the package with `importlib.util.find_spec()` at startup, and import
it in the functions that use it.
""")

CONDITIONAL = _reason(
    "LA109", "conditional-import", "conditional import (inside `{block}`)", """
## What it flags
An import inside `if`, `with`, `for` or `while` at module level.

## Why it stays
Whether and how the name is bound depends on a condition evaluated at startup.

## Example
```python
if settings.EXPORTS:
    import heavypkg
```

## Instead
Import it in the functions that use it, under the same condition.
""")

NO_NAME = _reason("LA110", "binds-no-name", "binds no name", """
## What it flags
An import statement that binds no name of the module in question (for instance a
star import of a package whose submodule is the candidate).

## Why it stays
No use can be traced to it.

## Example
```python
from heavypkg.sub import *
```

## Instead
Import the names you use, then defer that import.
""")

SIDE_EFFECT_MODULE = _reason(
    "LA201", "side-effect-module",
    "{module} is imported for its side effects (such modules register handlers when "
    "imported)", """
## What it flags
An import of a module named like one that registers things when imported:
`signals`, `admin`, `checks`, `receivers`, `handlers`, `hooks`, `plugins`,
`monkeypatch`, `patches`.

## Why it stays
Deferring it would register its handlers late, or never.

## Example
```python
from shop import signals  # noqa: F401
```

## Instead
Nothing to do; make the module itself cheap to import.
""")

IN_ALL = _reason("LA202", "re-exported-in-all", "{name} is re-exported in __all__", """
## What it flags
A name listed in the module's `__all__`.

## Why it stays
It is part of the module's interface: `from module import *` and other modules
expect it to exist.

## Example
```python
from heavypkg import compute
__all__ = ["compute"]
```

## Instead
Re-export it lazily with a module `__getattr__` (PEP 562), or on Python 3.15
with `lazy from heavypkg import compute`.
""")

PACKAGE_INIT = _reason(
    "LA203", "re-exported-by-package", "{name} is re-exported by the package's __init__.py", """
## What it flags
A name imported in a package's `__init__.py`.

## Why it stays
`from package import name` elsewhere, in the project or outside it, expects it.

## Example
```python
# shop/__init__.py
from heavypkg import compute
```

## Instead
A module `__getattr__` (PEP 562), or on Python 3.15 `lazy from heavypkg import
compute`.
""")

USED_OUTSIDE = _reason(
    "LA204", "used-from-outside", "{name} is used from outside the module: {where}", """
## What it flags
A name that another module imports from this one, or that a test patches
(`mock.patch("shop.views.compute")`).

## Why it stays
The other module reads the name when it is imported or patched; moved into a
function it would no longer exist on the module.

## Example
```python
# shop/views.py
from heavypkg import compute
# shop/tasks.py
from shop.views import compute
```

## Instead
Import it from where it comes from (`from heavypkg import compute`) in the other
module too, then defer both.
""")

BOUND_TWICE = _reason(
    "LA205", "bound-more-than-once", "{name} is bound more than once ({how})", """
## What it flags
A name the import binds that is also assigned, deleted, defined, imported from
elsewhere, or declared `global` in the module.

## Why it stays
Which binding is live depends on the order of statements at import time; a
function-local import would shadow the other one.

## Example
```python
import heavypkg
heavypkg = wrap(heavypkg)
```

## Instead
Give the two bindings different names.
""")

IMPORT_TIME_USE = _reason(
    "LA206", "used-at-import-time", "{name} is used at import time: {where} (line {line})", """
## What it flags
A name used while the module is imported: at module level, in a class body, a
decorator, a default argument, a base class, or an annotation evaluated at
runtime.

## Why it stays
The module must be loaded before that line runs, so it loads at startup anyway.

## Example
```python
import numpy as np
ZEROS = np.zeros(3)
```

## Instead
Compute the value on first use (`functools.cache` on a function returning it).
""")

NEVER_USED = _reason(
    "LA207", "imported-for-side-effects", "imported for its side effects ({name} is never used)",
    """
## What it flags
A module-level import whose name the module never uses.

## Why it stays
If it is there for its side effects (registering something, patching something),
deferring it would lose them; if it is dead, delete it instead.

## Example
```python
import heavypkg  # noqa: F401
```

## Instead
Delete it if nothing relies on its side effects.
""")

MODULE_LAMBDA = _reason(
    "LA208", "used-in-module-lambda",
    "{name} is used in a module-level lambda (line {line}), which has no body to import it "
    "in", """
## What it flags
A name used only inside a lambda defined at module level.

## Why it stays
A lambda has no statements, so there is nowhere to put the import.

## Example
```python
import heavypkg
double = lambda x: heavypkg.compute(x)
```

## Instead
```python
def double(x):
    import heavypkg
    return heavypkg.compute(x)
```
""")

FINALIZER = _reason(
    "LA209", "used-in-finalizer",
    "{name} is used in __del__ (line {line}), which may run at interpreter shutdown, when "
    "imports fail", """
## What it flags
A name used in a `__del__` method.

## Why it stays
`__del__` may run while the interpreter shuts down, when an import inside it
can fail.

## Example
```python
import heavypkg
class Handle:
    def __del__(self):
        heavypkg.release(self)
```

## Instead
Keep the import, or release resources with a context manager.
""")

CLASS_GLOBAL_READ = _reason(
    "LA210", "read-by-class-body",
    "{name} is read as a module global by a class body in {where}() that binds {name} too "
    "(line {line})", """
## What it flags
A class defined inside a function whose body assigns the imported name from
itself (`json = json`).

## Why it stays
A class body looks names up in the module's globals, never in the enclosing
function: moved into the function, the import would bind a local the class body
cannot see, and the class would fail with a NameError.

## Example
```python
import json

def make():
    class Codec:
        json = json
    return Codec
```

## Instead
Keep the import, or give the class attribute another name.
""")

DROPS_SUBMODULE = _reason(
    "LA211", "drops-submodule",
    "deferring it drops {submodule} from startup, which {where} reaches as an attribute at "
    "import time", """
## What it flags
In a boot, an import whose deferral takes out of startup a submodule that some
module reaches as an attribute of its package at import time
(`pygments.formatter.Formatter` in a class annotation, say).

## Why it stays
`import a.b` makes `b` an attribute of `a` as a side effect. Code that writes
`a.b.x` without importing `a.b` itself works only because something else loaded
it first; defer that something, and the attribute is missing (AttributeError).

## Example
```python
# colors.py
import pygments
from pygments.formatters.terminal import TerminalFormatter   # loads pygments.formatter
class ColorFormatter(pygments.formatter.Formatter): ...
```

## Instead
Import the submodule where it is used (`import pygments.formatter`), then defer
the other import.
""")

REACHED_AS_ATTRIBUTE = _reason(
    "LA212", "package-reached-as-attribute",
    "{path} is reached as an attribute at import time (line {line}), and an import under "
    "{top} may be what loads it", """
## What it flags
With `fix --select` (no boot to tell which import loads which submodule), an
import under a package in a file that reaches into that package by attribute at
import time.

## Why it stays
The attribute path may exist only because this import loaded the submodule
(see LA211); without a boot nothing tells.

## Example
```python
from pygments.formatters.terminal import TerminalFormatter
class ColorFormatter(pygments.formatter.Formatter): ...
```

## Instead
Import the submodule explicitly, or run `fix` without `--select`, which boots
and knows.
""")

LOADED_ANYWAY = _reason("LA301", "loaded-anyway", "loaded by {loader}", """
## What it flags
A candidate that another module keeps loading at startup (the framework, a
library, or the boot itself), even with every safe import of it deferred.

## Why it stays
Deferring the project's imports of it would free nothing.

## Example
```python
import sqlite3   # Django's sqlite3 backend imports it at startup anyway
```

## Instead
Nothing to do, unless the module that loads it can be deferred.
""")

KEPT_BY_PROJECT = _reason(
    "LA302", "kept-by-own-import",
    "loaded by {loader} ({site}: {why})", """
## What it flags
A candidate whose safe imports could be deferred, but one of the project's own
imports of it has to stay (the reason in brackets) and keeps it loaded.

## Why it stays
Deferring only the safe imports would free nothing.

## Example
```python
# reports/views.py
import pandas as pd            # used only in a view: safe alone
# reports/tables.py
import pandas as pd
EMPTY = pd.DataFrame()         # used at import time: keeps pandas loaded
```

## Instead
Rewrite the import that has to stay (see its own reason), then defer both.
""")

REFUTED = _reason(
    "LA303", "refuted-by-what-if",
    "a what-if boot of what fix would write {what}", """
## What it flags
A candidate the analysis called `safe`, which a what-if boot did not confirm
(`rank --confirm`, and `fix` before it writes anything): the boot of the project
with the rewrite applied still loaded the module, or its private memory dropped
by more than max(15%, 0.5 MiB) less or more than estimated.

## Why it stays
The estimate is a prediction from the import graph; the boot is the measurement.
When they disagree, something the analysis cannot see (a module loaded by name at
runtime, memory a framework allocates anyway) decides, and the rewrite would not
deliver what was promised.

## Example
```python
import lxml.etree   # safe, "saves 2.9 MiB", but a what-if boot dropped 0.2 MiB
```

## Instead
`lazyaudit why MODULE` on the what-if's report shows who still loads it;
`measure --defer MODULE` shows the measured drop.
""")

BELOW_MIN_SAVINGS = _reason(
    "LA401", "below-min-savings",
    "saves {private} MiB private, less than --min-savings", """
## What it flags
A safe candidate whose private savings per worker are below `--min-savings`
(default 1 MiB).

## Why it stays
Moving an import has a cost in readability; below the threshold it is not worth it.

## Example
`lazyaudit fix --min-savings 1MiB` leaves `import json` alone.

## Instead
Lower `--min-savings`, or `fix --select json`.
""")

OUTSIDE_PATHS = _reason("LA402", "outside-paths", "outside the paths given", """
## What it flags
A safe import in a file outside the `PATHS` given to `fix`.

## Why it stays
`fix` changes only the files it was asked to.

## Example
`lazyaudit fix reports/` leaves `uploads/storage.py` alone.

## Instead
Give that path too, or no path.
""")

STYLE_WHOLE_STATEMENT = _reason(
    "LA403", "style-whole-statement",
    "{rest} must stay eager, and `{style}` would make the whole statement lazy; use --style "
    "local", """
## What it flags
With `--style lazy` (or `lazy-modules` for a `from` import), a statement of
which only some names may be deferred.

## Why it stays
`lazy` applies to a whole statement; the other names must stay eager.

## Example
```python
from heavypkg import DEFAULT, compute   # DEFAULT is used at import time
```

## Instead
`--style local` moves `compute` alone, or split the statement by hand.
""")

STYLE_RELATIVE = _reason(
    "LA404", "style-relative-import",
    "relative import: __lazy_modules__ names absolute modules; use --style lazy", """
## What it flags
With `--style lazy-modules`, a relative import (`from . import x`).

## Why it stays
`__lazy_modules__` lists absolute module names; a relative import is not matched.

## Example
```python
from .heavy import compute
```

## Instead
`--style lazy` or `--style local`.
""")

STYLE_OTHER_LINE = _reason(
    "LA405", "style-other-line",
    "__lazy_modules__ would also make line {line} lazy, which must stay eager; use --style "
    "local", """
## What it flags
With `--style lazy-modules`, a module also imported by another statement of the
file that must stay eager.

## Why it stays
`__lazy_modules__` makes every import of the module in the file lazy.

## Example
```python
import heavypkg                  # safe
from heavypkg import DEFAULT     # used at import time
X = DEFAULT
```

## Instead
`--style local` or `--style lazy`.
""")

TEST_OR_DOCS = _reason(
    "LA406", "test-or-docs",
    "a test or documentation file: nothing in it runs at a worker's startup (name it in "
    "PATHS to fix it all the same)", """
## What it flags
With `fix --select`, an import in a test file or a documentation script: a file
under `tests/`, `test/`, `testing/`, `docs/`, `doc/` or `documentation/`, or
named `test_*.py`, `*_test.py`, `tests.py` or `conftest.py`.

## Why it stays
No worker imports these files, so deferring their imports saves nothing, and it
would change code the project's tests rely on for no gain.

## Example
`lazyaudit fix --select pandas` leaves `tests/test_reports.py` alone.

## Instead
Name the file or folder in `PATHS` (`lazyaudit fix --select pandas tests/`).
""")
