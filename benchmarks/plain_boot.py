"""Boot a Django project the way `lazyaudit measure` does, with no hook, and print
its resident memory (anonymous and file-backed bytes) and boot time in ns.

    python plain_boot.py PROJECT_DIR SETTINGS_MODULE
"""

import os
import sys
import time


def statm():
    fields = open("/proc/self/statm").read().split()
    page = os.sysconf("SC_PAGE_SIZE")
    resident, shared = int(fields[1]) * page, int(fields[2]) * page
    return resident - shared, shared


def main(project, settings_module):
    os.chdir(project)
    sys.path[0] = project
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    started = time.perf_counter_ns()
    import django
    django.setup()
    from django.urls import get_resolver
    get_resolver()._populate()
    from django.core.wsgi import get_wsgi_application
    get_wsgi_application()
    elapsed = time.perf_counter_ns() - started
    anon, file_backed = statm()
    print(anon, file_backed, elapsed)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
