# shellcheck shell=bash
# Copyright: netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared setup for the hacking/ scripts. Source it, then call netifs_setup:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   netifs_setup
#
# netifs_setup is idempotent and fast once everything is in place. It
#   - installs missing OS packages (apt-get is only called when a needed command is missing),
#   - creates/reuses the venv .venv and installs tests/requirements.txt into it
#     (skipped while the requirements file is unchanged since the last install),
#   - makes the collection importable as ansible_collections.netifs.core WITHOUT copying:
#     .cache/collections/ansible_collections/netifs/core is a symlink to the repo root,
#   - installs hacking/get_pip_standin.py where `ansible-test --venv` looks for its
#     cached get-pip bootstrap script (its download host is unreachable here).
#
# Afterwards these are set and exported:
#   NETIFS_ROOT             repo root (= collection root), physical path
#   NETIFS_VENV             $NETIFS_ROOT/.venv, whose bin/ is first on PATH
#   NETIFS_COLLECTION_PATH  .../.cache/collections/ansible_collections/netifs/core (the symlink)
#   ANSIBLE_COLLECTIONS_PATH  $NETIFS_ROOT/.cache/collections
#
# netifs_ansible_test ARGS... runs ansible-test from the collection (see that function for why
# this takes a bind mount rather than the symlink).
#
# Overrides: NETIFS_PYTHON (interpreter the venv is created from; default python3.11, else python3).

NETIFS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
NETIFS_VENV="$NETIFS_ROOT/.venv"
NETIFS_REQUIREMENTS="$NETIFS_ROOT/tests/requirements.txt"
NETIFS_COLLECTIONS_ROOT="$NETIFS_ROOT/.cache/collections"
NETIFS_COLLECTION_PATH="$NETIFS_COLLECTIONS_ROOT/ansible_collections/netifs/core"
export NETIFS_ROOT NETIFS_VENV NETIFS_COLLECTION_PATH

netifs_log() {
    printf '==> %s\n' "$*" >&2
}

netifs_die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# apt-get install the given Debian packages (as root, or through sudo).
netifs_apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || netifs_die "need root (or sudo) to install: $*"
        sudo=(sudo)
    fi
    netifs_log "installing OS packages: $*"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# True if the command exists, also in the sbin directories a non-root PATH may lack.
netifs_have() {
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]
}

netifs_ensure_os_packages() {
    local missing=()
    netifs_have ip || missing+=(iproute2)
    netifs_have strace || missing+=(strace)
    netifs_have shellcheck || missing+=(shellcheck)
    # headless, for tests/live/test_report.py's look at the report page
    netifs_have chromium || missing+=(chromium)
    # the molecule scenario's test hosts: an sshd in each namespace, reached through nc
    netifs_have sshd || missing+=(openssh-server)
    netifs_have nc || missing+=(netcat-openbsd)
    if [ "${#missing[@]}" -gt 0 ]; then
        netifs_apt_install "${missing[@]}"
    fi
}

# Print the interpreter the venv is created from.
netifs_base_python() {
    local candidate
    for candidate in ${NETIFS_PYTHON:-} python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            "$candidate" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    netifs_die "no Python >= 3.11 found (ansible-core 2.19 needs it); set NETIFS_PYTHON"
}

netifs_ensure_venv() {
    local base stamp want
    if ! "$NETIFS_VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        base="$(netifs_base_python)" || exit 1
        if ! "$base" -c 'import ensurepip, venv' 2>/dev/null; then
            # Debian's own python3 ships venv/ensurepip separately.
            netifs_apt_install python3-venv
        fi
        netifs_log "creating venv $NETIFS_VENV from $base"
        rm -rf "$NETIFS_VENV"
        "$base" -m venv "$NETIFS_VENV" || netifs_die "cannot create the venv $NETIFS_VENV"
    fi

    stamp="$NETIFS_VENV/.requirements.sha256"
    want="$(sha256sum "$NETIFS_REQUIREMENTS" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        netifs_log "installing tests/requirements.txt into .venv"
        "$NETIFS_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$NETIFS_REQUIREMENTS" ||
            netifs_die "pip install -r tests/requirements.txt failed"
        printf '%s\n' "$want" >"$stamp"
    fi

    PATH="$NETIFS_VENV/bin:$PATH"
    export PATH VIRTUAL_ENV="$NETIFS_VENV"
}

