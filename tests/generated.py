"""Generated modules for `fix`: imports combined with every use class of "Changing code
safely" (docs/architecture.md), run before and after `fix --select` and compared.

Each module imports one to three standard-library modules in one of several forms and
uses every bound name in one to three ways, each way wrapped in a module-level name
(a function, class or value); `results()` returns a printable result of every such
name. Some modules get a companion that imports or patches their names from outside.
The modules live in a src layout (`src/gen_0001.py` is `gen_0001`). `run_all` runs
every module in a fresh forked child of one interpreter (so no module sees what
another loaded) and collects what each printed.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import lazyaudit

# (module, attribute, arguments, what to take of the result, a class usable as a base)
POOL = [
    ("json", "dumps", "[1, 2]", "", "JSONEncoder"),
    ("heapq", "nlargest", "2, [3, 1, 2]", "", None),
    ("textwrap", "dedent", "'  a'", "", "TextWrapper"),
    ("colorsys", "rgb_to_hsv", "0.2, 0.4, 0.4", "", None),
    ("fractions", "Fraction", "1, 3", "", "Fraction"),
    ("base64", "b64encode", "b'ab'", "", None),
    ("bisect", "bisect", "[1, 3], 2", "", None),
    ("difflib", "get_close_matches", "'ab', ['abc', 'x']", "", "SequenceMatcher"),
    ("statistics", "mean", "[1, 2, 4]", "", None),
    ("string", "capwords", "'a b'", "", "Formatter"),
    ("calendar", "isleap", "2024", "", "TextCalendar"),
    ("zlib", "crc32", "b'ab'", "", None),
    ("shlex", "quote", "'a b'", "", None),
    ("decimal", "Decimal", "'1.5'", "", "Decimal"),
    ("xml.dom.minidom", "parseString", "'<a/>'", ".documentElement.tagName", None),
    ("email.mime.text", "MIMEText", "'x'", ".get_payload()", "MIMEText"),
]
SELECT = sorted({entry[0].partition(".")[0] for entry in POOL})

# Use classes: (weight, template). {call} is an expression using the name, {ref} the
# name's attribute itself, {base} a class of the module, {n} the bound name, {k} a
# number unique in the module. Each defines one name and returns the expression that
# gives its result.
USES = [
    (12, "def f{k}():\n    return {call}\n", "f{k}()"),
    (4, "class M{k}:\n    def m(self):\n        return {call}\n", "M{k}().m()"),
    (2, "def f{k}():\n    def inner():\n        return {call}\n    return inner()\n", "f{k}()"),
    (2, "def f{k}():\n    g = lambda: {call}\n    return g()\n", "f{k}()"),
    (2, "def f{k}():\n    yield {call}\n", "list(f{k}())"),
    (2, "def f{k}():\n    return [{n} for {n} in range(2)], {call}\n", "f{k}()"),
    (1, "def f{k}({n}=3):\n    return {n}\n", "f{k}()"),
    (1, "def f{k}(x=1):\n    match x:\n        case {n}:\n            return {n}\n",
     "f{k}()"),
    (1, "def f{k}():\n    try:\n        raise ValueError('e')\n    except ValueError as {n}:\n"
        "        return str({n})\n", "f{k}()"),
    (1, "def f{k}():\n    class K:\n        {n} = {n}\n    return K.{n} is not None\n",
     "f{k}()"),
    (1, "def f{k}():\n    class K:\n        v = {call}\n    return K.v\n", "f{k}()"),
    (1, "V{k} = {call}\n", "V{k}"),
    (1, "class C{k}:\n    v = {call}\n", "C{k}.v"),
    (1, "@keep({call})\ndef f{k}():\n    return 1\n", "f{k}()"),
    (1, "def f{k}(x={call}):\n    return x\n", "f{k}()"),
    (1, "def f{k}(x: {ref} = 1) -> int:\n    return x\n", "f{k}()"),
    (1, "class C{k}:\n    x: {ref} = 1\n", "C{k}.x"),
    (1, "L{k} = lambda: {call}\n", "L{k}()"),
    (1, "def f{k}():\n    global {n}\n    return {call}\n", "f{k}()"),
    (1, "if False:\n    {n} = None\ndef f{k}():\n    return {call}\n", "f{k}()"),
    (1, "def f{k}():\n    return {call}\ndel {n}\n", "f{k}()"),
]
BASE_USE = "class B{k}({base}):\n    pass\n", "[c.__name__ for c in B{k}.__mro__[:2]]"

HEADER = '''\
"""Generated."""
{future}
def keep(value):
    return lambda function: function
'''
FOOTER = '''

def results():
    out = []
    for thunk in [{thunks}]:
        try:
            out.append(repr(thunk()))
        except Exception as error:
            out.append(type(error).__name__)
    return out
'''
# `import email` alone does not load email.mime: only the later import makes the
# attribute exist (see analysis/submodules.py).
SUBMODULE_ATTRIBUTE = ("import email\nfrom email.mime.text import MIMEText as _Text\n",
                       "E{k} = email.mime.text.MIMEText.__name__\n"
                       "def f{k}():\n    return _Text('y').get_payload()\n", ["E{k}", "f{k}()"])
STAR_SOURCE = "star_names.py"


def import_forms(rng: random.Random, module: str, attribute: str, k: int):
    """(import statement, bound name, reference to the attribute)."""
    top = module.partition(".")[0]
    forms = [(f"import {module}\n", top, f"{module}.{attribute}")]
    if "." not in module:
        forms.append((f"import {module} as m{k}\n", f"m{k}", f"m{k}.{attribute}"))
    forms += [(f"from {module} import {attribute}\n", attribute, attribute),
              (f"from {module} import {attribute} as a{k}\n", f"a{k}", f"a{k}")]
    return rng.choice(forms)


def generate_module(rng: random.Random, name: str) -> tuple[str, list[str], list[str]]:
    """Source of one module; the bound names a companion may reach from outside."""
    future = "from __future__ import annotations\n" if rng.random() < 0.3 else ""
    imports, body, thunks, names = [], [], [], []
    counter = iter(range(1000))
    for entry in rng.sample(POOL, rng.randint(1, 3)):
        module, attribute, args, tail, base = entry
        k = next(counter)
        statement, bound, ref = import_forms(rng, module, attribute, k)
        if rng.random() < 0.08:      # an ImportError fallback binds the name twice
            statement = (f"try:\n    {statement.strip()}\nexcept ImportError:\n"
                         f"    {bound} = None\n")
        imports.append(statement)
        names.append(bound)
        call = f"{ref}({args}){tail}"
        templates = [(w, t, r) for w, t, r in USES]
        for _ in range(rng.randint(1, 3)):
            k = next(counter)
            if base and rng.random() < 0.08:
                template, result = BASE_USE
                base_ref = ref.rpartition(".")[0] + "." + base if "." in ref else None
                if base_ref is None:
                    continue
                body.append(template.format(k=k, base=base_ref))
            else:
                _, template, result = rng.choices(templates,
                                                  weights=[w for w, _, _ in templates])[0]
                body.append(template.format(k=k, n=bound, call=call, ref=ref))
            thunks.append(result.format(k=k))
    if rng.random() < 0.05:
        k = next(counter)
        first, rest, results = SUBMODULE_ATTRIBUTE
        imports.append(first)
        body.append(rest.format(k=k))
        thunks += [result.format(k=k) for result in results]
    if rng.random() < 0.05:
        imports.append(f"from {STAR_SOURCE[:-3]} import *\n")
    if rng.random() < 0.03:      # imported for its side effects: the name is never used
        imports.append("import this_is_unused_module as _unused\n".replace(
            "this_is_unused_module", rng.choice(POOL)[0]))
    if rng.random() < 0.03:      # a star import of a selected module
        imports.append(f"from {rng.choice(POOL)[0]} import *\n")
    if rng.random() < 0.02:      # deeper than the scanner's recursion limit
        body.append("DEEP = " + "+".join(["1"] * 600) + "\n")
        thunks.append("DEEP")
    if rng.random() < 0.05:
        body.append(f"__all__ = [{names[0]!r}]\n")
    source = (HEADER.format(future=future) + "".join(imports) + "\n\n" + "\n\n".join(body)
              + FOOTER.format(thunks=", ".join(f"lambda: {t}" for t in thunks)))
    return source, names


def companion(name: str, bound: str, rng: random.Random) -> str:
    """A module that reaches one of `name`'s imported names from outside."""
    use = rng.choice([
        f"from {name} import {bound} as reached\n\ndef results():\n    return [repr(type(reached).__name__)]\n",
        f"import {name}\n\ndef results():\n    return [repr(type({name}.{bound}).__name__)]\n",
        f"import {name}\n\ndef results():\n    return [repr(type(getattr({name}, {bound!r})).__name__)]\n",
        f"import {name}\n\ndef results():\n    setattr({name}, {bound!r}, None)\n"
        f"    return [repr({name}.results())]\n",
        f"from unittest import mock\n\ndef results():\n    with mock.patch('{name}.{bound}'):\n"
        f"        return ['patched']\n",
    ])
    return f'"""Generated companion of {name}."""\n' + use


