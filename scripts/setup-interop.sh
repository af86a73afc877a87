#!/bin/sh
# Creates .venv-interop with the real Python multicast_expert 1.6.0, the peer of the interop tests.
# Usage: scripts/setup-interop.sh   (the tests find it at .venv-interop/bin/python, or at $MCEXPERT_PYTHON)
set -eu
cd "$(dirname "$0")/.."
if [ ! -x .venv-interop/bin/python ]; then
    python3 -m venv .venv-interop
fi
.venv-interop/bin/pip install --quiet 'multicast-expert==1.6.0'
.venv-interop/bin/python -c 'import multicast_expert; print("multicast_expert", multicast_expert.__name__, "ready")'
