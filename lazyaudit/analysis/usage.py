"""Where the names bound by each import are used, from one file's `ast`.

For every import statement at module level (and every import inside a function,
for the callers that care), it records each bound name's uses and classes them:
import-time (the name must exist while the module is imported), deferred (only
inside function or lambda bodies), or annotation-only. It also records what makes
moving the import unsafe: extra bindings of the name, `__all__`, star and
`__future__` imports, statements inside try/if blocks.
"""

from __future__ import annotations

import ast
import re
import sys
import threading
from dataclasses import dataclass, field

# Use classes
IMPORT_TIME, DEFERRED, ANNOTATION = "import-time", "deferred", "annotation"
# A class body that binds the name itself reads the module's global, never the
# enclosing function's local: a function-local import would not be seen there.
GLOBAL_READ = "global-read"


@dataclass(slots=True)
class Use:
    kind: str            # IMPORT_TIME | DEFERRED | ANNOTATION | GLOBAL_READ
    line: int
    where: str           # why it is import-time ("decorator", ...) or the function's name
    def_line: int = 0    # line of the innermost `def` around a deferred use (0: none)


@dataclass(slots=True)
class Binding:
    """One name bound by an import statement."""

    name: str            # the local name
    module: str          # absolute module the statement imports (`from M import x` -> M)
    attribute: str | None = None   # x in `from M import x`
    uses: list[Use] = field(default_factory=list)
    other_bindings: list[str] = field(default_factory=list)  # "assignment at line 12", ...
    in_all: bool = False

    @property
    def imported(self) -> str:
        """The module or attribute the name stands for: `from M import x` -> M.x."""
        return f"{self.module}.{self.attribute}" if self.attribute else self.module

    @property
    def import_time_uses(self) -> list[Use]:
        return [use for use in self.uses if use.kind == IMPORT_TIME]

    @property
    def deferred_uses(self) -> list[Use]:
        return [use for use in self.uses if use.kind == DEFERRED]

    @property
    def annotation_only(self) -> bool:
        return bool(self.uses) and all(use.kind == ANNOTATION for use in self.uses)


@dataclass(slots=True)
class ImportStatement:
    line: int
    end_line: int
    modules: list[str]            # what the statement imports, absolute
    bindings: list[Binding]
    block: str = ""               # "" at top level, else "try", "if", "with", ...
    function: str | None = None   # enclosing function for imports inside one
    star: bool = False
    future: bool = False
    type_checking: bool = False   # inside `if TYPE_CHECKING:`
    lazy: bool = False            # a PEP 810 `lazy import` already
    level: int = 0                # dots of a relative `from . import x`


@dataclass(slots=True)
class FileUsage:
    path: str
    module: str                   # the file's dotted module name
    is_package: bool
    statements: list[ImportStatement]
    future_annotations: bool
    strings: list[tuple[str, int]] = field(default_factory=list)   # dotted strings, for mock.patch
    attribute_refs: list[tuple[str, str, int]] = field(default_factory=list)  # (module, attr, line)
    defines_all: bool = False     # has __all__ (else `from it import *` takes every public name)
    # `pkg.sub.attr` read while the module is imported: `pkg.sub` must be loaded by then,
    # perhaps only as a side effect of another import. (dotted value, line, local name)
    import_time_paths: list[tuple[str, int, str]] = field(default_factory=list)


