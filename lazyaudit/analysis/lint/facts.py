"""What lint needs to know of one file, read from the `ast` the source scan kept.

Per module: the names it binds at module level, the mutable containers and the
instances among them, its classes (bases, class-level mutable attributes, methods),
its functions (parameters, decorators, what they call, what they mutate or assign
and whether the value depends on their parameters), and the calls that register
entry points (URL patterns, `as_view`, routers, MIDDLEWARE, signal connections,
template tag registrations). One walk per file; resolving names across modules is
project.py's job.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..usage import resolve_relative

# A dotted reference as written: ("views", "index"), ("self", "helper"). A part ending
# in "()" is the result of calling it: ("Summary()", "totals") for Summary(...).totals.
Ref = tuple

GROWTH_CALLS = {"append", "add", "extend", "setdefault", "insert", "appendleft", "extendleft"}
STORE_CALLS = {"update", "__setitem__"}
CONTAINER_CALLS = {"list": "list", "dict": "dict", "set": "set", "defaultdict": "dict",
                   "OrderedDict": "dict", "Counter": "dict", "deque": "list"}
SETTINGS_LISTS = {"MIDDLEWARE", "MIDDLEWARE_CLASSES", "DATABASE_ROUTERS"}
# Calls that put a view in a URLconf: path("route/", view), url(r"^x$", view).
URL_CALLS = {"path", "re_path", "url"}
TEMPLATE_REGISTRATIONS = {"filter", "simple_tag", "inclusion_tag", "tag", "assignment_tag"}
# Signals sent while the project starts (or in tests), never per request.
STARTUP_SIGNALS = {"class_prepared", "pre_migrate", "post_migrate", "setting_changed",
                   "autoreload_started", "connection_created"}


@dataclass(slots=True)
class Mutation:
    """A container changed in place: `X.append(...)`, `X[k] = v`, `X += [...]`."""

    target: Ref          # the container: ("CACHE",), ("self", "_cache"), ("mod", "NAME")
    how: str             # ".append", "[...] =", "+=", "|=", ".update"
    growth: bool         # always grows it (append, add, extend, setdefault, list +=)
    data: tuple          # the key and value expressions (for Function.depends)
    line: int
    col: int


@dataclass(slots=True)
class Assignment:
    """`NAME = value` under `global` or `nonlocal`, or `self.NAME = value`."""

    name: str
    line: int
    col: int
    value: ast.expr
    lazy_init: bool = False   # inside `if NAME is None:` / `if not NAME:`
    augmented: bool = False   # `+=` and friends


@dataclass(slots=True)
class Function:
    qname: str
    module: str
    name: str
    line: int
    col: int
    cls: str | None                  # the class's qname, for a method
    params: list[str]
    decorators: list[tuple[Ref, ast.Call | None, ast.expr]] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)   # called or passed on
    # (callee, the names its arguments come from; "request" for request data)
    calls_with: list[tuple[Ref, frozenset]] = field(default_factory=list)
    mutations: list[Mutation] = field(default_factory=list)
    global_assigns: list[Assignment] = field(default_factory=list)
    self_assigns: list[Assignment] = field(default_factory=list)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    nonlocal_assigns: list[Assignment] = field(default_factory=list)
    memo_guards: set[str] = field(default_factory=set)   # globals an early `return` tests
    locals: set[str] = field(default_factory=set)
    imports: dict[str, str] = field(default_factory=dict)     # local name -> qualified
    local_types: dict[str, Ref] = field(default_factory=dict)  # s = Summary() -> ("Summary()",)
    nested: list[str] = field(default_factory=list)
    parent: str | None = None        # the enclosing function's qname
    flows: list[tuple[ast.expr, ast.expr]] = field(default_factory=list)  # (target, value)
    _tainted: tuple | None = None    # computed on first use: most functions never need it

    @property
    def self_name(self) -> str | None:
        """The instance parameter of a method (`self`), or the class one (`cls`)."""
        return self.params[0] if self.cls and self.params else None

    def depends(self, *nodes: ast.expr | None, instance_data: bool = False) -> bool:
        """Does any of the values depend on the function's parameters? With
        `instance_data`, on `self`'s data too (state shared by every instance, keyed
        by one instance's data, grows per instance)."""
        if self._tainted is None:
            self._tainted = self._taint()
        names = self._tainted[1 if instance_data else 0]
        for node in nodes:
            if node is not None:
                for child in ast.walk(node):
                    if child.__class__ is ast.Name and child.id in names:
                        return True
        return False

    def tainted_names(self) -> set[str]:
        """The names that hold data of the parameters (and `request`, whatever it is)."""
        if self._tainted is None:
            self._tainted = self._taint()
        return self._tainted[0] | {"request"}

    def derived(self, roots: set[str]) -> set[str]:
        """`roots` and the names the function assigns from them (`user = request.user`)."""
        names = set(roots)
        for _ in range(2):           # twice: a loop may taint a name used above it
            for target, value in self.flows:
                if any(child.__class__ is ast.Name and child.id in names
                       for child in ast.walk(value)):
                    names.update(child.id for child in ast.walk(target)
                                 if child.__class__ is ast.Name)
        return names

    def _taint(self) -> tuple[set[str], set[str]]:
        plain = {name for name in self.params if name != self.self_name}
        with_instance = plain | ({self.self_name} if self.self_name else set())
        flows = [({child.id for child in ast.walk(target) if child.__class__ is ast.Name},
                  {child.id for child in ast.walk(value) if child.__class__ is ast.Name})
                 for target, value in self.flows]
        for _ in range(2):           # twice: a loop may taint a name used above it
            for names in (plain, with_instance):
                for targets, read in flows:
                    if not read.isdisjoint(names):
                        names.update(targets)
        return plain, with_instance


