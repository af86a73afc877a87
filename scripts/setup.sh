#!/bin/sh
# Installs everything the build and the tests use, on Debian or Ubuntu with the Swift toolchain:
#   libncurses-dev (the TUI), iproute2 (namespaces), tcpdump, socat, nftables, tmux (real peers and
#   a real terminal for the tests), ffmpeg, iperf (iperf2) and tshark (independent senders and an
#   independent decoder for the RTP, MPEG-TS and iperf tests), prometheus (the server and promtool
#   that scrape mcexpert-monitor in its end-to-end test, which runs its own server in a namespace;
#   on a host running systemd Debian's package also starts a prometheus service: `systemctl disable
#   --now prometheus` if that is not wanted), curl (HTTP in the
#   tests), python3-venv (the Python multicast_expert peer), then the
#   Python peer itself (scripts/setup-interop.sh, into .venv-interop, as the calling user).
# Works as root and as a normal user with sudo. Changes nothing else on the host.
#
# Usage: scripts/setup.sh
set -eu
cd "$(dirname "$0")/.."

packages="libncurses-dev iproute2 tcpdump socat nftables tmux ffmpeg iperf tshark prometheus curl python3 python3-venv"
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "setup.sh: installing packages needs root; run as root, or install: $packages" >&2
    exit 1
fi
echo "== installing: $packages"
DEBIAN_FRONTEND=noninteractive $as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq $packages >/dev/null

echo "== the Python peer for the interop tests (multicast_expert 1.6.0 in .venv-interop)"
if ! scripts/setup-interop.sh; then
    echo "setup.sh: the Python peer could not be installed (no network to PyPI?); its tests will skip" >&2
fi
echo "== ready: swift run mcexpert interfaces; swift test --disable-xctest"
