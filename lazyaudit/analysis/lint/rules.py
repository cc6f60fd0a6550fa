"""The lint rules: each with a stable code, a name and its documentation (docs/rules/
is generated from RULES), and the check that finds it on the project.

Codes never change meaning; new rules get new codes. LA5xx are lint's (LA1xx-LA4xx
are the reasons rank and fix give, docs/reasons.md).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...model.lint import LintFinding
from .facts import Function, Mutation
from .project import CONSTRUCTION, Entry, Project


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str
    doc: str      # Markdown: Why / Example / Use instead


RULES = {rule.code: rule for rule in [
    Rule("LA501", "module-state-per-request",
         "module-level mutable container changed by code that runs per request",
         """\
## Why it matters

A module is imported once per worker, so a list, dict or set bound at module level
lives as long as the worker. Code that runs per request and adds to it (`.append`,
`.add`, `.extend`, `.setdefault`, `+=`) makes the worker grow with every request,
and a store keyed or filled with request data (`CACHE[request.user.pk] = ...`) keeps
one user's data where the next request, from another user, can read it.

Reported when the function that changes the container is reachable from an entry
point (a view, middleware, signal receiver, template tag or filter, Celery task).
Growth calls are always reported; stores (`X[k] = v`, `.update`, `|=`) only when the
key or the value depends on the function's parameters. Writes at import time
(registries filled by decorators), reads, and `.clear()`/`.pop()` are not.

## Example

```python
RECENT_EXPORTS = []

def export_orders_csv(request):
    RECENT_EXPORTS.append({"user": str(request.user)})
```

## Use instead

Keep per-request data in the request, the session or the database; a cache that
must live across requests in a bounded one (`django.core.cache`, `lru_cache` with a
`maxsize`, `deque(maxlen=...)`).

```python
def export_orders_csv(request):
    Export.objects.create(user=request.user)
```
"""),
    Rule("LA502", "global-assigned-per-request",
         "`global` name assigned from request data by code that runs per request",
         """\
## Why it matters

`global NAME; NAME = value` in a function that runs per request replaces a module
attribute that every request (and thread) of the worker shares: the value one
request set is seen by the next one, from another user, and a concurrent request
can overwrite it half-way.

Reported when the value depends on the function's parameters (the request, the
user, ...). A lazy one-time initialisation (`if NAME is None: NAME = ...`) and a
value computed without the parameters are not.

## Example

```python
LAST_USER = None

def profile(request):
    global LAST_USER
    LAST_USER = request.user
```

## Use instead

Pass the value along, or keep it on the request (`request.last_user = ...`); for
data that must follow the request through code that cannot take it as an argument,
a `contextvars.ContextVar`.
"""),
    Rule("LA503", "request-data-on-long-lived-instance",
         "request data stored on an object that lives as long as the worker",
         """\
## Why it matters

Django builds one instance of every middleware per worker, one ModelAdmin per model,
one AdminSite, one template `Node` per tag of a compiled template (templates are
cached), one database router: they serve every request the worker handles, from
every thread. `self.user = request.user` in such an object leaks one user's data
into the next request, and two concurrent requests overwrite each other's. The same
holds for the closure of a function-based middleware and for a module-level
instance whose methods the views call.

Reported for an assignment to `self.<attr>` (or a container grown on it) outside
`__init__` whose value depends on the method's parameters. Class-based views
(`as_view()` makes one instance per request), forms, serializers, admin inlines
(`get_inline_instances()` makes them per request) and ModelAdmin classes no
`AdminSite` registers are per request and never reported.

## Example

```python
class CurrentUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.current_user = request.user
        return self.get_response(request)
```

## Use instead

Keep it on the request (`request.current_user = request.user`), pass it as an
argument, or for a template `Node` use `context.render_context`.
"""),
    Rule("LA504", "class-state-per-request",
         "class-level mutable attribute changed by code that runs per request",
         """\
## Why it matters

A list or dict in a class body is made once, when the class is, and shared by every
instance in the worker. `self._cache[key] = value` does not give the instance its
own cache: it writes to the class's, so it grows with every request that makes a new
key and hands one request's data to the next.

Reported when a method reachable from an entry point changes the class-level
container through `self.`, `cls.` or the class's name, with a growth call or with a
key or value that depends on the parameters or on the instance's own data. An
attribute the instance rebinds (`self._cache = {}` in `__init__`) is its own and not
reported.

## Example

```python
class RevenueSummary:
    _cache = {}

    def totals(self):
        key = (self.since, self.until)
        self._cache[key] = compute(key)
        return self._cache[key]
```

## Use instead

Give each instance its own container in `__init__`, or use a bounded cache
(`django.core.cache` with a timeout, `lru_cache(maxsize=...)` on a module function).

```python
class RevenueSummary:
    def __init__(self, since, until):
        self._cache = {}
```
"""),
    Rule("LA505", "unbounded-cache-per-request",
         "unbounded cache on a function that runs per request",
         """\
## Why it matters

