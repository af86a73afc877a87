#!/usr/bin/env bash
# Shows that a release `mcexpert` needs nothing from the Swift toolchain at run time.
#
#   scripts/check-static-binary.sh BINARY
#
# 1. Prints `ldd BINARY` and fails if it names anything under the toolchain, any libswift*,
#    libFoundation*, libdispatch or libBlocksRuntime, a library that is "not found", or any
#    library outside the expected set: glibc (libc, libm, libpthread, libdl, librt, the loader),
#    libstdc++/libgcc_s and libncursesw/libtinfo. It also fails on an RPATH/RUNPATH that points
#    into the toolchain.
# 2. As root: in a new mount and network namespace (unshare --mount --net) it hides the toolchain
#    under an empty tmpfs, brings lo up and runs the binary: --version, interfaces (text and
#    JSON), doctor on lo, a listen/send round trip of 20 probes over lo, and the TUI (--demo)
#    under script(1) for two seconds. Multicast goes only over lo inside that namespace; the
#    mount is private to it and disappears with it. For `mcexpert-monitor` (the Prometheus
#    exporter) it runs --version, then the exporter on a one-stream list with 127.0.0.1 as its
#    listen address, and reads /healthz and /metrics from it.
#    Not root: says so and checks ldd only (with MCEXPERT_REQUIRE_NETNS=1 that is a failure).
#
# The toolchain directory is the one `swift` on PATH lives in (/opt/swift here), or
# MCEXPERT_TOOLCHAIN_DIR.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

if [ $# -ne 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    usage
    [ $# -eq 1 ] && exit 0 || exit 2
fi
if [ ! -f "$1" ] || [ ! -x "$1" ]; then
    echo "check-static-binary: $1 is not an executable file" >&2
    exit 2
fi
binary="$(readlink -f "$1")"

# Where the toolchain lives: /opt/swift/usr/bin/swift -> /opt/swift.
toolchain="${MCEXPERT_TOOLCHAIN_DIR:-}"
if [ -z "$toolchain" ] && command -v swift >/dev/null 2>&1; then
    toolchain="$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")"
fi
if [ -z "$toolchain" ] && [ -d /opt/swift ]; then
    toolchain=/opt/swift
fi
case "$toolchain" in
    "" | / | /usr | /usr/local)
        # A distribution-packaged swift under /usr cannot be hidden by a mount without hiding
        # libc too; ldd's verdict is then all we have.
        echo "check-static-binary: toolchain directory '${toolchain:-unknown}' cannot be hidden; set MCEXPERT_TOOLCHAIN_DIR" >&2
        hide_toolchain=no ;;
    *) hide_toolchain=yes ;;
esac
case "$binary" in
    "$toolchain"/*)
        if [ "$hide_toolchain" = yes ]; then
            echo "check-static-binary: $binary lies inside the toolchain ($toolchain), which the check hides; copy it elsewhere" >&2
            exit 2
        fi ;;
esac

echo "== $binary"
echo "size: $(stat -c %s "$binary") bytes ($(file -b "$binary" 2>/dev/null | grep -o 'not stripped\|stripped' || echo '?'))"
echo "toolchain: ${toolchain:-not found}"

echo "== ldd"
ldd_out="$(ldd "$binary" 2>&1)" || case "$ldd_out" in
    *"not a dynamic executable"*) ;; # fully static: nothing to load
    *) echo "$ldd_out"; echo "check-static-binary: ldd failed" >&2; exit 1 ;;
esac
echo "$ldd_out"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"
    [ -n "$line" ] || continue
    name="${line%% *}"
    case "$line" in
        *"not found"*) fail "missing library: $line"; continue ;;
    esac
    if [ -n "$toolchain" ] && [ "$hide_toolchain" = yes ] && [[ "$line" == *"$toolchain/"* ]]; then
        fail "library from the toolchain: $line"
        continue
    fi
    case "$name" in
        libswift* | libFoundation* | lib_Foundation* | libdispatch* | libBlocksRuntime* | libicu*)
            fail "Swift run-time library: $line" ;;
        linux-vdso.so.* | linux-gate.so.* | /lib*/ld-linux*.so.* | ld-linux*.so.*) ;;
        libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.*) ;;
        libstdc++.so.* | libgcc_s.so.*) ;;
        libncursesw.so.* | libtinfo.so.*) ;;
        statically | "not") ;; # "statically linked" / "not a dynamic executable"
        *) fail "unexpected run-time library (not glibc, libstdc++/libgcc_s or ncursesw): $line" ;;
    esac