def generate(project: Path, count: int, seed: int) -> list[str]:
    """Write `count` modules (and companions) into project/src; their names."""
    rng = random.Random(seed)
    folder = project / "src"
    folder.mkdir(parents=True, exist_ok=True)
    star = [f"{entry[1]} = 'from the star import'\n" for entry in POOL]
    star += [f"{entry[0].partition('.')[0]} = 'from the star import'\n" for entry in POOL]
    (folder / STAR_SOURCE).write_text("".join(dict.fromkeys(star)))
    modules = []
    for index in range(count):
        name = f"gen_{index:04d}"
        source, names = generate_module(rng, name)
        (folder / f"{name}.py").write_text(source)
        modules.append(name)
        if rng.random() < 0.1:
            (folder / f"{name}_user.py").write_text(companion(name, rng.choice(names), rng))
            modules.append(f"{name}_user")
    return modules


RUNNER = textwrap.dedent('''\
    """Import each module named on stdin in a forked child; one JSON line each."""
    import json, os, sys
    sys.path.insert(0, os.path.join(os.getcwd(), "src"))
    for name in sys.stdin.read().split():
        read, write = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read)
            try:
                module = __import__(name)
                outcome = module.results()
            except BaseException as error:
                outcome = "import failed: " + type(error).__name__
            os.write(write, json.dumps([name, outcome]).encode())
            os._exit(0)
        os.close(write)
        data = b""
        while chunk := os.read(read, 65536):
            data += chunk
        os.close(read)
        os.waitpid(child, 0)
        print(data.decode())
''')


