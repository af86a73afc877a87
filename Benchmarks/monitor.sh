#!/bin/bash
# mcexpert-monitor at scale: one exporter following 1000 streams (one group each, MPEG-TS
# payload that it decodes), a C sender covering all 1000 groups round-robin (Benchmarks/c/
# send_baseline.c, PAYLOAD=ts) at several total rates and at full speed, inside a fresh network
# namespace over lo. Reports: the time to join all 1000; per rate, what arrived (the sum of
# mcexpert_stream_packets_total as scraped, before and after), the monitor's CPU over the run
# (/proc/PID/stat, every thread: receive loop and HTTP; --no-igmp), its RSS, the kernel's
# drops; and the scrape: time and size of GET /metrics at rest and under load (median of 5).
# Then, to drive the monitor towards loss, the monitor pinned to CPU 1 with senders at full
# speed pinned to CPU 0, then to both CPUs (taskset; needs 2 cores).
# Usage: sudo Benchmarks/monitor.sh [SECONDS]    Prints a Markdown section on stdout (run.sh's
# `monitor` section appends it to Benchmarks/results.md).
# Environment: STREAMS (default 1000), SIZE (datagram bytes, default 1316 = 7 TS packets),
# RATES (default "10000 50000 100000 max"), MONITOR_BIN (default: the static release build in
# .build-release, as scripts/install.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
T="${1:-5}"
STREAMS="${STREAMS:-1000}"
SIZE="${SIZE:-1316}"
RATES="${RATES:-10000 50000 100000 max}"
if [ -z "${MCX_BENCH_INSIDE:-}" ]; then
    # The release build scripts/install.sh makes (static Swift runtime, its own scratch path).
    swift build -c release --static-swift-stdlib --scratch-path .build-release --product mcexpert-monitor >/dev/null
    mkdir -p .build/bench
    gcc -O2 -o .build/bench/send_baseline Benchmarks/c/send_baseline.c
    exec unshare --net env MCX_BENCH_INSIDE=1 bash "$0" "$T"
fi
ip link set lo up
# run.sh's `monitor` section passes its own release build; alone, the one built above.
MONITOR="${MONITOR_BIN:-.build-release/release/mcexpert-monitor}"
PORT=47101
HZ=$(getconf CLK_TCK)
LISTEN=127.0.0.1:19277
TMP=$(mktemp -d)
MONITOR_PID=
trap '[ -n "$MONITOR_PID" ] && kill "$MONITOR_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# The sum of one counter over every stream, as scraped.
total() { curl -s "http://$LISTEN/metrics" | awk -v m="$1" 'index($0, m "{") == 1 { s += $NF } END { printf "%.0f\n", s }'; }

GROUPS_LIST=()
{
    echo "streams:"
    for ((i = 0; i < STREAMS; i++)); do
        g="239.78.$((i / 250)).$((i % 250 + 1))"
        GROUPS_LIST+=("$g")
        echo "  - {name: \"channel $i\", group: \"$g:$PORT\", interface: lo, payload: ts, labels: {tier: bench}}"
    done
} > "$TMP/streams.yaml"

