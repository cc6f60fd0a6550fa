"""The URLs `lazyaudit workers` sends its traffic to, read from a Django project:
every URL pattern that needs no argument, a Host header the app accepts (the first
usable entry of ALLOWED_HOSTS), and with a user name, the session cookie of a
session logged in as that user (made in the project's session store, before any
server starts).

Runs in the target's interpreter (standard library and Django only, Python 3.9+):
`python _lazyaudit_urls.py SETTINGS OUTPUT [USER]`, writes one JSON document; exit
3 with a message when there is no such user.
"""

import json
import os
import re
import sys

REGEX_SYNTAX = re.compile(r"[.*+?\[\](){}|\\]")


def plain_part(pattern):
    """The literal text a pattern matches, or None when it needs an argument."""
    if getattr(pattern, "converters", None):
        return None
    regex = getattr(pattern, "regex", None)
    if regex is not None and regex.groups:
        return None
    if type(pattern).__name__ == "LocalePrefixPattern":
        return pattern.language_prefix
    text = str(pattern)
    if type(pattern).__name__ == "RegexPattern":
        text = text.lstrip("^").rstrip("$").replace("\\/", "/")
        if text.endswith("\\Z"):
            text = text[:-2]
        if REGEX_SYNTAX.search(text):
            return None
    return text


def walk(resolver, prefix, found):
    for pattern in resolver.url_patterns:
        part = plain_part(pattern.pattern)
        if part is None:
            continue
        if hasattr(pattern, "url_patterns"):
            walk(pattern, prefix + part, found)
        else:
            path = "/" + prefix + part
            if path not in found:
                found.append(path)


def host(allowed):
    for entry in allowed:
        entry = entry.lstrip(".")
        if entry and entry != "*":
            return entry
    return "localhost"


def session_cookie(name):
    """`sessionid=KEY` of a new session logged in as the user `name`."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY,
                                     get_user_model)
    model = get_user_model()
    try:
        user = model._default_manager.get_by_natural_key(name)
    except model.DoesNotExist:
        sys.stderr.write("no user %r in the database of %s\n"
                         % (name, os.environ["DJANGO_SETTINGS_MODULE"]))
        sys.exit(3)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return "%s=%s" % (settings.SESSION_COOKIE_NAME, session.session_key)


def main(settings, output, user=None):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django
    django.setup(set_prefix=False)
    from django.conf import settings as loaded
    from django.urls import get_resolver
    found = []
    walk(get_resolver(), "", found)
    document = {"paths": found, "host": host(list(loaded.ALLOWED_HOSTS)),
                "cookie": session_cookie(user) if user else None}
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(document, handle)


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main(*sys.argv[1:4])