def run_all(folder: Path, modules: list[str]) -> dict:
    """{module: what its results() gave, or why its import failed}"""
    (folder / "_run_generated.py").write_text(RUNNER)
    run = subprocess.run([sys.executable, "-B", "_run_generated.py"], input=" ".join(modules),
                         cwd=folder, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    return dict(json.loads(line) for line in run.stdout.splitlines())


def check_generated(folder: Path, count: int, seed: int) -> None:
    """Generate, run, fix, run again: same results, and at least half rewritten."""
    modules = generate(folder, count, seed)
    before_text = {path: path.read_bytes() for path in folder.glob("src/gen_*.py")}
    before = run_all(folder, modules)
    failed = [name for name, outcome in before.items() if isinstance(outcome, str)]
    assert len(failed) < len(modules) / 10, failed[:5]   # the generator writes working code
    result = lazyaudit("fix", "--select", ",".join(SELECT), "--project", folder,
                       "--format", "json", timeout=1800)
    assert result.code == 0, result
    assert "Traceback" not in result.err
    after = run_all(folder, modules)
    rewritten = [path for path in before_text if path.read_bytes() != before_text[path]]
    assert len(rewritten) >= count / 2, f"only {len(rewritten)} of {count} rewritten"
    changed = {name: (before[name], after[name]) for name in modules
               if before[name] != after[name]}
    assert not changed, "\n\n".join(
        f"{name}:\n{(folder / 'src' / (name + '.py')).read_text()}\n{pair}"
        for name, pair in list(changed.items())[:3])