netifs_ensure_collection_path() {
    local link="$NETIFS_COLLECTION_PATH"
    mkdir -p "$(dirname "$link")"
    if [ -e "$link" ] && [ ! -L "$link" ]; then
        netifs_die "$link exists and is not a symlink; remove it"
    fi
    # Relative, so it survives moving or rsyncing the tree: netifs/core -> ../../../.. = repo root.
    if [ "$(readlink "$link" 2>/dev/null)" != "../../../.." ]; then
        ln -sfn ../../../.. "$link"
    fi
    export ANSIBLE_COLLECTIONS_PATH="$NETIFS_COLLECTIONS_ROOT"
}

# ansible-test --venv bootstraps pip into each venv it makes with a get-pip.py that it
# downloads from a host unreachable here, unless ~/.ansible/test/cache/get_pip_<X_Y>.py
# exists (X.Y = the pip version ansible-test pins). Put the stand-in there under every name
# the installed ansible-test may ask for. A real get-pip.py already there is left alone.
netifs_ensure_get_pip_standin() {
    local standin="$NETIFS_ROOT/hacking/get_pip_standin.py"
    local cache="$HOME/.ansible/test/cache"
    local version target
    local versions
    versions="$("$NETIFS_VENV/bin/python" - <<'EOF'
import types
from ansible_test._internal.constants import SUPPORTED_PYTHON_VERSIONS
from ansible_test._internal.python_requirements import get_venv_packages
print('\n'.join(sorted({get_venv_packages(types.SimpleNamespace(version=v))['pip'] for v in SUPPORTED_PYTHON_VERSIONS})))
EOF
)" || netifs_die "cannot read the pip version pinned by the installed ansible-test"
    mkdir -p "$cache"
    for version in $versions; do
        target="$cache/get_pip_${version//./_}.py"
        if [ -e "$target" ] && ! grep -q 'Offline stand-in for the get-pip.py' "$target"; then
            continue
        fi
        if ! cmp -s "$standin" "$target"; then
            cp "$standin" "$target"
        fi
    done
}

netifs_setup() {
    netifs_ensure_os_packages
    netifs_ensure_venv
    netifs_ensure_collection_path
    netifs_ensure_get_pip_standin
}

# Run ansible-test with the given arguments from the collection.
#
# ansible-test must run with its working directory under .../ansible_collections/netifs/core.
# Our symlink is not enough: ansible-test reads the directory with os.getcwd(), which resolves
# symlinks, so from `cd $NETIFS_COLLECTION_PATH` it sees /.../<repo> and refuses. Forcing the
# content root with ANSIBLE_TEST_CONTENT_ROOT gets past that, but `--venv` then delegates to
# a second ansible-test whose content root is again os.getcwd() (the repo path), which fails.
# So, without copying anything, the repo is bind-mounted onto a real directory named
# ansible_collections/netifs/core, in a private mount namespace that ends with the command
# (unshare --mount; as non-root also --map-root-user, which needs unprivileged user namespaces).
# A clone that already lives at .../ansible_collections/netifs/core is used as it is.
netifs_ansible_test() {
    if [[ "$NETIFS_ROOT" == */ansible_collections/netifs/core ]]; then
        (cd "$NETIFS_ROOT" && ansible-test "$@")
        return
    fi
    local mnt="$NETIFS_ROOT/.cache/ansible-test/ansible_collections/netifs/core"
    local ns=(unshare --mount --propagation private)
    [ "$(id -u)" -eq 0 ] || ns+=(--map-root-user)
    mkdir -p "$mnt"
    if ! "${ns[@]}" mount --bind "$NETIFS_ROOT" "$mnt" 2>/dev/null; then
        netifs_die "cannot bind-mount the repo at $mnt (${ns[*]} mount --bind failed). ansible-test needs" \
            "the collection at .../ansible_collections/netifs/core: run as root, allow unprivileged user" \
            "namespaces, or clone the repo into such a path."
    fi
    # shellcheck disable=SC2016  # expanded by the inner bash
    "${ns[@]}" bash -c 'mount --bind "$1" "$2" && cd "$2" && shift 2 && exec ansible-test "$@"' \
        netifs-ansible-test "$NETIFS_ROOT" "$mnt" "$@"
}
