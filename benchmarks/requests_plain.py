"""The same requests as `lazyaudit requests` sends, without lazyaudit: the benchmark's
baseline. Runs in the target's interpreter, in the project's folder:

    python requests_plain.py SETTINGS WARMUP REQUESTS FRAMES PATH...

boots Django, builds its WSGI handler, sends WARMUP requests per path and then
REQUESTS more (the paths in turn), with a standard-library environ as lazyaudit's
driver builds; with FRAMES > 0 under tracemalloc with that many frames, started
before the warm-up. Prints the seconds the REQUESTS took.
"""

import io
import os
import sys
import time


def environ(path):
    return {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost", "CONTENT_LENGTH": "",
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False}


def send(application, path):
    response = application(environ(path), lambda status, headers, exc_info=None: None)
    try:
        for _ in response:
            pass
    finally:
        response.close()


def main(settings, warmup, requests, frames, *paths):
    sys.path.insert(0, os.getcwd())
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django
    django.setup()
    from django.core.wsgi import get_wsgi_application
    application = get_wsgi_application()
    if int(frames):
        import tracemalloc
        tracemalloc.start(int(frames))
    for index in range(int(warmup) * len(paths)):
        send(application, paths[index % len(paths)])
    started = time.perf_counter()
    for index in range(int(requests)):
        send(application, paths[index % len(paths)])
    print(time.perf_counter() - started)


if __name__ == "__main__":
    main(*sys.argv[1:])
