"""`lazyaudit workers`: start the real server (gunicorn, uvicorn, granian) on the
target, send it traffic over loopback, and read the memory of its master and every
worker from the kernel at ready and after each round. See docs/workers.md.

hooks/ holds the files that run inside the server's processes: standard library
only, named `_lazyaudit_*.py` so that no module of the app shadows them.
"""
