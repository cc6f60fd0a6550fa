"""Import one case module; report whether heavypkg got loaded; print main()."""

import importlib
import sys

sys.path.insert(0, sys.path[0])
case = importlib.import_module(sys.argv[1])
print("loaded at import:", "heavypkg" in sys.modules)
print("result:", repr(case.main()))
