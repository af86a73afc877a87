#!/bin/sh
# Installs everything the build and the tests use, on Debian or Ubuntu with the Swift toolchain:
#   libncurses-dev (the TUI), iproute2 (namespaces), tcpdump, socat, nftables, tmux (real peers and
#   a real terminal for the tests), ffmpeg, iperf (iperf2) and tshark (independent senders and an
#   independent decoder for the RTP, MPEG-TS and iperf tests), curl (HTTP in the
#   tests), python3-venv (the Python multicast_expert peer), then the
#   Python peer itself (scripts/setup-interop.sh, into .venv-interop, as the calling user).
# Prometheus (the server and promtool that scrape mcexpert-monitor in its end-to-end test, which
#   runs its own server in a namespace) is NOT installed: Debian's package would start a
#   prometheus service on :9090 and pull in prometheus-node-exporter on :9100. Its .deb is only
#   downloaded (apt-get download) and unpacked, and the two binaries copied into the project's
#   git-ignored .tools/bin, where the tests look first; nothing is started or installed system-wide.
# Works as root and as a normal user with sudo. Changes nothing else on the host.
#
# Usage: scripts/setup.sh
set -eu
cd "$(dirname "$0")/.."

packages="libncurses-dev iproute2 tcpdump socat nftables tmux ffmpeg iperf tshark curl python3 python3-venv"
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

echo "== prometheus and promtool (Debian's package, unpacked into .tools/bin, not installed)"
if .tools/bin/prometheus --version >/dev/null 2>&1 && .tools/bin/promtool --version >/dev/null 2>&1; then
    echo "   already in .tools/bin"
else
    unpack="$(mktemp -d)"
    trap 'rm -rf "$unpack"' EXIT
    # apt-get download needs no root; as root, apt fetches as its _apt user, which must own the directory.
    if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$unpack"; fi
    (cd "$unpack" && apt-get download -qq prometheus >/dev/null)
    dpkg-deb -x "$unpack"/prometheus_*.deb "$unpack/root"
    mkdir -p .tools/bin
    cp "$unpack/root/usr/bin/prometheus" "$unpack/root/usr/bin/promtool" .tools/bin/
    .tools/bin/prometheus --version >/dev/null
    .tools/bin/promtool --version >/dev/null
    rm -rf "$unpack"
    trap - EXIT
    echo "   $(.tools/bin/prometheus --version 2>&1 | head -n 1)"
fi

echo "== the Python peer for the interop tests (multicast_expert 1.6.0 in .venv-interop)"
if ! scripts/setup-interop.sh; then
    echo "setup.sh: the Python peer could not be installed (no network to PyPI?); its tests will skip" >&2
fi
echo "== ready: swift run mcexpert interfaces; swift test --disable-xctest"
