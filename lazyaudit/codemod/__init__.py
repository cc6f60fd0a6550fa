"""The only code that writes user files: turn safe candidates into deferred imports.

plan (which names to move; no libcst) -> rewrite (libcst, in memory) -> files
(atomic writes inside the project root); apply runs the whole transaction (write,
verify, put back) and returns a FixOutcome for render/.
"""

# How an import is deferred: into the functions that use it, as a PEP 810 `lazy`
# statement, or named in `__lazy_modules__`.
STYLES = ("local", "lazy", "lazy-modules")
