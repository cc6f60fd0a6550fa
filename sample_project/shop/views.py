# Django's SQLite backend already imports sqlite3 during django.setup(), so
# this import costs nothing extra at startup: moving it into health() would
# save no memory.
import sqlite3

from django.db import connection
from django.http import JsonResponse


def health(request):
    """Liveness probe for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse(
        {
            "status": "ok",
            "database": connection.vendor,
            "sqlite_version": sqlite3.sqlite_version,
        }
    )