`functools.cache` and `lru_cache(maxsize=None)` keep every argument they ever saw:
on a function called per request with request data, the worker grows for ever.
`lru_cache` on a method keys on `self`, so it also keeps every instance alive (and
everything the instance holds) for as long as the cache lives, which is the life of
the worker.

Reported for `functools.cache` and `lru_cache(maxsize=None)` on a function that code
running per request calls with request data (`request`, `request.user`, `self.request`
and what is read from them), and for `lru_cache` on any method (not a `staticmethod`
or `classmethod`) that runs per request. A cache keyed by what the code itself names
(a model class, a setting, a URL pattern) is bounded by the code, and a bounded
`lru_cache(maxsize=N)` on a module-level function fills and stops: not reported.

## Example

```python
@functools.cache
def price_for(user_id, product_id):
    ...

def product(request, product_id):
    return price_for(request.user.pk, product_id)
```

## Use instead

Bound it, or cache outside the process (`django.core.cache`); on a method, cache a
module-level function of the values it needs, or `functools.cached_property` for a
per-instance value.

```python
@functools.lru_cache(maxsize=1024)
def price_for(user_id, product_id):
    ...

def product(request, product_id):
    return price_for(request.user.pk, product_id)
```
"""),
]}


def check(project: Project, root: str) -> list[LintFinding]:
    """Every finding of every rule on the project (unfiltered)."""
    entries = project.entries()
    reached = project.reach(entries)
    long_lived = project.long_lived()
    for qname, instance in project.module_instances().items():
        long_lived.setdefault(qname, f"module-level instance `{instance}`")
    findings: dict[tuple, LintFinding] = {}

    def add(code: str, function: Function, line: int, col: int, state: str,
            message: str) -> None:
        entry = reached.get(function.qname) or Entry(function.qname, "entry point")
        where = (f"runs per request as {_article(entry.kind)} {entry.kind}"
                 if entry.function == function.qname
                 else f"reached from {entry.kind} `{entry.function}`")
        path = project.modules[function.module].path
        if root and path.startswith(root.rstrip("/") + "/"):
            path = path[len(root.rstrip("/")) + 1:]
        finding = LintFinding(code, RULES[code].name, path, line, col + 1,
                              f"{message} (`{function.qname}` {where})", state,
                              function.qname, entry.function, entry.kind)
        findings.setdefault((code, path, line, col), finding)

    carriers = request_carriers(project, entries, reached)
    called_with_request = set()     # by code that hands it the request's own data
    entry_points = {entry.function for entry in entries}
    for qname in reached:
        function = project.functions[qname]
        # The request, what the function takes from it (`user = request.user`), and an
        # entry point's own arguments (a view's URL arguments).
        own = ({name for name in function.params if name != function.self_name}
               if qname in entry_points else set())
        passed = function.derived({"request"} | own)
        for ref, roots in function.calls_with:
            if roots & passed:
                touched: list[str] = []
                project.resolve(ref, function.module, function, touched)
                called_with_request.update(touched)
    for qname in reached:
        function = project.functions[qname]
        for mutation in function.mutations:
            _mutation(project, function, mutation, long_lived, qname in carriers, add)
        if qname in carriers:
            _globals(project, function, add)
            _closure(project, function, add)
        _caches(project, function, qname in called_with_request, add)
    for qname, why in long_lived.items():
        for method in project.all_methods(qname):
            function = project.functions[method]
            if function.name in CONSTRUCTION or method not in reached:
                continue
            if method not in carriers:
                continue
            for assignment in function.self_assigns:
                if (not assignment.lazy_init and project.attr_owner(qname, assignment.name) is None
                        and function.depends(assignment.value)):
                    add("LA503", function, assignment.line, assignment.col,
                        f"{qname}.{assignment.name}",
                        f"`self.{assignment.name}` keeps request data on "
                        f"`{project.classes[qname].name}`, {_article(why)} {why} that lives as long "
                        "as the worker")
    return sorted(findings.values(), key=lambda f: (f.path, f.line, f.col, f.code))


def request_carriers(project: Project, entries: list[Entry], reached) -> set[str]:
    """The functions whose parameters hold request data: the entry points, and those
    that code running per request calls with request data or with data of its own
    parameters (when its own are request data), followed call by call."""
    carriers = {entry.function for entry in entries if entry.function in project.functions}
    queue = list(carriers)
    for qname in reached:          # `helper(request)` anywhere per request
        function = project.functions[qname]
        for ref, roots in function.calls_with:
            if "request" in roots:
                queue += _callees(project, function, ref, carriers)
    while queue:
        function = project.functions[queue.pop()]
        tainted = function.tainted_names()
        for ref, roots in function.calls_with:
            if roots & tainted:
                queue += _callees(project, function, ref, carriers)
    return carriers


def _callees(project: Project, function: Function, ref, carriers: set[str]) -> list[str]:
    """The functions a call may run that are not yet known to carry request data
    (added to `carriers`)."""
    touched: list[str] = []
    project.resolve(ref, function.module, function, touched)
    new = [qname for qname in dict.fromkeys(touched) if qname not in carriers]
    carriers.update(new)
    return new


def _mutation(project: Project, function: Function, mutation: Mutation, long_lived,
              carrier: bool, add) -> None:
    target = project.resolve(mutation.target, function.module, function)
    if target is None:
        return
    # Shared by every instance, a class-level container keyed by one instance's data
    # grows with the instances; elsewhere only the parameters (the request) count.
    if not (mutation.growth or (carrier and function.depends(*mutation.data)) or (
            target[0] == "classattr" and function.depends(*mutation.data, instance_data=True))):
        return
    how = "grows" if mutation.growth else "is written with request data"
    if target[0] == "container":
        facts = project.modules[target[1].rpartition(".")[0]]
        kind = facts.containers[target[1].rpartition(".")[2]][0]
        add("LA501", function, mutation.line, mutation.col, target[1],
            f"module-level {kind} `{target[1]}` {how} per request (`{mutation.how}`)")
    elif target[0] == "classattr":
        owner, attr = target[1], target[2]
        family = set(project.mro(owner)) | _subclasses(project, owner)
        if function.cls:
            family |= set(project.mro(function.cls))
        if any(attr in project.classes[c].instance_attrs for c in family):
            return          # instances rebind it: each has its own
        kind = project.classes[owner].mutable_attrs[attr][0]
        add("LA504", function, mutation.line, mutation.col, f"{owner}.{attr}",
            f"class-level {kind} `{owner}.{attr}`, shared by every instance, {how} per "
            f"request (`{mutation.how}`)")
    elif target[0] == "attr" and target[1] in long_lived and len(mutation.target) == 2 \
            and mutation.target[0] == function.self_name \
            and function.name not in CONSTRUCTION:
        cls = project.classes[target[1]]
        add("LA503", function, mutation.line, mutation.col, f"{target[1]}.{target[2]}",
            f"`self.{target[2]}` {how} per request (`{mutation.how}`) on `{cls.name}`, "
            f"{_article(long_lived[target[1]])} {long_lived[target[1]]} that lives as long as "
            "the worker")
    elif target[0] == "closure":
        parent = project.functions[target[1]]
        if parent.params[:1] == ["get_response"]:
            add("LA503", function, mutation.line, mutation.col,
                f"{parent.qname}.{target[2]}",
                f"`{target[2]}` of the middleware factory `{parent.name}` {how} per "
                f"request (`{mutation.how}`): the closure lives as long as the worker")


def _subclasses(project: Project, qname: str) -> set[str]:
    found, stack = set(), [qname]
    while stack:
        for sub in project.subclasses.get(stack.pop(), []):
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return found


def _globals(project: Project, function: Function, add) -> None:
    facts = project.modules[function.module]
    for assignment in function.global_assigns:
        if (assignment.lazy_init or assignment.name in function.memo_guards
                or not function.depends(assignment.value)):
            continue
        if assignment.augmented and assignment.name in facts.containers:
            continue        # a container grown by +=: LA501 says it
        state = f"{function.module}.{assignment.name}"
        add("LA502", function, assignment.line, assignment.col, state,
            f"`global {assignment.name}` is set from request data per request: every "
            "request of the worker shares it")


def _closure(project: Project, function: Function, add) -> None:
    """`nonlocal user; user = request.user` in the closure of a function-based
    middleware: the factory ran once, its variables live as long as the worker."""
    parent = project.functions.get(function.parent) if function.parent else None
    if parent is None or parent.params[:1] != ["get_response"]:
        return
    for assignment in function.nonlocal_assigns:
        if not assignment.lazy_init and function.depends(assignment.value):
            add("LA503", function, assignment.line, assignment.col,
                f"{parent.qname}.{assignment.name}",
                f"`nonlocal {assignment.name}` of the middleware factory `{parent.name}` is "
                "set from request data per request: the closure lives as long as the worker")


def _caches(project: Project, function: Function, with_request: bool, add) -> None:
    """`with_request`: per-request code calls the function with request data."""
    names = []
    for ref, _, _ in function.decorators:
        found = project.modules[function.module].imports.get(ref[0], ref[0])
        names.append(".".join([found, *ref[1:]]))
    method = function.cls is not None and not {"staticmethod", "classmethod"} & set(names)
    for name, (_, call, decorator) in zip(names, function.decorators, strict=True):
        if name in ("functools.cache", "functools.lru_cache") and method:
            why = (f"`@{name.rpartition('.')[2]}` on the method `{function.name}` keeps "
                   "every `self` it is called")
        elif name == "functools.cache" and with_request:
            why = f"`@functools.cache` on `{function.name}` keeps every argument it is called"
        elif name == "functools.lru_cache" and with_request and call is not None and (
                any(k.arg == "maxsize" and _is_none(k.value) for k in call.keywords)
                or (call.args and _is_none(call.args[0]))):
            why = (f"`@lru_cache(maxsize=None)` on `{function.name}` keeps every argument "
                   "it is called")
        else:
            continue
        add("LA505", function, decorator.lineno, decorator.col_offset - 1, function.qname,
            f"{why} with alive, for the life of the worker")


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
