"""The URLs `lazyaudit workers` sends its traffic to, read from a Django project:
every URL pattern that needs no argument, and a Host header the app accepts (the
first usable entry of ALLOWED_HOSTS).

Runs in the target's interpreter (standard library and Django only, Python 3.9+):
`python _lazyaudit_urls.py SETTINGS OUTPUT`, writes one JSON document.
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


def main(settings, output):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django
    django.setup(set_prefix=False)
    from django.conf import settings as loaded
    from django.urls import get_resolver
    found = []
    walk(get_resolver(), "", found)
    with open(output, "w", encoding="utf-8") as handle:
        json.dump({"paths": found, "host": host(list(loaded.ALLOWED_HOSTS))}, handle)


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main(sys.argv[1], sys.argv[2])
