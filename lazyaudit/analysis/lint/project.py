"""The project as lint sees it: names resolved across modules, the entry points that
run per request, the objects that live as long as the worker, and what the entry
points reach through calls.

Entry points: URLconf views (`path`, `re_path`, `url`, `include`, `as_view`, DRF
routers' `register`), MIDDLEWARE (classes and function factories), signal receivers
(`@receiver`, `.connect`), template tags and filters, template `Node`s, Celery tasks,
ModelAdmin and AdminSite methods, DATABASE_ROUTERS; and the views no URLconf names
statically: subclasses of a `...View`/`...ViewSet` class of a library, functions of
a `views` module whose first parameter is `request`. Calls are followed by name: a
function, `module.function`, `Class(...)` (its `__init__`), `Class(...).method`,
`self.method` (also the overrides in subclasses), methods of module-level instances,
and `obj.method` when exactly one class of the project defines a method so named.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .facts import STARTUP_SIGNALS, Class, Function, ModuleFacts, Ref, dotted

# Base classes (qualified by the imports of the file that names them) whose instances
# Django makes once and keeps for the whole worker.
ADMIN_BASES = {"ModelAdmin", "AdminSite"}
# ModelAdmin.get_inline_instances() makes these anew for every request.
INLINE_BASES = {"InlineModelAdmin", "TabularInline", "StackedInline",
                "GenericInlineModelAdmin", "GenericTabularInline", "GenericStackedInline"}
# Methods that run when the object is made, not per request.
CONSTRUCTION = {"__init__", "__new__", "__init_subclass__", "__set_name__", "__class_getitem__"}
TASK_DECORATORS = {"task", "shared_task", "periodic_task"}
VIEW_SUFFIXES = ("View", "ViewSet")     # Django's and DRF's view classes, and their kin
TEMPLATE_DECORATORS = {"filter": "template filter", "simple_tag": "template tag",
                       "inclusion_tag": "template tag", "tag": "template tag",
                       "assignment_tag": "template tag"}

# What a resolved reference stands for: (kind, qualified name[, attribute]).
# kinds: function, class, instance (of a project class), module, container (module-level
# mutable), classattr (class-level mutable: class qname, attribute), attr (an instance's
# own attribute: class qname, attribute), closure (a local of an enclosing function).
Symbol = tuple


@dataclass(slots=True)
class Entry:
    function: str        # qname of the function or method that runs per request
    kind: str            # "view", "middleware", "signal receiver", ...


class Project:
    def __init__(self, modules: list[ModuleFacts]):
        self.modules = {facts.module: facts for facts in modules}
        self.functions: dict[str, Function] = {}
        self.classes: dict[str, Class] = {}
        for facts in modules:
            self.functions.update(facts.functions)
            self.classes.update(facts.classes)
        self._bases: dict[str, tuple[list[str], list[str]]] = {}
        self._making: set[str] = set()      # module-level instances being resolved
        self.subclasses: dict[str, list[str]] = {}
        for qname in self.classes:
            for base in self.bases(qname)[0]:
                self.subclasses.setdefault(base, []).append(qname)
        self.method_owners: dict[str, list[str]] = {}
        for cls in self.classes.values():
            for name in cls.methods:
                self.method_owners.setdefault(name, []).append(cls.qname)

    # -- names --------------------------------------------------------------

    def lookup(self, module: str, name: str, function: Function | None) -> Symbol | None:
        """What `name` means in `function` (or at module level of `module`)."""
        scope = function
        while scope is not None:
            if name in scope.imports:
                return self.symbol(scope.imports[name])
            nested = f"{scope.qname}.{name}"
            if nested in self.functions:
                return ("function", nested)
            if nested in self.classes:
                return ("class", nested)
            if name in scope.globals:
                break
            if name in scope.locals or name in scope.params:
                if scope is function:
                    return None
                return ("closure", scope.qname, name)
            scope = self.functions.get(scope.parent) if scope.parent else None
        facts = self.modules.get(module)
        if facts is None:
            return None
        if name in facts.imports:
            return self.symbol(facts.imports[name])
        if name in facts.names:
            return self.symbol(f"{module}.{name}")
        return None

    def symbol(self, qname: str, depth: int = 0) -> Symbol | None:
        """The project symbol a qualified name stands for, following re-exports."""
        if qname in self.functions:
            return ("function", qname)
        if qname in self.classes:
            return ("class", qname)
        if qname in self.modules:
            return ("module", qname)
        if depth > 8:
            return None
        parts = qname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            facts = self.modules.get(module)
            if facts is None:
                continue
            head, rest = parts[cut], parts[cut + 1:]
            if head in facts.imports:
                return self.symbol(".".join([facts.imports[head], *rest]), depth + 1)
            if rest:
                found = self.symbol(f"{module}.{head}", depth + 1)
                for part in rest:
                    found = self.member(found, part) if found else None
                return found
            if head in facts.containers:
                return ("container", qname)
            if head in facts.instances and qname not in self._making:
                self._making.add(qname)      # `x = x()` must not resolve for ever
                try:
                    made = self.resolve(facts.instances[head], module, None)
                finally:
                    self._making.discard(qname)
                return made if made and made[0] == "instance" else ("name", qname)
            return ("name", qname) if head in facts.names else None
        return None

    def member(self, owner: Symbol, name: str) -> Symbol | None:
        """`owner.name`: a module's name, a class's or an instance's method or attribute."""
        kind = owner[0]
        if kind == "module":
            return self.symbol(f"{owner[1]}.{name}")
        if kind in ("class", "instance"):
            method = self.method_of(owner[1], name)
            if method:
                return ("function", method)
            holder = self.attr_owner(owner[1], name)
            if holder:
                return ("classattr", holder, name)
            return ("attr", owner[1], name)
        return None

    def resolve(self, ref: Ref, module: str, function: Function | None,
                touched: list[str] | None = None) -> Symbol | None:
        """What a dotted reference stands for; `touched` collects every function it
        calls or names on the way (a class called: its `__init__`)."""
        head = ref[0]
        called = head.endswith("()")
        name = head[:-2] if called else head
        if function is not None and function.cls and name == function.self_name:
            found = ("instance", function.cls)
        else:
            found = self.lookup(module, name, function)
        if found is not None and called:
            found = self._call(found, touched)
        for part in ref[1:]:
            if found is None:
                break
            called = part.endswith("()")
            found = self.member(found, part[:-2] if called else part)
            if found is not None and found[0] == "function" and touched is not None:
                touched.append(found[1])
                if function is not None and ref[0] == function.self_name:
                    touched.extend(self.overrides(found[1]))
            if found is not None and called:
                found = self._call(found, touched)
        if found is None and touched is not None and len(ref) >= 2 and \
                not ref[-1].endswith("()"):
            owners = self.method_owners.get(ref[-1], [])
            if len(owners) == 1 and not ref[-1].startswith("__"):
                touched.append(self.classes[owners[0]].methods[ref[-1]])
        if found is not None and touched is not None and len(ref) == 1:
            if found[0] == "function":
                touched.append(found[1])
            elif found[0] == "class":
                init = self.method_of(found[1], "__init__")
                if init:
                    touched.append(init)
        return found

    def _call(self, found: Symbol, touched: list[str] | None) -> Symbol | None:
        if found[0] == "class":
            if touched is not None:
                init = self.method_of(found[1], "__init__")
                if init:
                    touched.append(init)
            return ("instance", found[1])
        if found[0] == "function" and touched is not None:
            touched.append(found[1])
        return None

    # -- classes ------------------------------------------------------------

    def bases(self, qname: str) -> tuple[list[str], list[str]]:
        """(project base classes, qualified names of the other bases)."""
        if qname not in self._bases:
            self._bases[qname] = ([], [])      # a cycle ends here
            cls = self.classes[qname]
            project, other = [], []
            for ref in cls.bases:
                found = self.resolve(ref, cls.module, None)
                if found and found[0] == "class":
                    project.append(found[1])
                else:
                    facts = self.modules[cls.module]
                    head = facts.imports.get(ref[0], ref[0])
                    other.append(".".join([head, *ref[1:]]))
            self._bases[qname] = (project, other)
        return self._bases[qname]

    def mro(self, qname: str) -> list[str]:
        """The class and its project ancestors, nearest first."""
        order, queue = [], deque([qname])
        while queue:
            current = queue.popleft()
            if current in order or current not in self.classes:
                continue
            order.append(current)
            queue.extend(self.bases(current)[0])
        return order

    def external_bases(self, qname: str) -> set[str]:
        return {name for current in self.mro(qname) for name in self.bases(current)[1]}

    def method_of(self, qname: str, name: str) -> str | None:
        for current in self.mro(qname):
            method = self.classes[current].methods.get(name)
            if method:
                return method
        return None

    def attr_owner(self, qname: str, name: str) -> str | None:
        """The class of the MRO that holds `name` as a class-level mutable container."""
        for current in self.mro(qname):
            if name in self.classes[current].mutable_attrs:
                return current
        return None

    def overrides(self, method: str) -> list[str]:
        """The same method in every project subclass of its class (`self.m()` may run
        any of them)."""
        function = self.functions[method]
        found, queue = [], deque(self.subclasses.get(function.cls, []))
        seen = set()
        while queue:
            current = queue.popleft()
            if current in seen:
                continue
            seen.add(current)
            own = self.classes[current].methods.get(function.name)
            if own:
                found.append(own)
            queue.extend(self.subclasses.get(current, []))
        return found

    def all_methods(self, qname: str) -> list[str]:
        """Every method an instance of the class has, its own and inherited."""
        found: dict[str, str] = {}
        for current in self.mro(qname):
            for name, method in self.classes[current].methods.items():
                found.setdefault(name, method)
        return list(found.values())

    # -- what lives how long ------------------------------------------------

    def settings_classes(self, setting: str) -> list[Symbol]:
        """What the dotted strings of a settings list (MIDDLEWARE, ...) name."""
        found = []
        for facts in self.modules.values():
            for text, _ in facts.settings_lists.get(setting, []):
                symbol = self.symbol(text) if "." in text else None
                if symbol and symbol[0] in ("class", "function"):
                    found.append(symbol)
        return found

    def long_lived(self) -> dict[str, str]:
        """{class qname: why its instances live as long as the worker}."""
        found: dict[str, str] = {}
        # AdminSite.register() makes the one instance of a ModelAdmin; a ModelAdmin
        # that is never registered (a plugin base made per request) is no such object.
        registered = {ancestor for admin in self.registered_admins()
                      for ancestor in self.mro(admin)}
        for kind, qname in self.settings_classes("MIDDLEWARE") + self.settings_classes(
                "MIDDLEWARE_CLASSES"):
            if kind == "class":
                found[qname] = "middleware"
        for kind, qname in self.settings_classes("DATABASE_ROUTERS"):
            if kind == "class":
                found[qname] = "database router"
        for qname in self.classes:
            if qname in found:
                continue
            init = self.method_of(qname, "__init__")
            params = self.functions[init].params if init else []
            external = self.external_bases(qname)
            last = {name.rpartition(".")[2] for name in external}
            if params[1:2] == ["get_response"] or "MiddlewareMixin" in last:
                found[qname] = "middleware"
            elif (last & ADMIN_BASES and not last & INLINE_BASES
                  and any("admin" in name for name in external)
                  and ("AdminSite" in last or qname in registered)):
                found[qname] = "admin"
            elif any(name.rpartition(".")[2] == "Node" and name.startswith(
                    ("django.template", "template.", "Node")) for name in external):
                found[qname] = "template node"
        return found

    def registered_admins(self) -> set[str]:
        """The classes registered with an AdminSite (`site.register(Model, Admin)`,
        `@admin.register(Model)`)."""
        found = set()
        for facts in self.modules.values():
            for registration in facts.registrations:
                if registration.kind == "admin class":
                    symbol = self.resolve(registration.ref, facts.module, None)
                    if symbol is not None and symbol[0] == "class":
                        found.add(symbol[1])
        return found

    def module_instances(self) -> dict[str, str]:
        """{class qname: "module.NAME"} for the project classes instantiated at module level."""
        found = {}
        for facts in self.modules.values():
            for name, ref in facts.instances.items():
                made = self.resolve(ref, facts.module, None)
                if made and made[0] == "instance":
                    found.setdefault(made[1], f"{facts.module}.{name}")
        return found

    # -- entry points and what they reach ----------------------------------

    def entries(self) -> list[Entry]:
        found: list[Entry] = []

        def add_class(qname: str, kind: str) -> None:
            # Not the protocol methods (`__getattr__`, `__eq__`...): Python calls them
            # with names and operands, not requests; `__call__` is the request's.
            for method in self.all_methods(qname):
                name = self.functions[method].name
                if name in ("__call__", "__acall__") or not (
                        name.startswith("__") and name.endswith("__")):
                    found.append(Entry(method, kind))

        for facts in self.modules.values():
            for registration in facts.registrations:
                if registration.kind in ("include", "admin class"):
                    continue
                scope = self.functions.get(registration.scope) if registration.scope \
                    else None
                symbol = self.resolve(registration.ref, facts.module, scope)
                if symbol is None:
                    continue
                kind = "view" if registration.kind.startswith("view") or \
                    registration.kind == "registered class" else registration.kind
                if symbol[0] == "function":
                    found.append(Entry(symbol[1], kind))
                elif symbol[0] == "class":
                    add_class(symbol[1], kind)
            for function in facts.functions.values():
                kind = self._decorated_entry(function)
                if kind:
                    found.append(Entry(function.qname, kind))
        for qname, why in self.long_lived().items():
            add_class(qname, why)
        # Views no URLconf names statically (URLs built at run time, as Oscar's apps
        # do): a class-based view, and a function of a views module taking `request`.
        for qname in self.classes:
            if any(name.rpartition(".")[2].endswith(VIEW_SUFFIXES)
                   for name in self.external_bases(qname)):
                add_class(qname, "view")
        for function in self.functions.values():
            if (not function.cls and not function.parent and function.params[:1] == ["request"]
                    and "views" in function.module.split(".")):
                found.append(Entry(function.qname, "view"))
        for kind, qname in self.settings_classes("MIDDLEWARE") + self.settings_classes(
                "MIDDLEWARE_CLASSES"):
            if kind == "function":
                for nested in self.functions[qname].nested:
                    found.append(Entry(nested, "middleware"))
        for function in self.functions.values():   # def middleware(get_response): ...
            if function.params[:1] == ["get_response"] and not function.cls:
                found += [Entry(nested, "middleware") for nested in function.nested]
        return found

    def _decorated_entry(self, function: Function) -> str | None:
        for ref, call, _ in function.decorators:
            last = ref[-1]
            if last == "receiver":
                signal = dotted(call.args[0]) if call is not None and call.args else None
                if signal and signal[-1] in STARTUP_SIGNALS:
                    return None
                return "signal receiver"
            if last in TASK_DECORATORS:
                return "Celery task"
            if last in TEMPLATE_DECORATORS and (len(ref) >= 2 and ref[-2] == "register"):
                return TEMPLATE_DECORATORS[last]
        return None

    def reach(self, entries: list[Entry]) -> dict[str, Entry]:
        """{function qname: the entry point that reaches it}, breadth first."""
        reached: dict[str, Entry] = {}
        queue: deque[str] = deque()
        for entry in entries:
            if entry.function in self.functions and entry.function not in reached:
                reached[entry.function] = entry
                queue.append(entry.function)
        while queue:
            current = self.functions[queue.popleft()]
            entry = reached[current.qname]
            for callee in self.callees(current):
                if callee not in reached and callee in self.functions:
                    reached[callee] = entry
                    queue.append(callee)
        return reached

    def callees(self, function: Function) -> list[str]:
        touched: list[str] = list(function.nested)
        for ref in function.refs:
            self.resolve(ref, function.module, function, touched)
        return touched

