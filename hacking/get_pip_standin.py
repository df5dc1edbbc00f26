# Copyright: netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

`ansible-test ... --venv` creates each virtual environment without pip and then runs
get-pip.py in it, downloading that script from a host this project's machines cannot
reach. ansible-test skips the download when the script is already cached at
``~/.ansible/test/cache/get_pip_<pip version with dots as underscores>.py``;
hacking/lib.sh copies this file there.

ansible-test runs the script (through its quiet_pip.py wrapper) as::

    <venv python> quiet_pip.py --disable-pip-version-check pip==24.2 --no-setuptools --no-wheel

with GET_PIP pointing at the cached file. Like the real get-pip.py, this script accepts
``--no-setuptools`` and ``--no-wheel`` for itself and hands every other argument to
``pip install``. Instead of a pip wheel embedded in the script, it uses the pip wheel
bundled with the running interpreter (ensurepip), and then lets that pip install the
requested version from the package indexes configured on this machine.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys

OWN_OPTIONS = ('--no-setuptools', '--no-wheel')


def installed(name: str) -> bool:
    """Return True if the distribution is installed for the running interpreter."""
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def main(argv: list[str]) -> int:
    """Bootstrap pip with ensurepip, then `pip install` the given arguments."""
    own = [arg for arg in argv if arg in OWN_OPTIONS]
    pip_args = [arg for arg in argv if arg not in OWN_OPTIONS]

    had_setuptools = installed('setuptools')

    # (ii) ensurepip sets PIP_CONFIG_FILE=/dev/null in the environment of the process that
    # runs it (and leaves it there); that hides pip's configuration files, which on this
    # machine carry the CA bundle and the package index settings. Never pass that on.
    env = dict(os.environ)
    if env.get('PIP_CONFIG_FILE') == os.devnull:
        del env['PIP_CONFIG_FILE']

    # (i) bootstrap the pip bundled with this interpreter into its environment. Quiet unless it fails.
    result = subprocess.run([sys.executable, '-m', 'ensurepip', '--upgrade'], env=env, check=False,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        sys.stderr.write('get_pip_standin: ensurepip failed with exit status %d\n' % result.returncode)
        return result.returncode

    pip = [sys.executable, '-m', 'pip', '--disable-pip-version-check']

    # ensurepip of Python < 3.12 also installs setuptools; get-pip.py --no-setuptools would not.
    if '--no-setuptools' in own and not had_setuptools and installed('setuptools'):
        subprocess.run(pip + ['uninstall', '--yes', '--quiet', 'setuptools'], env=env, check=False)

    if not pip_args:
        return 0

    # (iii) install what was asked for, e.g. the pip version ansible-test pins.
    return subprocess.run(pip + ['install', '--quiet'] + pip_args, env=env, check=False).returncode


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