def resolve_relative(module_name: str, is_package: bool, level: int, target: str | None) -> str:
    """Absolute name of `from .target import ...` written in `module_name`."""
    if not level:
        return target or ""
    parts = module_name.split(".")
    base = parts if is_package else parts[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class _Scanner(ast.NodeVisitor):
    """One pass over a module: import statements, bindings and uses of every name."""

    def __init__(self, module: str, is_package: bool):
        self.module = module
        self.is_package = is_package
        self.statements: list[ImportStatement] = []
        self.future_annotations = False
        # Context while walking
        self.block: list[str] = []          # enclosing compound statements at module level
        self.functions: list[str] = []      # enclosing function names
        self.scopes: list[_Scope] = []      # enclosing function scopes, innermost last
        self.scopes_now: tuple = ()         # tuple(self.scopes), kept up to date
        self.where_now = ""                 # ".".join(self.functions), kept up to date
        self.def_lines: list[int] = []      # line of each enclosing def (0 for a lambda)
        self.def_now = 0                    # innermost def's line, kept up to date
        self.raw_uses: list[tuple] = []     # (name, kind, line, where, scopes, def line)
        self.lazy_lines: set[int] = set()   # lines of `lazy import` statements
        self.context: str | None = None     # import-time reason while in such a position
        self.annotation = False
        self.type_checking = False
        self.in_class = 0
        self.in_class_body = False   # directly in a class body (not in one of its methods)
        self.uses: dict[str, list[Use]] = {}
        self.bindings: dict[str, list[str]] = {}    # name -> descriptions of every binding
        self.all_names: set[str] = set()
        self.defines_all = False
        self.strings: list[tuple[str, int]] = []
        self.attribute_refs: list[tuple[str, str, int]] = []
        self.module_aliases: dict[str, str] = {}    # local name -> module, for `alias.attr`
        # (name, line) of `import a.b` without `as`: each binds `a` to the same package
        self.package_binds: set[tuple[str, int]] = set()
        self.star_imports: list[tuple[int, str]] = []   # (line, module) at module level
        self.import_time_paths: list[tuple[str, int, str]] = []

    # -- dispatch (ast.NodeVisitor's, made cheaper: the scan must keep near
    #    the speed of ast.parse itself) ---------------------------------------

    _dispatch: dict = {}

    def visit(self, node: ast.AST) -> None:
        entry = self._dispatch.get(node.__class__)
        if entry is None:
            name = "visit_" + node.__class__.__name__
            method = getattr(type(self), name, None)
            fields = tuple(f for f in node._fields if f != "ctx")
            entry = self._dispatch[node.__class__] = (method, fields)
        method, fields = entry
        if method is not None:
            method(self, node)
        else:
            self._children(node, fields)

    def generic_visit(self, node: ast.AST) -> None:
        self._children(node, self._dispatch.get(node.__class__, (None, node._fields))[1])

    def _children(self, node: ast.AST, fields) -> None:
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    # -- imports ------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        bindings = []
        for alias in node.names:
            if alias.asname:
                local, module = alias.asname, alias.name
            else:
                local, module = alias.name.partition(".")[0], alias.name
                if not self.functions:
                    self.package_binds.add((local, node.lineno))
            bindings.append(Binding(local, module))
            self.module_aliases.setdefault(local, alias.name if alias.asname else local)
            self._bind(local, f"import at line {node.lineno}")
        self._statement(node, [alias.name for alias in node.names], bindings)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = resolve_relative(self.module, self.is_package, node.level, node.module)
        if node.module == "__future__":
            if any(alias.name == "annotations" for alias in node.names):
                self.future_annotations = True
            self._statement(node, ["__future__"], [], future=True)
            return
        star = any(alias.name == "*" for alias in node.names)
        if star:   # binds names not known here: every import bound before it, again
            self.star_imports.append((node.lineno, module))
        bindings = []
        for alias in node.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            bindings.append(Binding(local, module, alias.name))
            self.module_aliases.setdefault(local, f"{module}.{alias.name}")
            self._bind(local, f"import at line {node.lineno}")
        self._statement(node, [module], bindings, star=star, level=node.level)

    def _statement(self, node, modules, bindings, *, star=False, future=False, level=0) -> None:
        self.statements.append(ImportStatement(
            line=node.lineno, end_line=getattr(node, "end_lineno", node.lineno) or node.lineno,
            modules=modules, bindings=bindings,
            block=self.block[-1] if self.block else "",
            function=".".join(self.functions) or None, star=star, future=future,
            type_checking=self.type_checking,
            lazy=bool(getattr(node, "is_lazy", False)) or node.lineno in self.lazy_lines,
            level=level))
        if self.scopes:   # an import inside a function binds a local name
            for binding in bindings:
                self.scopes[-1].local.add(binding.name)

    # -- bindings -----------------------------------------------------------

    def _bind(self, name: str, how: str) -> None:
        if not self.functions:
            self.bindings.setdefault(name, []).append(how)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            self.bindings.setdefault(name, []).append(
                f"`global {name}` in {'.'.join(self.functions) or 'module'} at line {node.lineno}")
            if self.scopes:
                self.scopes[-1].declared_global.add(name)

    visit_Nonlocal = visit_Global

    def visit_Assign(self, node: ast.Assign) -> None:
        if (not self.functions and not self.in_class and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "__all__"):
            self._collect_all(node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if (not self.functions and isinstance(node.target, ast.Name)
                and node.target.id == "__all__"):
            self._collect_all(node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        if (not self.functions and isinstance(function, ast.Attribute)
                and isinstance(function.value, ast.Name) and function.value.id == "__all__"):
            for argument in node.args:      # __all__.append("x"), __all__.extend([...])
                self._collect_all(argument)
        self._named_attribute(node)
        self.generic_visit(node)

    def _collect_all(self, value: ast.expr) -> None:
        self.defines_all = True
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.all_names.add(value.value)
        elif isinstance(value, ast.BinOp):
            self._collect_all(value.left)
            self._collect_all(value.right)
        elif isinstance(value, (ast.List, ast.Tuple)):
            for item in value.elts:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    self.all_names.add(item.value)

    # -- scopes -------------------------------------------------------------

    def visit_FunctionDef(self, node) -> None:
        self._bind(node.name, f"def at line {node.lineno}")
        if self.scopes:
            self.scopes[-1].local.add(node.name)
        self._at_import_time("decorator", node.decorator_list)
        self._at_import_time("default argument", node.args.defaults)
        self._at_import_time("default argument", [d for d in node.args.kw_defaults if d])
        self._annotations(node)
        self._enter(node.name, node.args, node.lineno)
        saved = self.context, self.block, self.in_class_body
        self.context, self.block, self.in_class_body = None, [], False
        for statement in node.body:
            self.visit(statement)
        self.context, self.block, self.in_class_body = saved
        self._leave()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._at_import_time("default argument", node.args.defaults)
        self._at_import_time("default argument", [d for d in node.args.kw_defaults if d])
        self._enter("<lambda>", node.args, 0)
        saved = self.context
        self.context = None
        self.visit(node.body)
        self.context = saved
        self._leave()

    def _enter(self, name: str, args: ast.arguments, def_line: int) -> None:
        self.functions.append(name)
        self.def_lines.append(def_line)
        self.scopes.append(_Scope({a.arg for a in _all_args(args)}))
        self._update_context()

    def _leave(self) -> None:
        self.functions.pop()
        self.def_lines.pop()
        self.scopes.pop()
        self._update_context()

    def _update_context(self) -> None:
        self.scopes_now, self.where_now = tuple(self.scopes), ".".join(self.functions)
        self.def_now = next((line for line in reversed(self.def_lines) if line), 0)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind(node.name, f"class at line {node.lineno}")
        if self.scopes:
            self.scopes[-1].local.add(node.name)
        self._at_import_time("decorator", node.decorator_list)
        self._at_import_time("base class", node.bases)
        self._at_import_time("metaclass or class keyword",
                             [keyword.value for keyword in node.keywords])
        self.in_class += 1
        saved = self.context, self.in_class_body
        self.in_class_body = True
        if not self.functions:
            self.context = self.context or "class body"
        # A class body inside a function has its own names: they hide nothing
        # from the function, and only the class body itself sees them.
        if self.scopes:
            self.scopes.append(_Scope(set(), class_body=True))
            self._update_context()
        for statement in node.body:
            self.visit(statement)
        if self.scopes and self.scopes[-1].class_body:
            self.scopes.pop()
            self._update_context()
        self.context, self.in_class_body = saved
        self.in_class -= 1

    def _at_import_time(self, reason: str, nodes) -> None:
        saved = self.context
        if not self.functions:
            self.context = reason
        for child in nodes:
            self.visit(child)
        self.context = saved

    def _annotations(self, node) -> None:
        annotations = [a.annotation for a in _all_args(node.args) if a.annotation]
        if node.returns:
            annotations.append(node.returns)
        # Decorators such as functools.singledispatch's register() and web frameworks'
        # route decorators read a function's annotations while the module is imported.
        evaluated = not self.future_annotations or bool(node.decorator_list)
        self._visit_annotations(annotations, evaluated=evaluated)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        # Local variable annotations are never evaluated; module-level ones are, unless
        # `from __future__ import annotations`. Class-level ones count as evaluated
        # always: dataclasses, pydantic and ORMs resolve them when the class is made.
        evaluated = self.in_class_body or (not self.functions and not self.future_annotations)
        self._visit_annotations([node.annotation], evaluated=evaluated)
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def _visit_annotations(self, annotations, *, evaluated: bool) -> None:
        saved = self.context, self.annotation
        if not evaluated:
            self.annotation = True
        elif not self.functions:
            self.context = "annotation evaluated at runtime"
        # else: evaluated when the enclosing function runs, a plain use there
        for annotation in annotations:
            self.visit(annotation)
        self.context, self.annotation = saved

    def visit_ListComp(self, node) -> None:
        # The loop variables belong to the comprehension, not to the enclosing
        # function. (At module level the uses are import-time anyway.)
        if not self.scopes:
            self.generic_visit(node)
            return
        self.scopes.append(_Scope(set()))
        self._update_context()
        self.generic_visit(node)
        self.scopes.pop()
        self._update_context()

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    # -- compound statements at module level -----------------------------------

    def _visit_block(self, kind: str, node) -> None:
        self.block.append(kind)
        self.generic_visit(node)
        self.block.pop()

    def visit_Try(self, node) -> None:
        self._visit_block("try", node)

    visit_TryStar = visit_Try

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self.visit(node.test)     # `typing.TYPE_CHECKING` uses `typing`
            saved = self.type_checking, self.annotation
            self.type_checking = self.annotation = True
            self.block.append("if TYPE_CHECKING")
            for statement in node.body:
                self.visit(statement)
            self.block.pop()
            self.type_checking, self.annotation = saved
            self.block.append("if")
            for statement in node.orelse:
                self.visit(statement)
            self.block.pop()
            return
        self._visit_block("if", node)

    def visit_With(self, node) -> None:
        self._visit_block("with", node)

    visit_AsyncWith = visit_With

    def visit_For(self, node) -> None:
        self._visit_block("for", node)

    visit_AsyncFor = visit_For
    visit_While = visit_For

    # -- names --------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._use(node.id, node.lineno)
        elif self.scopes:
            self.scopes[-1].local.add(node.id)   # assigned in a function: a local name
        elif isinstance(node.ctx, ast.Store):
            self._bind(node.id, f"assignment at line {node.lineno}")
        else:
            self._bind(node.id, f"`del` at line {node.lineno}")

    def _store(self, name: str | None, line: int, how: str) -> None:
        """A name bound by a statement that has no ast.Name for it."""
        if not name:
            return
        if self.scopes:
            self.scopes[-1].local.add(name)
        else:
            self._bind(name, f"{how} at line {line}")

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self._store(node.name, node.lineno, "`except ... as`")   # (deleted after it, too)
        self.generic_visit(node)

    def visit_MatchAs(self, node) -> None:
        self._store(node.name, node.lineno, "`case` pattern")
        self.generic_visit(node)

    visit_MatchStar = visit_MatchAs

    def visit_MatchMapping(self, node) -> None:
        self._store(node.rest, node.lineno, "`case` pattern")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = self._module_path(node.value)
        if value:
            self.attribute_refs.append((value, node.attr, node.lineno))
            if (isinstance(node.value, ast.Attribute) and not self.functions
                    and not self.annotation):
                root = node.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                self.import_time_paths.append((value, node.lineno, root.id))
        self.generic_visit(node)

    def _named_attribute(self, node: ast.Call) -> None:
        """`monkeypatch.setattr(module, "name", ...)`, `mock.patch.object(module, "name")`,
        `getattr(module, "name")`: the module's name is used from here."""
        function = node.func
        called = (function.id if isinstance(function, ast.Name)
                  else function.attr if isinstance(function, ast.Attribute) else "")
        if called not in _NAMED_ATTRIBUTE_CALLS or len(node.args) < 2:
            return
        module, name = self._module_path(node.args[0]), node.args[1]
        if module and isinstance(name, ast.Constant) and isinstance(name.value, str):
            self.attribute_refs.append((module, name.value, node.lineno))

    def _module_path(self, node: ast.expr) -> str | None:
        """`alias.sub.attr` -> "package.sub.attr" when `alias` is bound by an import."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.module_aliases:
            return None
        return ".".join([self.module_aliases[node.id], *reversed(parts)])

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str) and "." in value and len(value) < 200 and " " not in value:
            self.strings.append((value, node.lineno))

    def _use(self, name: str, line: int) -> None:
        # Raw tuples: most names are not bound by an import; Use objects are made
        # in finish() only for those that are.
        if self.annotation:
            self.raw_uses.append((name, ANNOTATION, line, "annotation", self.scopes_now,
                                  self.def_now))
        elif self.functions:
            self.raw_uses.append((name, DEFERRED, line, self.where_now, self.scopes_now,
                                  self.def_now))
        else:
            self.raw_uses.append((name, IMPORT_TIME, line, self.context or "module level", (),
                                  0))

    # -- result -------------------------------------------------------------

    def finish(self) -> list[ImportStatement]:
        # Whether a function's local shadows the name is known only once its whole
        # body is read (Python decides it per function, not per line).
        imported = {b.name for statement in self.statements for b in statement.bindings}
        for name, kind, line, where, scopes, def_line in self.raw_uses:
            if name not in imported:
                continue
            if _class_global(name, scopes):
                self.uses.setdefault(name, []).append(Use(GLOBAL_READ, line, where, def_line))
            elif not _shadowed(name, scopes):
                self.uses.setdefault(name, []).append(Use(kind, line, where, def_line))
        for uses in self.uses.values():
            uses.sort(key=lambda use: use.line)
        for statement in self.statements:
            for binding in statement.bindings:
                binding.uses = self.uses.get(binding.name, [])
                everywhere = self.bindings.get(binding.name, [])
                own = f"import at line {statement.line}"
                same = set()   # `import a.b` and `import a.c` both bind the package `a`
                if (binding.name, statement.line) in self.package_binds:
                    same = {f"import at line {line}" for name, line in self.package_binds
                            if name == binding.name}
                binding.other_bindings = [how for how in everywhere
                                          if how != own and how not in same] + [
                    f"`from {module} import *` at line {line}"
                    for line, module in self.star_imports if line > statement.line]
                binding.in_all = binding.name in self.all_names
        return self.statements


def _class_global(name: str, scopes: tuple) -> bool:
    """Used directly in a class body inside a function that binds the name itself (or
    declares it global): Python looks it up in the class, then in the module's globals,
    skipping the function's locals."""
    return bool(scopes) and scopes[-1].class_body and (
        name in scopes[-1].local or name in scopes[-1].declared_global)


def _shadowed(name: str, scopes: tuple) -> bool:
    """A local of an enclosing function (or of the class body the use is in) hides it."""
    return any(scope.shadows(name) for scope in scopes
               if not scope.class_body or scope is scopes[-1])


# Calls naming an attribute of their first argument by a string.
_NAMED_ATTRIBUTE_CALLS = {"setattr", "getattr", "delattr", "hasattr", "object"}


def _all_args(args: ast.arguments) -> list[ast.arg]:
    found = list(getattr(args, "posonlyargs", [])) + list(args.args) + list(args.kwonlyargs)
    found += [a for a in (args.vararg, args.kwarg) if a]
    return found


class _Scope:
    """Names a function binds locally (which hide module-level names inside it)."""

    __slots__ = ("local", "declared_global", "class_body")

    def __init__(self, parameters: set[str], class_body: bool = False):
        self.local = parameters
        self.declared_global: set[str] = set()
        self.class_body = class_body

    def shadows(self, name: str) -> bool:
        return name in self.local and name not in self.declared_global


# `lazy import x` / `lazy from x import y` (PEP 810) at the start of a line or after `;`.
_LAZY_STATEMENT = re.compile(rb"(^[ \t]*|;[ \t]*)lazy[ \t]+((?:import|from)[ \t])",
                             re.MULTILINE)


def parse_source(source: str, path: str) -> tuple[ast.Module, set[int]]:
    """ast of a file, and the lines of its `lazy` imports. Raises SyntaxError.

    Pythons before 3.15 cannot parse `lazy import`; the soft keyword is dropped (line
    numbers stay right, which is all the scan uses) and the statement remembered.
    """
    try:
        return ast.parse(source, path), set()
    except SyntaxError as error:
        original = error
    data = source.encode("utf-8")
    lazy_lines = {data.count(b"\n", 0, match.start(1)) + 1
                  for match in _LAZY_STATEMENT.finditer(data)}
    if not lazy_lines:
        raise original
    try:
        plain = _LAZY_STATEMENT.sub(rb"\1\2", data).decode("utf-8")
        return ast.parse(plain, path), lazy_lines
    except SyntaxError:
        raise original from None


def with_deep_stack(work):
    """work() in a thread whose stack and recursion limit allow the nesting CPython's
    own parser accepts (each level of the tree costs the scanner a few frames)."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:   # handed back to the caller's thread
            outcome.append((False, error))

    limit, size = sys.getrecursionlimit(), threading.stack_size()
    try:
        sys.setrecursionlimit(max(limit, 100_000))
        threading.stack_size(512 * 1024 * 1024)    # reserved address space, not memory
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    except (RuntimeError, ValueError, MemoryError):   # no such thread here
        raise RecursionError("too deeply nested") from None
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def scan_source(source: str, path: str, module: str, is_package: bool) -> FileUsage:
    """Parse one file (raises SyntaxError) and return its imports and their uses."""
    tree, lazy_lines = parse_source(source, path)

    def scan() -> _Scanner:
        scanner = _Scanner(module, is_package)
        scanner.lazy_lines = lazy_lines
        scanner.visit(tree)
        return scanner

    try:
        scanner = scan()
    except RecursionError:      # a very deep expression, e.g. a sum of 600 terms
        scanner = with_deep_stack(scan)
    statements = scanner.finish()
    return FileUsage(path, module, is_package, statements, scanner.future_annotations,
                     scanner.strings, scanner.attribute_refs, scanner.defines_all,
                     scanner.import_time_paths)
