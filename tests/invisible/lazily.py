import builtins

builtins.lazily_ran = True
VALUE = "lazy"
