#!/usr/bin/env bash
# Copyright: netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The molecule scenario's test hosts, as network namespaces on this machine:
#
#   bash lab.sh up STATE_DIR     build them (after tearing down any leftover), sshd in each
#   bash lab.sh down [STATE_DIR] kill their processes, delete the namespaces (and STATE_DIR)
#
# nfmol-val-lab holds two bridges, br0 (10.77.0.1/24, fd77::1/64) and br1 (10.78.0.1/24); each
# host namespace nfmol-val-hN has eth0 on br0 and eth1 on br1 (veth pairs), a default route via
# br0 (h1 also has 10.79.0.11/24 on eth1, h2 joins 239.7.7.7 on eth0), and its own sshd on 10.77.0.1N:22 with a host key, pid file and log under STATE_DIR/hN, key
# login as root only. The controller stays in the root namespace, whose links, addresses, routes
# and rules are never touched: it reaches each sshd through `ip netns exec nfmol-val-lab nc`, a
# real TCP connection across the bridge. Nothing is sent anywhere but inside these namespaces.
#
# The inventory (inventory/) says what these hosts should be; this script is what they are.
set -euo pipefail

PREFIX=nfmol-val-
LAB=${PREFIX}lab
HOSTS=(h1 h2)

ns_list() {
    ip netns list | awk -v p="$PREFIX" 'index($1, p) == 1 {print $1}'
}

down() {
    local ns pids
    for ns in $(ns_list); do
        # Only what runs in our own namespaces: the sshds, their sessions, the nc relays.
        pids=$(ip netns pids "$ns" || true)
        if [ -n "$pids" ]; then
            # shellcheck disable=SC2086  # one pid a word
            kill $pids 2>/dev/null || true
        fi
    done
    for ns in $(ns_list); do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
            sleep 0.2
        done
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        if [ -n "$pids" ]; then
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null || true
        fi
        ip netns del "$ns"
    done
    if [ -n "${1:-}" ]; then
        rm -rf "$1"
    fi
}

# host NAME NUMBER: a namespace with eth0 on br0 and eth1 on br1, and the default routes via br0.
host() {
    local name=$1 n=$2 ns=${PREFIX}$1
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$LAB" link add "$name-0" type veth peer name eth0 netns "$ns"
    ip -n "$LAB" link add "$name-1" type veth peer name eth1 netns "$ns"
    ip -n "$LAB" link set "$name-0" master br0 up
    ip -n "$LAB" link set "$name-1" master br1 up
    ip -n "$ns" link set eth0 address "02:77:00:00:00:$n" up
    ip -n "$ns" link set eth1 up
    ip -n "$ns" addr add "10.77.0.$n/24" dev eth0
    ip -n "$ns" addr add "fd77::$n/64" dev eth0 nodad
    ip -n "$ns" addr add "10.78.0.$n/24" dev eth1
    ip -n "$ns" route add default via 10.77.0.1 dev eth0
    ip -n "$ns" -6 route add default via fd77::1 dev eth0
}

sshd_in() {
    local name=$1 n=$2 state=$3 dir=$3/$1
    mkdir -p "$dir"
    ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh_host_ed25519_key"
    cat >"$dir/sshd_config" <<CONF
ListenAddress 10.77.0.$n:22
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $state/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF
    ip netns exec "${PREFIX}$name" /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
}

up() {
    local state=$1 n
    down
    mkdir -p "$state" /run/sshd
    chmod 700 "$state"
    ssh-keygen -q -t ed25519 -N '' -C nfmol-val -f "$state/id_ed25519"
    cp "$state/id_ed25519.pub" "$state/authorized_keys"
    ip netns add "$LAB"
    ip -n "$LAB" link set lo up
    ip -n "$LAB" link add br0 type bridge
    ip -n "$LAB" link add br1 type bridge
    ip -n "$LAB" link set br0 up
    ip -n "$LAB" link set br1 up
    ip -n "$LAB" addr add 10.77.0.1/24 dev br0
    ip -n "$LAB" addr add fd77::1/64 dev br0 nodad
    ip -n "$LAB" addr add 10.78.0.1/24 dev br1
    n=10
    for name in "${HOSTS[@]}"; do
        n=$((n + 1))
        host "$name" "$n"
        sshd_in "$name" "$n" "$state"
    done
    # What only one host has: a service address on h1, a multicast group h2 joins.
    ip -n "${PREFIX}h1" addr add 10.79.0.11/24 dev eth1
    ip -n "${PREFIX}h2" addr add 239.7.7.7/32 dev eth0 autojoin
}

case "${1:-}" in
    up) [ -n "${2:-}" ] || { echo "usage: $0 up STATE_DIR" >&2; exit 2; }; up "$2" ;;
    down) down "${2:-}" ;;
    *) echo "usage: $0 up STATE_DIR | down [STATE_DIR]" >&2; exit 2 ;;
esac
