#!/usr/bin/env bash
# Copyright: netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run the whole test suite, on a fresh machine or an already set-up one:
#
#   bash hacking/test-all.sh
#
# Setup (see hacking/lib.sh): OS packages, the venv .venv with tests/requirements.txt, the
# collection path .cache/collections/ansible_collections/netifs/core (a symlink, no copy).
# Then these steps, in order, stopping at the first failure; a summary is always printed:
#
#   pytest   pytest tests/unit tests/static tests/live tests/fuzz -q  (static: the engine needs Python 3.8 and the
#            standard library only; live tests need root and `ip netns`;
#            the fuzz run takes NETIFS_FUZZ_SECONDS, default 60; "no tests" fails)
#   lint     ansible-lint with the production profile (.ansible-lint)
#   sanity   ansible-test sanity --venv --python 3.11
#   units    ansible-test units --venv --python 3.11
#   molecule molecule test -s validate: test hosts in network namespaces over SSH (needs root);
#            whatever way the step ends, its namespaces and sshds are removed
#   build    ansible-galaxy collection build, then install the tarball into a temp dir
#
# For quick local runs, skip steps with a comma-separated list, e.g.
#
#   NETIFS_SKIP=sanity,units bash hacking/test-all.sh
#
# The default (NETIFS_SKIP unset or empty) runs everything; CI runs everything.

set -euo pipefail

# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STEPS=(pytest lint sanity units molecule build)
SUMMARY=()
FAILED=""
TMP_DIR=""
CURRENT=""
CURRENT_START=0

IFS=',' read -r -a SKIP <<<"${NETIFS_SKIP:-}"
for s in "${SKIP[@]}"; do
    s="${s// /}"
    [ -z "$s" ] && continue
    [[ " ${STEPS[*]} " == *" $s "* ]] || netifs_die "NETIFS_SKIP: unknown step '$s' (steps: ${STEPS[*]})"
done

skipped() {
    local s
    for s in "${SKIP[@]}"; do
        [ "${s// /}" = "$1" ] && return 0
    done
    return 1
}

on_exit() {
    local rc=$?
    if [ -n "$CURRENT" ]; then
        # Died inside a step (setup, or a step interrupted): record it.
        SUMMARY+=("$(printf '%-8s %-5s %5ss' "$CURRENT" FAIL $((SECONDS - CURRENT_START)))")
        FAILED="${FAILED:-$CURRENT}"
    fi
    [ -n "$TMP_DIR" ] && rm -rf "$TMP_DIR"
    if [ "$CURRENT" = molecule ]; then
        # Interrupted or killed inside molecule, before its own destroy could run.
        bash "$MOLECULE_LAB" down || rc=$((rc ? rc : 1))
    fi
    echo
    echo "==================== netifs.core test summary ===================="
    local line
    for line in "${SUMMARY[@]}"; do
        echo "  $line"
    done
    if [ "$rc" -eq 0 ]; then
        echo "  result: PASSED (${SECONDS}s)"
    else
        echo "  result: FAILED at ${FAILED:-?} with exit status $rc (${SECONDS}s)"
    fi
    echo "=================================================================="
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run one step: run_step NAME FUNCTION. Stops the script at the first failure.
run_step() {
    local name=$1 fn=$2 rc=0
    if skipped "$name"; then
        SUMMARY+=("$(printf '%-8s %-5s %5s' "$name" SKIP '-')")
        return 0
    fi
    echo
    netifs_log "step $name"
    CURRENT=$name
    CURRENT_START=$SECONDS
    # Step functions check their own commands (set -e is off inside a `||` context).
    "$fn" || rc=$?
    CURRENT=""
    if [ "$rc" -ne 0 ]; then
        SUMMARY+=("$(printf '%-8s %-5s %5ss  (exit status %d)' "$name" FAIL $((SECONDS - CURRENT_START)) "$rc")")
        FAILED=$name
        exit "$rc"
    fi
    SUMMARY+=("$(printf '%-8s %-5s %5ss' "$name" OK $((SECONDS - CURRENT_START)))")
}

step_pytest() {
    local rc=0
    (
        cd "$NETIFS_ROOT" &&
            PYTHONPATH="$NETIFS_ROOT/.cache/collections${PYTHONPATH:+:$PYTHONPATH}" \
                python -m pytest tests/unit tests/static tests/live tests/fuzz -q
    ) || rc=$?
    if [ "$rc" -eq 5 ]; then
        echo "ERROR: pytest collected no tests in tests/unit, tests/static, tests/live and tests/fuzz (pytest exit status 5)." \
            "A suite that runs nothing is a failure, not a pass." >&2
    fi
    return "$rc"
}

step_lint() {
    (cd "$NETIFS_ROOT" && ansible-lint)
}

MOLECULE_LAB="$NETIFS_ROOT/extensions/molecule/validate/lab.sh"

step_molecule() {
    local rc=0
    [ "$(id -u)" -eq 0 ] || { echo "ERROR: the molecule step needs root (ip netns, sshd)" >&2; return 1; }
    # molecule destroys at the start and the end of the test, after a failed step too; lab.sh
    # down is the backstop for a run that dies in between.
    (cd "$NETIFS_ROOT" && NO_COLOR=1 molecule test -s validate) || rc=$?
    bash "$MOLECULE_LAB" down || rc=$((rc ? rc : 1))
    return "$rc"
}

step_sanity() {
    netifs_ansible_test sanity --venv --python 3.11
}

step_units() {
    netifs_ansible_test units --venv --python 3.11
}

step_build() {
    local tarball installed
    TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/netifs-build.XXXXXX")" || return
    ansible-galaxy collection build --force --output-path "$TMP_DIR/dist" "$NETIFS_ROOT" || return
    tarball="$(find "$TMP_DIR/dist" -maxdepth 1 -name 'netifs-core-*.tar.gz' -print -quit)"
    [ -n "$tarball" ] || { echo "ERROR: ansible-galaxy built no netifs-core-*.tar.gz" >&2; return 1; }
    if tar -tzf "$tarball" | grep -E '^(\.venv|\.cache|\.ci|hacking|tests/output)(/|$)'; then
        echo "ERROR: the tarball above carries files that build_ignore should keep out" >&2
        return 1
    fi
    ANSIBLE_COLLECTIONS_PATH="$TMP_DIR/installed" \
        ansible-galaxy collection install --offline --force -p "$TMP_DIR/installed" "$tarball" || return
    installed="$TMP_DIR/installed/ansible_collections/netifs/core"
    [ -f "$installed/MANIFEST.json" ] || { echo "ERROR: no MANIFEST.json in $installed" >&2; return 1; }
    netifs_log "built and installed $(basename "$tarball") ($(du -h "$tarball" | cut -f1))"
}

# Setup runs at top level so that `set -e` applies inside it.
echo
netifs_log "setup"
CURRENT=setup
CURRENT_START=$SECONDS
netifs_setup
CURRENT=""
SUMMARY+=("$(printf '%-8s %-5s %5ss' setup OK $((SECONDS - CURRENT_START)))")

for step in "${STEPS[@]}"; do
    run_step "$step" "step_$step"
done
