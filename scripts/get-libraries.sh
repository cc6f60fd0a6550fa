#!/usr/bin/env bash
# Real libraries with their own test suites, for tests/libraries/: each one's sdist
# (pinned) unpacked under $1 (default .cache/libraries), and beside it a virtualenv
# holding what its tests need but not the library itself (the tests put the copy
# under test first on the path). Runs once; later calls find everything in place.
set -euo pipefail
dest=${1:-.cache/libraries}
python=${PYTHON:-python3}
mkdir -p "$dest"

get() {   # name version test-requirements...
    local name=$1 version=$2
    shift 2
    local folder="$dest/$name-$version"
    if [ ! -f "$folder/.unpacked" ]; then
        rm -rf "$folder"
        "$python" -m pip download -q --disable-pip-version-check --no-binary :all: --no-deps \
            -d "$dest/sdists" "$name==$version"
        tar -xzf "$dest/sdists/$name-$version.tar.gz" -C "$dest"
        touch "$folder/.unpacked"
    fi
    # The stamp holds the requirements: a changed list makes a new virtualenv.
    if [ "$(cat "$folder-venv/.installed" 2>/dev/null)" != "$*" ]; then
        rm -rf "$folder-venv"
        "$python" -m venv "$folder-venv"
        "$folder-venv/bin/pip" install -q --disable-pip-version-check "$@"
        echo "$*" > "$folder-venv/.installed"
    fi
}

get click 8.5.1 pytest
get requests 2.32.3 pytest pytest-mock pytest-httpbin==2.0.0 "httpbin~=0.10.0" trustme PySocks \
    "charset_normalizer>=2,<4" "idna>=2.5,<4" "urllib3>=1.21.1,<3" "certifi>=2017.4.17"