START_NS=$(date +%s%N)
( ulimit -S -n 1024; exec "$MONITOR" --streams "$TMP/streams.yaml" --metrics-listen $LISTEN --no-igmp ) > "$TMP/monitor.log" 2>&1 &
MONITOR_PID=$!
for _ in $(seq 600); do grep -q "serving /metrics" "$TMP/monitor.log" && break; sleep 0.05; done
JOIN_S=$(awk -v a=$START_NS -v b=$(date +%s%N) 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
RSS_IDLE=$(rss_kib $MONITOR_PID)

scrape_stats() {  # median time (ms) and size (bytes) of 5 scrapes
    local times=() size=0 line
    for _ in 1 2 3 4 5; do
        line=$(curl -s -o /dev/null -w '%{time_total} %{size_download}' "http://$LISTEN/metrics")
        times+=("${line% *}"); size=${line#* }
        sleep 0.6  # past the exporter's 0.5 s refresh interval, so each scrape refreshes
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk -v s=$size '{ printf "%.1f ms, %d bytes", $1 * 1000, s }'
}
SCRAPE_IDLE=$(scrape_stats)

echo
echo "## mcexpert-monitor: $STREAMS streams"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, ${T} s per rate, over lo in a fresh network namespace. One mcexpert-monitor (release build) follows $STREAMS streams (one group and socket each, \`payload: ts\`, so every datagram is decoded as MPEG-TS: continuity per PID, PAT/PMT); one C sender (send_baseline, PAYLOAD=ts) sends $SIZE-byte datagrams round-robin over all $STREAMS groups. The monitor's CPU is the whole process's (receive loop and HTTP thread; the IGMP listener off, --no-igmp; /proc/PID/stat) over the sender's run; the sender has the other core. Received: the sum of \`mcexpert_stream_packets_total\` over the streams as scraped before and after."
echo
echo "Joining all $STREAMS streams (start to \"serving /metrics\"): ${JOIN_S} s. RSS after joining: $((RSS_IDLE / 1024)) MiB. GET /metrics with $STREAMS streams at rest: ${SCRAPE_IDLE} (median of 5)."
echo
echo "| total rate asked | sent/s | received/s | share | monitor CPU (% of one core) | CPU s per M datagrams | kernel drops | RSS after |"
echo "|---|---|---|---|---|---|---|---|"
for RATE in $RATES; do
    BEFORE=$(total mcexpert_stream_packets_total)
    DROPS_BEFORE=$(total mcexpert_stream_kernel_drops_total)
    C0=$(ticks $MONITOR_PID)
    if [ "$RATE" = max ]; then
        SENT=$(PAYLOAD=ts .build/bench/send_baseline 127.0.0.1 $PORT "$T" "$SIZE" "${GROUPS_LIST[@]}")
    else
        SENT=$(RATE=$RATE PAYLOAD=ts .build/bench/send_baseline 127.0.0.1 $PORT "$T" "$SIZE" "${GROUPS_LIST[@]}")
    fi
    sleep 0.7  # the last datagrams recorded and a fresh refresh
    C1=$(ticks $MONITOR_PID)
    AFTER=$(total mcexpert_stream_packets_total)
    DROPS=$(( $(total mcexpert_stream_kernel_drops_total) - DROPS_BEFORE ))
    RSS=$(rss_kib $MONITOR_PID)
    if [ "$RATE" = 100000 ]; then
        # A scrape under load: the sender at 100k/s again while scraping.
        ( RATE=100000 PAYLOAD=ts .build/bench/send_baseline 127.0.0.1 $PORT 4 "$SIZE" "${GROUPS_LIST[@]}" > /dev/null ) &
        SENDER=$!
        sleep 0.5
        SCRAPE_LOAD=$(scrape_stats)
        wait $SENDER
    fi
    awk -v r=$RATE -v sent=$SENT -v got=$((AFTER - BEFORE)) -v t=$T -v cpu=$((C1 - C0)) -v hz=$HZ -v drops=$DROPS -v rss=$RSS 'BEGIN {
        secs = cpu / hz
        printf "| %s | %.0f | %.0f | %.2f%% | %.1f%% | %.2f | %d | %.0f MiB |\n", (r == "max" ? "full speed" : r "/s"), sent / t, got / t,
            (sent > 0 ? 100 * got / sent : 0), 100 * secs / t, (got > 0 ? secs / got * 1e6 : 0), drops, rss / 1024 }'
done
echo
echo "GET /metrics with $STREAMS streams while they receive 100k datagrams/s in total: ${SCRAPE_LOAD:-not measured} (median of 5)."

# Trying to drive the monitor to loss: the monitor's threads pinned to CPU 1, C senders at full
# speed pinned to CPU 0, then one on each CPU (the second shares the monitor's core). Over lo the
# kernel's delivery to the sockets runs on the sender's CPU, so the monitor's CPU here is its own
# work (receive calls and decoding), not the kernel's.
if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
    taskset -a -p -c 1 $MONITOR_PID > /dev/null
    echo
    echo "The monitor pinned to CPU 1 (taskset), senders at full speed pinned as listed:"
    echo
    echo "| senders | sent/s | received/s | share | monitor CPU (% of one core) | CPU s per M datagrams | kernel drops |"
    echo "|---|---|---|---|---|---|---|"
    for CPUS in "0" "0 1"; do
        BEFORE=$(total mcexpert_stream_packets_total)
        DROPS_BEFORE=$(total mcexpert_stream_kernel_drops_total)
        C0=$(ticks $MONITOR_PID)
        SENDERS=(); N=0
        for CPU in $CPUS; do
            ( PAYLOAD=ts taskset -c "$CPU" .build/bench/send_baseline 127.0.0.1 $PORT "$T" "$SIZE" "${GROUPS_LIST[@]}" > "$TMP/sent.$N" ) &
            SENDERS+=($!); N=$((N + 1))
        done
        wait "${SENDERS[@]}"
        sleep 0.7
        C1=$(ticks $MONITOR_PID)
        AFTER=$(total mcexpert_stream_packets_total)
        DROPS=$(( $(total mcexpert_stream_kernel_drops_total) - DROPS_BEFORE ))
        SENT=$(cat "$TMP"/sent.* | awk '{ s += $1 } END { print s }')
        rm -f "$TMP"/sent.*
        awk -v c="$CPUS" -v sent=$SENT -v got=$((AFTER - BEFORE)) -v t=$T -v cpu=$((C1 - C0)) -v hz=$HZ -v drops=$DROPS 'BEGIN {
            secs = cpu / hz; n = split(c, cpus, " "); list = ""
            for (i = 1; i <= n; i++) list = list (i > 1 ? " and " : "") "CPU " cpus[i]
            printf "| %d on %s | %.0f | %.0f | %.2f%% | %.1f%% | %.2f | %d |\n", n, list, sent / t, got / t,
                (sent > 0 ? 100 * got / sent : 0), 100 * secs / t, (got > 0 ? secs / got * 1e6 : 0), drops }'
    done
fi
