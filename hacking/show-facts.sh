#!/usr/bin/env bash
# Copyright: netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Show this host's network facts, as gathered by netifs.core.netifs_facts:
#
#   bash hacking/show-facts.sh
#   bash hacking/show-facts.sh 'gather_subset=best_local destinations=192.0.2.1'
#
# Arguments are joined and passed as the module's arguments (ansible's -a). Same setup as
# hacking/test-all.sh (venv, collection path), via hacking/lib.sh.

set -euo pipefail

# shellcheck source=hacking/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
netifs_setup

args=()
if [ "$#" -gt 0 ]; then
    args=(-a "$*")
fi

# Run the module with the venv's Python: interpreter discovery on localhost may pick another
# python3 (here a pyenv shim of a version that is not installed).
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_PYTHON_INTERPRETER:-$NETIFS_VENV/bin/python}"

exec ansible localhost -c local -i localhost, -m netifs.core.netifs_facts "${args[@]}"