@dataclass(slots=True)
class Class:
    qname: str
    module: str
    name: str
    line: int
    bases: list[Ref]
    methods: dict[str, str] = field(default_factory=dict)        # name -> function qname
    mutable_attrs: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (kind, line)
    instance_attrs: set[str] = field(default_factory=set)        # `self.NAME = ...` anywhere


@dataclass(slots=True)
class Registration:
    """Something that makes code run per request: a view in a URLconf, a signal
    receiver, a template tag, a class from `as_view` or a router, a settings list."""

    kind: str            # "view" | "view-class" | "include" | "receiver" | "template tag" | ...
    ref: Ref             # what it names, as written
    line: int
    scope: str | None    # the function it was written in (for `self.view`), if any


@dataclass(slots=True)
class ModuleFacts:
    module: str
    path: str
    is_package: bool
    imports: dict[str, str] = field(default_factory=dict)    # local name -> qualified
    names: set[str] = field(default_factory=set)             # bound at module level
    containers: dict[str, tuple[str, int]] = field(default_factory=dict)  # NAME -> (kind, line)
    instances: dict[str, Ref] = field(default_factory=dict)  # NAME -> ("Tracker()",)
    classes: dict[str, Class] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    registrations: list[Registration] = field(default_factory=list)
    settings_lists: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def dotted(node: ast.expr) -> Ref | None:
    """("a", "b", "c") for `a.b.c`; `A(...).b` gives ("A()", "b"); else None."""
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return tuple(reversed(parts))
        elif isinstance(node, ast.Call):
            inner = dotted(node.func)
            if inner is None:
                return None
            return inner[:-1] + (inner[-1] + "()",) + tuple(reversed(parts))
        else:
            return None


def container_kind(value: ast.expr | None) -> str | None:
    """"list", "dict" or "set" when `value` makes a new mutable container that can grow."""
    if isinstance(value, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(value, (ast.Set, ast.SetComp)):
        return "set"
    if isinstance(value, ast.Call):
        name = dotted(value.func)
        kind = CONTAINER_CALLS.get(name[-1]) if name else None
        if kind and name[-1] == "deque" and (len(value.args) > 1 or any(
                keyword.arg == "maxlen" for keyword in value.keywords)):
            return None     # a bounded deque drops its oldest items
        return kind
    return None


def _target_ref(node: ast.expr) -> Ref | None:
    """The container a store or growth call changes: `CACHE[k][j]` -> ("CACHE",)."""
    while isinstance(node, ast.Subscript):
        node = node.value
    ref = dotted(node)
    return ref if ref and not any(part.endswith("()") for part in ref) else None


def _lazy_guard(test: ast.expr) -> set[str]:
    """What `if NAME is None`, `if not NAME`, `if not self.loaded or ...` test: the
    names, and `self.x` as "self.x" (a one-time initialisation runs under it)."""
    if isinstance(test, ast.BoolOp):
        return set().union(*(_lazy_guard(value) for value in test.values))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return {_guard_name(test.operand)} - {None}
    if (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.Is, ast.Eq))
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return {_guard_name(test.left)} - {None}
    return set()