done <<<"$ldd_out"

if command -v readelf >/dev/null 2>&1; then
    rpath="$(readelf -d "$binary" | grep -E '\((RPATH|RUNPATH)\)' || true)"
    if [ -n "$rpath" ]; then
        echo "rpath: $(echo "$rpath" | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')"
        if [ -n "$toolchain" ] && [ "$hide_toolchain" = yes ] && [[ "$rpath" == *"$toolchain"* ]]; then
            fail "RPATH/RUNPATH points into the toolchain: $rpath"
        fi
    fi
fi

if [ "$failures" -ne 0 ]; then
    echo "check-static-binary: $failures problem(s) in the binary's run-time dependencies" >&2
    exit 1
fi
echo "ldd: only glibc, libstdc++/libgcc_s and ncursesw (nothing from the Swift toolchain)"

if [ "$(id -u)" -ne 0 ]; then
    echo "check-static-binary: running the binary with the toolchain hidden needs root (a private mount and network namespace); checked ldd only"
    if [ "${MCEXPERT_REQUIRE_NETNS:-}" = 1 ]; then
        echo "check-static-binary: MCEXPERT_REQUIRE_NETNS=1 and not root: failing" >&2
        exit 1
    fi
    exit 0
fi
if [ "$hide_toolchain" != yes ]; then
    echo "check-static-binary: cannot hide the toolchain; checked ldd only" >&2
    exit 1
fi

echo "== running it in a new mount + network namespace with $toolchain hidden (multicast over lo only)"
# Everything below runs inside the namespace: `mount` there is private (unshare makes the new
# mount namespace's propagation private), and the only interface is that namespace's lo.
export MCX_BINARY="$binary" MCX_TOOLCHAIN="$toolchain" MCX_NAME="$(basename "$binary")"
timeout 120 unshare --mount --net bash -c '
set -euo pipefail
b="$MCX_BINARY"
work="$(mktemp -d)"
trap '"'"'rm -rf "$work"'"'"' EXIT
mount -t tmpfs -o ro,size=4k none "$MCX_TOOLCHAIN"
if [ -n "$(ls -A "$MCX_TOOLCHAIN")" ]; then echo "FAIL: could not hide $MCX_TOOLCHAIN" >&2; exit 1; fi
echo "hidden: $MCX_TOOLCHAIN is now an empty tmpfs"
ip link set lo up
unset LD_LIBRARY_PATH LD_PRELOAD
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if command -v swift >/dev/null 2>&1; then echo "note: a swift outside $MCX_TOOLCHAIN is still on PATH: $(command -v swift)"; fi

step() { echo "-- $MCX_NAME $*"; }

