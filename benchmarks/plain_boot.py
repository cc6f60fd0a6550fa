"""Boot a Django project exactly as `lazyaudit measure` does, with the probe's
own boot function but no hook, and print its resident memory (anonymous and
file-backed bytes), boot time in ns and the number of modules the boot loaded.
The benchmarks run it plainly and under the tools compared with lazyaudit.

    python plain_boot.py PROJECT_DIR SETTINGS_MODULE
"""

import os
import sys
import time

PROBE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lazyaudit",
                         "probe")


class NoHook:
    """What the probe's booters use of their recorder."""
    stage = "startup"     # the booters name the stage

    @staticmethod
    def entry_import(name):
        __import__(name)
        return sys.modules[name]


def statm():
    fields = open("/proc/self/statm").read().split()
    page = os.sysconf("SC_PAGE_SIZE")
    resident, shared = int(fields[1]) * page, int(fields[2]) * page
    return resident - shared, shared


def main(project, settings_module):
    sys.path.insert(0, PROBE_DIR)
    import probe          # standard library only, like the probe run itself
    sys.path.remove(PROBE_DIR)
    project = os.path.abspath(project)
    os.chdir(project)
    sys.path[0] = project
    loaded_before = len(sys.modules)
    started = time.perf_counter_ns()
    probe.boot_django(NoHook(), {"django": settings_module})
    elapsed = time.perf_counter_ns() - started
    anon, file_backed = statm()
    print(anon, file_backed, elapsed, len(sys.modules) - loaded_before)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