def _assigned(body: list[ast.stmt]) -> set[str]:
    """The names and `self.x` attributes the statements assign, in the _guard_name form."""
    found = set()
    for statement in body:
        for node in ast.walk(statement):
            targets = (node.targets if node.__class__ is ast.Assign
                       else [node.target] if node.__class__ in (ast.AnnAssign, ast.AugAssign)
                       else ())
            for target in targets:
                name = _guard_name(target)
                if name:
                    found.add(name)
    return found


def _guard_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _keyed_guard(test: ast.expr) -> Ref | None:
    """The container of `if KEY not in CONTAINER:`: what is added under it is added
    once per key, so it grows only with keys that come from the request."""
    if (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.NotIn)):
        return _target_ref(test.comparators[0])
    return None


def _argument_root(node: ast.expr) -> str | None:
    """The name an argument is read from, followed down its outermost chain:
    `order.pk` -> "order", `str(user)` -> "user", `data.get_host()` -> "data";
    "request" for the request's data
    (`request.GET["q"]`, `self.request.user.pk`)."""
    while True:
        kind = node.__class__
        if kind is ast.Name:
            return node.id
        if kind is ast.Attribute:
            if node.attr in ("request", "user"):
                return "request"
            node = node.value
        elif kind is ast.Subscript or kind is ast.Starred:
            node = node.value
        elif kind is ast.Call:       # data.get_host() -> data; str(user) -> user
            if node.func.__class__ is ast.Attribute:
                node = node.func.value
            elif node.args:
                node = node.args[0]
            else:
                return None
        else:
            return None


def _params(args: ast.arguments) -> list[str]:
    found = list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
    found += [a for a in (args.vararg, args.kwarg) if a]
    return [a.arg for a in found]


_DEFINITIONS = {ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef}
_FUNCTION_NODES = {ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Global, ast.Nonlocal,
                   ast.Import,
                   ast.ImportFrom, ast.For, ast.AsyncFor, ast.comprehension, ast.withitem,
                   ast.NamedExpr, ast.If}
_FIELDS: dict[type, tuple[str, ...]] = {}    # node class -> its child fields, last first
# What the walk never needs to visit: fields that hold names, numbers or operators, and
# the leaves (a Name matters only as part of a reference, read there by dotted()).
_SCALAR_FIELDS = {"ctx", "op", "ops", "id", "attr", "name", "arg", "asname", "module",
                  "level", "type_comment", "kind", "conversion", "is_async", "names",
                  "type_ignores"}
_LEAVES = {ast.Name, ast.Constant, type(None), str, int}
_END_GUARD = object()     # marks where the body of a lazy-initialisation `if` ends