if [ "$MCX_NAME" = mcexpert-monitor ]; then
    step --version
    version="$("$b" --version)"; echo "$version"
    case "$version" in *release*) ;; *) echo "FAIL: --version does not say release: $version" >&2; exit 1 ;; esac
    step "--streams (one stream on lo) --metrics-listen 127.0.0.1:19277"
    printf "streams:\n  - {name: probe, group: \"239.1.2.3:5000\", interface: lo}\n" > "$work/streams.yaml"
    "$b" --streams "$work/streams.yaml" --metrics-listen 127.0.0.1:19277 --no-igmp > "$work/monitor.out" 2>&1 &
    exporter=$!
    for _ in $(seq 100); do
        grep -q "serving /metrics" "$work/monitor.out" && break
        kill -0 "$exporter" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/monitor.out"
    # HTTP/1.0 by hand (bash /dev/tcp): no curl needed in this namespace.
    get() { exec 3<>/dev/tcp/127.0.0.1/19277 && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3; exec 3<&-; }
    health="$(get /healthz)" || true
    metrics="$(get /metrics)" || true
    kill "$exporter"; wait "$exporter" || true
    case "$health" in *"200 OK"*ok*) echo "healthz: ok" ;; *) echo "FAIL: /healthz answered: $health" >&2; exit 1 ;; esac
    case "$metrics" in *"mcexpert_stream_up{name=\"probe\""*) echo "metrics: $(printf "%s" "$metrics" | grep -c "^mcexpert_") samples" ;;
        *) echo "FAIL: /metrics has no stream: $(printf "%s" "$metrics" | head -c 400)" >&2; exit 1 ;; esac
    echo "OK: ran with $MCX_TOOLCHAIN hidden"
    exit 0
fi

step --version
version="$("$b" --version)"; echo "$version"
case "$version" in *release*) ;; *) echo "FAIL: --version does not say release: $version" >&2; exit 1 ;; esac

step interfaces
"$b" interfaces

step interfaces --json
json="$("$b" interfaces --json)"; echo "$json"
if command -v python3 >/dev/null 2>&1; then
    printf "%s" "$json" | python3 -c "import json,sys; json.load(sys.stdin)" || { echo "FAIL: interfaces --json is not JSON" >&2; exit 1; }
fi

step doctor --iface lo --group 239.1.2.3 --json
set +e; "$b" doctor --iface lo --group 239.1.2.3 --json > "$work/doctor.json"; rc=$?; set -e
head -c 400 "$work/doctor.json"; echo " ..."
# 0: nothing failed, 1: a finding failed; anything else is a crash or bad usage.
if [ "$rc" -gt 1 ]; then echo "FAIL: doctor exited $rc" >&2; exit 1; fi

step "listen 239.1.2.3:5000 -i lo --count 20 --duration 10  +  send ... --count 20 --loopback"
"$b" listen 239.1.2.3:5000 -i lo --count 20 --duration 10 > "$work/listen.out" 2>&1 &
listener=$!
# Send once the listener has joined: 239.1.2.3 shows in /proc/net/igmp as 030201EF.
for _ in $(seq 100); do
    grep -q 030201EF /proc/net/igmp && break
    kill -0 "$listener" 2>/dev/null || break
    sleep 0.1
done
grep -q 030201EF /proc/net/igmp || { cat "$work/listen.out" >&2; echo "FAIL: listen did not join 239.1.2.3 on lo within 10 s" >&2; exit 1; }
"$b" send 239.1.2.3:5000 -i lo --loopback --rate 200 --count 20
set +e; wait "$listener"; rc=$?; set -e
tail -n 4 "$work/listen.out"
if [ "$rc" -ne 0 ]; then echo "FAIL: listen exited $rc (nothing arrived?)" >&2; exit 1; fi
grep -q "20 packets" "$work/listen.out" || { echo "FAIL: listen did not report 20 packets" >&2; exit 1; }

if command -v script >/dev/null 2>&1; then
    step "tui --demo (under script(1), q after 2 s)"
    set +e
    (sleep 2; printf q) | TERM=xterm-256color timeout 20 script -qefc "\"\$MCX_BINARY\" tui --demo" /dev/null > "$work/tui.out" 2>&1
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then echo "FAIL: tui exited $rc" >&2; tail -c 600 "$work/tui.out" >&2; exit 1; fi
    grep -q "mcexpert |" "$work/tui.out" || { echo "FAIL: the TUI drew no title bar" >&2; exit 1; }
    echo "tui: drew its screen and quit on q"
else
    echo "-- tui: script(1) not installed; skipped"
fi
echo "OK: ran with $MCX_TOOLCHAIN hidden"
'
echo "check-static-binary: $binary needs nothing from the Swift toolchain"