class _Walker:
    def __init__(self, facts: ModuleFacts):
        self.facts = facts
        self.function: Function | None = None
        self.classes: list[Class] = []
        self.guards: list[set[str]] = []

    # -- module level -------------------------------------------------------

    def module_body(self, body: list[ast.stmt]) -> None:
        for node in body:
            self.statement(node)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.define_function(node)
        elif isinstance(node, ast.ClassDef):
            self.define_class(node)
        elif self.function is None and not self.classes:
            self.module_statement(node)
        else:
            self.walk(node)

    def module_statement(self, node: ast.stmt) -> None:
        facts = self.facts
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.imports(node, facts.imports)
            return
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        facts.names.add(name.id)
                if isinstance(target, ast.Name):
                    kind = container_kind(node.value)
                    if kind:
                        facts.containers[target.id] = (kind, node.lineno)
                    elif isinstance(node.value, ast.Call):
                        ref = dotted(node.value)
                        if ref:
                            facts.instances[target.id] = ref
                    if target.id in SETTINGS_LISTS:
                        facts.settings_lists.setdefault(target.id, []).extend(
                            _strings(node.value))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            if node.target.id in SETTINGS_LISTS:
                facts.settings_lists.setdefault(node.target.id, []).extend(
                    _strings(node.value))
        elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
              and isinstance(node.value.func, ast.Attribute)
              and isinstance(node.value.func.value, ast.Name)
              and node.value.func.value.id in SETTINGS_LISTS):
            facts.settings_lists.setdefault(node.value.func.value.id, []).extend(
                _strings(node.value))
        if isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    self.statement(child)
                elif isinstance(child, ast.ExceptHandler):
                    for statement in child.body:
                        self.statement(statement)
                else:
                    self.walk(child)
            return
        self.walk(node)

    def imports(self, node, into: dict[str, str]) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    into[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    into[head] = head
        else:
            base = resolve_relative(self.facts.module, self.facts.is_package, node.level,
                                    node.module)
            for alias in node.names:
                if alias.name != "*":
                    into[alias.asname or alias.name] = f"{base}.{alias.name}" if base \
                        else alias.name

    # -- definitions --------------------------------------------------------

    def _qualify(self, name: str) -> str:
        if self.function is not None:
            return f"{self.function.qname}.{name}"
        if self.classes:
            return f"{self.classes[-1].qname}.{name}"
        return f"{self.facts.module}.{name}"

    def define_function(self, node) -> None:
        facts = self.facts
        owner = self.classes[-1] if self.classes and self.function is None else None
        function = Function(self._qualify(node.name), facts.module, node.name, node.lineno,
                            node.col_offset, owner.qname if owner else None,
                            _params(node.args), parent=self.function.qname
                            if self.function else None)
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            ref = dotted(call.func if call else decorator)
            if ref:
                function.decorators.append((ref, call, decorator))
            self.walk(decorator)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.walk(default)
        facts.functions[function.qname] = function
        if owner is not None:
            owner.methods[node.name] = function.qname
        elif self.function is not None:
            self.function.nested.append(function.qname)
            self.function.locals.add(node.name)
        elif not self.classes:
            facts.names.add(node.name)
        saved = self.function, self.guards
        self.function, self.guards = function, []
        self.walk_all(node.body)
        self.function, self.guards = saved

    def define_class(self, node: ast.ClassDef) -> None:
        facts = self.facts
        cls = Class(self._qualify(node.name), facts.module, node.name, node.lineno,
                    [ref for ref in map(dotted, node.bases) if ref])
        for child in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.walk(child)
        for decorator in node.decorator_list:    # @admin.register(Order)
            called = dotted(decorator.func) if isinstance(decorator, ast.Call) else None
            if called and called[-1] == "register" and self.function is None:
                facts.registrations.append(Registration(
                    "admin class", tuple(cls.qname[len(facts.module) + 1:].split(".")),
                    node.lineno, None))
        facts.classes[cls.qname] = cls
        if self.function is None and not self.classes:
            facts.names.add(node.name)
        elif self.function is not None:
            self.function.locals.add(node.name)
        saved = self.function
        self.function = None
        self.classes.append(cls)
        for statement in node.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = (statement.targets if isinstance(statement, ast.Assign)
                           else [statement.target])
                kind = container_kind(statement.value)
                for target in targets:
                    if kind and isinstance(target, ast.Name):
                        cls.mutable_attrs[target.id] = (kind, statement.lineno)
            self.statement(statement)
        self.classes.pop()
        self.function = saved

    # -- inside functions ---------------------------------------------------

    def walk(self, node: ast.AST) -> None:
        self.walk_all([node])

    def walk_all(self, nodes: list) -> None:
        """Every node below `nodes`, in source order, in one pass; definitions go
        through statement(). Inside a function it also records the assignments
        (for Function.depends), the `global` names and the lazy-initialisation guards."""
        stack = list(reversed(nodes))
        function = self.function
        while stack:
            node = stack.pop()
            if node is _END_GUARD:
                self.guards.pop()
                continue
            kind = node.__class__
            if kind in _LEAVES:
                continue
            if kind in _DEFINITIONS:
                self.statement(node)
                continue
            if kind is ast.Call:
                self.call(node)
            elif function is not None and kind in _FUNCTION_NODES:
                if kind is ast.Assign:
                    self.assign(node.targets, node.value)
                    function.flows += [(target, node.value) for target in node.targets]
                elif kind is ast.AugAssign:
                    self.augassign(node)
                    function.flows.append((node.target, node.value))
                elif kind is ast.AnnAssign:
                    if node.value is not None:
                        self.assign([node.target], node.value)
                        function.flows.append((node.target, node.value))
                elif kind is ast.Global:
                    function.globals.update(node.names)
                elif kind is ast.Nonlocal:
                    function.nonlocals.update(node.names)
                elif kind is ast.Import or kind is ast.ImportFrom:
                    self.imports(node, function.imports)
                    function.locals.update(function.imports)
                    continue
                elif kind is ast.For or kind is ast.AsyncFor or kind is ast.comprehension:
                    function.flows.append((node.target, node.iter))
                elif kind is ast.withitem:
                    if node.optional_vars is not None:
                        function.flows.append((node.optional_vars, node.context_expr))
                elif kind is ast.NamedExpr:
                    function.flows.append((node.target, node.value))
                elif kind is ast.If:
                    if function.globals and node.body[0].__class__ is ast.Return:
                        # `if CACHE: return CACHE`
                        function.memo_guards.update(
                            child.id for child in ast.walk(node.test)
                            if child.__class__ is ast.Name and child.id in function.globals)
                    # A one-time initialisation sets what it tests: `if not self.debug:
                    # self.last = request.path` runs per request all the same.
                    guard = {name for name in _lazy_guard(node.test)
                             if name in function.globals or name.partition(".")[0]
                             == function.self_name}
                    if guard:
                        guard &= _assigned(node.body)
                    keyed = _keyed_guard(node.test)
                    if keyed:
                        guard.add(keyed)
                    if guard:
                        stack += reversed(node.orelse)
                        stack.append(_END_GUARD)
                        stack += reversed(node.body)
                        stack.append(node.test)
                        self.guards.append(guard)
                        continue
            fields = _FIELDS.get(kind)
            if fields is None:
                fields = _FIELDS[kind] = tuple(reversed(
                    [name for name in node._fields if name not in _SCALAR_FIELDS]))
            for name in fields:
                value = getattr(node, name, None)
                if value.__class__ is list:
                    stack += [item for item in reversed(value)
                              if item.__class__ not in _LEAVES]
                elif value.__class__ not in _LEAVES:
                    stack.append(value)

    def call(self, node: ast.Call) -> None:
        function = self.function
        func = dotted(node.func)
        if function is None:
            if func:
                self.registration(node, func, func[-1], None)
            return
        once = bool(self.guards) and self.once()
        typed = self.typed(func) if func else None
        if func:
            if not once:                     # run once: not per request
                function.refs.append(typed)
            self.registration(node, func, func[-1], function.qname)
        if once or not (node.args or node.keywords):
            return
        arguments = node.args + [keyword.value for keyword in node.keywords] \
            if node.keywords else node.args
        roots = set()
        for argument in arguments:
            kind = argument.__class__
            if kind is ast.Name:
                roots.add(argument.id)
                function.refs.append(self.typed((argument.id,)))
                continue
            root = _argument_root(argument)
            if root:
                roots.add(root)
                if kind is ast.Attribute:
                    ref = dotted(argument)
                    if ref:
                        function.refs.append(self.typed(ref))
        if func and roots:
            function.calls_with.append((typed, frozenset(roots)))
        if node.func.__class__ is ast.Attribute:
            method = node.func.attr
            if method in GROWTH_CALLS or method in STORE_CALLS:
                target = _target_ref(node.func.value)
                if target:
                    function.mutations.append(Mutation(
                        target, f".{method}",
                        method in GROWTH_CALLS and not self.keyed(target),
                        tuple(arguments), node.lineno, node.col_offset))

    def once(self) -> bool:
        """Inside `if not self.loaded:` or `if CACHE is None:`: runs once, not per request."""
        return any(isinstance(name, str) for guard in self.guards for name in guard)

    def keyed(self, target: Ref) -> bool:
        """Inside `if key not in TARGET:`."""
        return any(target in guard for guard in self.guards)

    def typed(self, ref: Ref) -> Ref:
        """`s.totals` where `s = Summary(...)` -> ("Summary()", "totals")."""
        known = self.function.local_types.get(ref[0]) if self.function else None
        return known + ref[1:] if known else ref

    def registration(self, node: ast.Call, func: Ref, last: str, scope) -> None:
        add = self.facts.registrations.append
        args = node.args
        if last in URL_CALLS and len(args) >= 2:
            view = args[1]
            if isinstance(view, ast.Call):
                inner = dotted(view.func)
                if inner and inner[-1] == "include" and view.args:
                    target = view.args[0]
                    if isinstance(target, ast.Tuple) and target.elts:
                        target = target.elts[0]
                    if isinstance(target, ast.Constant) and isinstance(target.value, str):
                        add(Registration("include", (target.value,), node.lineno, scope))
                    elif dotted(target):
                        add(Registration("include", dotted(target), node.lineno, scope))
                    return
            ref = dotted(view)
            if ref:
                add(Registration("view", ref, node.lineno, scope))
        elif last == "as_view" and len(func) >= 2:
            add(Registration("view-class", func[:-1], node.lineno, scope))
        elif (last == "register" and len(args) >= 2 and isinstance(args[0], ast.Constant)
              and isinstance(args[0].value, str)):
            ref = dotted(args[1])       # router.register("prefix", ViewSet)
            if ref:
                add(Registration("registered class", ref, node.lineno, scope))
        elif last == "register" and len(args) >= 2:
            ref = dotted(args[1])       # admin.site.register(Model, OrderAdmin)
            if ref:
                add(Registration("admin class", ref, node.lineno, scope))
        elif last == "connect" and args and not (len(func) >= 2
                                                 and func[-2] in STARTUP_SIGNALS):
            ref = dotted(args[0])
            if ref:
                add(Registration("signal receiver", ref, node.lineno, scope))
        elif (last in TEMPLATE_REGISTRATIONS and len(func) >= 2 and len(args) >= 2
              and func[-2] == "register"):
            ref = dotted(args[1])
            if ref:
                add(Registration(f"template {last.replace('_', ' ')}", ref, node.lineno,
                                 scope))

    def assign(self, targets, value) -> None:
        function = self.function
        for target in targets:
            kind = target.__class__
            if kind is ast.Tuple or kind is ast.List:
                self.assign(target.elts, value)
            elif kind is ast.Subscript:
                ref = _target_ref(target.value)
                if ref and not (self.guards and self.once()):
                    function.mutations.append(Mutation(
                        ref, "[...] =", False, (target.slice, value), target.lineno,
                        target.col_offset))
            elif kind is ast.Attribute:
                if (function.cls and target.value.__class__ is ast.Name
                        and target.value.id == function.self_name):
                    function.self_assigns.append(Assignment(
                        target.attr, target.lineno, target.col_offset, value,
                        bool(self.guards) and self.once()))
            elif kind is ast.Name:
                name = target.id
                if name in function.globals:
                    function.global_assigns.append(Assignment(
                        name, target.lineno, target.col_offset, value,
                        any(name in guard for guard in self.guards)))
                elif name in function.nonlocals:
                    function.nonlocal_assigns.append(Assignment(
                        name, target.lineno, target.col_offset, value,
                        any(name in guard for guard in self.guards)))
                else:
                    function.locals.add(name)
                    if value.__class__ is ast.Call:
                        ref = dotted(value)
                        if ref:
                            function.local_types[name] = self.typed(ref)

    def augassign(self, node: ast.AugAssign) -> None:
        function, target = self.function, node.target
        if target.__class__ is ast.Subscript:
            ref = _target_ref(target.value)
            if ref:
                function.mutations.append(Mutation(
                    ref, f"[...] {_operator(node.op)}=", False, (target.slice, node.value),
                    node.lineno, node.col_offset))
            return
        ref = dotted(target)
        if ref is None:
            return
        if len(ref) == 1 and ref[0] in function.nonlocals:
            function.nonlocal_assigns.append(Assignment(
                ref[0], node.lineno, node.col_offset, node.value, augmented=True))
            return
        if len(ref) == 1 and ref[0] not in function.globals:
            function.locals.add(ref[0])
            return
        grows = isinstance(node.op, ast.Add) and not (
            isinstance(node.value, ast.Constant) and isinstance(node.value.value, (int, float)))
        function.mutations.append(Mutation(ref, f"{_operator(node.op)}=", grows,
                                           (node.value,), node.lineno, node.col_offset))
        assignment = Assignment(ref[-1], node.lineno, node.col_offset, node.value,
                                augmented=True)
        if len(ref) == 1:
            function.global_assigns.append(assignment)
        elif len(ref) == 2 and ref[0] == function.self_name and function.cls:
            function.self_assigns.append(assignment)


def _operator(op: ast.operator) -> str:
    return {ast.Add: "+", ast.BitOr: "|", ast.Sub: "-", ast.Mult: "*"}.get(type(op), "?")


def _strings(node: ast.AST) -> list[tuple[str, int]]:
    return [(child.value, child.lineno) for child in ast.walk(node)
            if isinstance(child, ast.Constant) and isinstance(child.value, str)]


def module_facts(tree: ast.Module, module: str, path: str, is_package: bool) -> ModuleFacts:
    """Everything lint needs from one parsed file."""
    facts = ModuleFacts(module, path, is_package)
    walker = _Walker(facts)
    walker.module_body(tree.body)
    for cls in facts.classes.values():     # `self.x = ...` anywhere: x is the instance's own
        for method in cls.methods.values():
            cls.instance_attrs.update(a.name for a in facts.functions[method].self_assigns
                                      if not a.augmented)
    return facts
