#!/bin/bash
# End-to-end receive and send benchmarks, inside a fresh network namespace over loopback.
# One sender at full speed; five receivers on the same groups at the same time:
#   MulticastMonitor (full statistics, default 2 ms batch window), the same with the window off
#   (a wakeup per arrival), McastRxSocket.receive() one at a time, a plain C recvmmsg loop (the
#   kernel's limit), and Python multicast_expert 1.6.0. The sender starts once all have joined;
#   each reports the CPU of its receive loop only (set-up and interpreter start excluded).
# Then the send side: `mcexpert send --rate max` against a C sendmmsg loop; last, the targets
# checked against the run (Benchmarks/targets.awk).
# Usage: sudo Benchmarks/run.sh [SECONDS]      Writes Benchmarks/results.md.
# Needs root (unshare), gcc, and scripts/setup-interop.sh for the Python receiver.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-5}"
if [ -z "${MCX_BENCH_INSIDE:-}" ]; then
    swift build -c release >/dev/null
    mkdir -p .build/bench
    gcc -O2 -o .build/bench/recv_baseline Benchmarks/c/recv_baseline.c
    gcc -O2 -o .build/bench/send_baseline Benchmarks/c/send_baseline.c
    exec unshare --net env MCX_BENCH_INSIDE=1 bash "$0" "$SECONDS_PER_RUN"
fi
ip link set lo up
BIN="$(swift build -c release --show-bin-path)"
PY=".venv-interop/bin/python"
PORT=47001
OUT=Benchmarks/results.md
{
echo "# Benchmark results"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r), ${SECONDS_PER_RUN} s per run, over lo in a fresh network namespace."
echo
echo "| link | groups | payload | receiver | received/s | share of sent | CPU s per M packets | vs C: rate | vs C: CPU | datagrams per wakeup |"
echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$OUT"

# The veth variant: the sender in a namespace of its own, cabled to this one.
ip netns del mcx-bench-tx 2>/dev/null || true  # a stale one from an interrupted run
ip netns add mcx-bench-tx
trap 'ip netns del mcx-bench-tx 2>/dev/null || true' EXIT
ip link add vbench type veth peer name vbench-tx netns mcx-bench-tx
ip link set vbench up; ip addr add 198.18.99.2/24 dev vbench
ip netns exec mcx-bench-tx sh -c 'ip link set lo up; ip link set vbench-tx up; ip addr add 198.18.99.1/24 dev vbench-tx'
VETH_INDEX=$(ip -o link show vbench | cut -d: -f1)

groups_for() { local n=$1; local g=(); for i in $(seq 1 "$n"); do g+=("239.77.0.$i"); done; echo "${g[@]}"; }

for LINK in lo veth; do
 for NGROUPS in 1 16; do
  for SIZE in 64 1400; do
    if [ $LINK = lo ]; then IFACE=lo; IFINDEX=1; SEND=""; SRC=127.0.0.1; else IFACE=vbench; IFINDEX=$VETH_INDEX; SEND="ip netns exec mcx-bench-tx"; SRC=198.18.99.1; fi
    GROUP_LIST="$(groups_for $NGROUPS)"
    T=$SECONDS_PER_RUN
    TMP=$(mktemp -d)
    "$BIN/mcexpert-bench" monitor $IFACE $PORT $((T + 1)) $GROUP_LIST > "$TMP/monitor" 2> "$TMP/monitor.batch" &
    "$BIN/mcexpert-bench" monitor-nowindow $IFACE $PORT $((T + 1)) $GROUP_LIST > "$TMP/nowindow" 2> "$TMP/nowindow.batch" &
    "$BIN/mcexpert-bench" socket $IFACE $PORT $((T + 1)) $GROUP_LIST > "$TMP/socket" &
    .build/bench/recv_baseline $IFINDEX $PORT $((T + 1)) $GROUP_LIST > "$TMP/c" &
    if [ -x "$PY" ]; then "$PY" Benchmarks/python_rx.py $IFACE $PORT $((T + 1)) $GROUP_LIST > "$TMP/python" & fi
    RECEIVERS="monitor nowindow socket c"; [ -x "$PY" ] && RECEIVERS="$RECEIVERS python"
    for _ in $(seq 100); do  # until every receiver has joined (at most 10 s)
      all=1; for R in $RECEIVERS; do grep -q ready "$TMP/$R" 2>/dev/null || all=0; done
      [ $all = 1 ] && break; sleep 0.1
    done
    $SEND .build/bench/send_baseline $SRC $PORT "$T" "$SIZE" $GROUP_LIST > "$TMP/sent"
    wait
    SENT=$(cat "$TMP/sent")
    read -r CPK CCPU < <(tail -n 1 "$TMP/c")
    for R in $RECEIVERS; do
      [ -s "$TMP/$R" ] || continue
      read -r PK CPU < <(tail -n 1 "$TMP/$R")
      NAME=$R; [ $R = monitor ] && NAME="MulticastMonitor (stats)"; [ $R = nowindow ] && NAME="MulticastMonitor (stats, no batch window)"; [ $R = socket ] && NAME="McastRxSocket.receive()"; [ $R = c ] && NAME="C recvmmsg"; [ $R = python ] && NAME="Python multicast_expert"
      BATCH=$(sed -nE 's/^datagrams per wakeup: ([0-9.]+)/\1/p' "$TMP/$R.batch" 2>/dev/null || true); BATCH=${BATCH:-0}
      awk -v batch=$BATCH -v link=$LINK -v g=$NGROUPS -v s=$SIZE -v n="$NAME" -v pk=$PK -v cpu=$CPU -v sent=$SENT -v t=$T -v cpk=$CPK -v ccpu=$CCPU 'BEGIN {
        rate = pk / t; share = sent > 0 ? 100 * pk / sent : 0
        per = pk > 0 ? cpu / pk * 1e6 : 0; cper = cpk > 0 ? ccpu / cpk * 1e6 : 0
        printf "| %s | %d | %d B | %s | %.0f | %.1f%% | %.2f | %.2f | %.2f | %s |\n", link, g, s, n, rate, share, per, (cpk > 0 ? pk / cpk : 0), (cper > 0 ? per / cper : 0), (batch > 0 ? sprintf("%.1f", batch) : "–") }' >> "$OUT"
    done
    rm -rf "$TMP"
  done
 done
done

{
echo
echo "Send side: datagrams per second at full speed, one group, 64-byte payloads; the median of five runs each, taken in turn."
echo
echo "| sender | datagrams/s | vs C |"
echo "|---|---|---|"
} >> "$OUT"
C_RUNS=(); MC_RUNS=()
for _ in 1 2 3 4 5; do
    C_RUNS+=("$(.build/bench/send_baseline 127.0.0.1 $PORT "$SECONDS_PER_RUN" 64 239.77.0.1)")
    MC_LINE=$("$BIN/mcexpert" send 239.77.0.1:$PORT --iface lo --rate max --duration "$SECONDS_PER_RUN" --size 64 --message x)
    MC_RUNS+=("$(echo "$MC_LINE" | sed -E 's/^sent ([0-9]+) .*/\1/')")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
C_SENT=$(median "${C_RUNS[@]}"); MC_SENT=$(median "${MC_RUNS[@]}")
awk -v c=$C_SENT -v m=$MC_SENT -v t=$SECONDS_PER_RUN 'BEGIN {
  printf "| C sendmmsg | %.0f | 1.00 |\n| mcexpert send --rate max | %.0f | %.2f |\n", c / t, m / t, (c > 0 ? m / c : 0) }' >> "$OUT"
per_second() { local r out=(); for r in "$@"; do out+=($((r / SECONDS_PER_RUN))); done; echo "${out[*]}"; }
{ echo; echo "Every run, datagrams/s: C $(per_second "${C_RUNS[@]}") · mcexpert $(per_second "${MC_RUNS[@]}")"; } >> "$OUT"

# The batch window's trade-off: MulticastMonitor alone next to the C loop, the sender paced at
# 60k datagrams/s (64 B, lo), for several window lengths.
{
echo
echo "Batch window sweep: MulticastMonitor (stats) next to the C recvmmsg loop, sender paced at 60k datagrams/s, 64 B, over lo."
echo
echo "| groups | window | received | CPU s per M packets | vs C: CPU | datagrams per wakeup |"
echo "|---|---|---|---|---|---|"
} >> "$OUT"
for NGROUPS in 1 16; do
  GROUP_LIST="$(groups_for $NGROUPS)"
  for W in 0 500 1000 2000 4000; do
    TMP=$(mktemp -d)
    MCX_BATCH_WINDOW_US=$W "$BIN/mcexpert-bench" monitor lo $PORT $((SECONDS_PER_RUN + 1)) $GROUP_LIST > "$TMP/monitor" 2> "$TMP/monitor.batch" &
    .build/bench/recv_baseline 1 $PORT $((SECONDS_PER_RUN + 1)) $GROUP_LIST > "$TMP/c" &
    for _ in $(seq 100); do grep -q ready "$TMP/monitor" && grep -q ready "$TMP/c" && break; sleep 0.1; done
    SENT=$(RATE=60000 .build/bench/send_baseline 127.0.0.1 $PORT "$SECONDS_PER_RUN" 64 $GROUP_LIST)
    wait
    read -r PK CPU < <(tail -n 1 "$TMP/monitor"); read -r CPK CCPU < <(tail -n 1 "$TMP/c")
    BATCH=$(sed -nE 's/^datagrams per wakeup: ([0-9.]+)/\1/p' "$TMP/monitor.batch" || true)
    awk -v g=$NGROUPS -v w=$W -v pk=$PK -v cpu=$CPU -v sent=$SENT -v cpk=$CPK -v ccpu=$CCPU -v batch=${BATCH:-0} 'BEGIN {
      per = pk > 0 ? cpu / pk * 1e6 : 0; cper = cpk > 0 ? ccpu / cpk * 1e6 : 0
      printf "| %d | %s | %.1f%% | %.2f | %.2f | %.1f |\n", g, (w == 0 ? "off" : sprintf("%g ms", w / 1000)), 100 * pk / sent, per, (cper > 0 ? per / cper : 0), batch }' >> "$OUT"
    rm -rf "$TMP"
  done
done

# Memory under a flood from random sources: 4096 source ports, 16 groups, full speed, for
# SOAK_SECONDS (default 60; the 10-minute figure is SOAK_SECONDS=600). RSS sampled every 10 s.
SOAK=${SOAK_SECONDS:-60}
GROUP_LIST="$(groups_for 16)"
MCX_REPORT_RSS=1 "$BIN/mcexpert-bench" monitor lo $((PORT + 1)) $((SOAK + 1)) $GROUP_LIST > /tmp/mcx-soak.out 2> /tmp/mcx-soak.rss &
sleep 0.5
SOURCES=4096 .build/bench/send_baseline 127.0.0.1 $((PORT + 1)) "$SOAK" 64 $GROUP_LIST > /tmp/mcx-soak.sent
wait
{
echo
echo "Memory under a ${SOAK} s flood from 4096 source ports to 16 groups (MulticastMonitor, statistics on, RSS every 10 s):"
echo
echo '```'
cat /tmp/mcx-soak.rss
echo "sent $(cat /tmp/mcx-soak.sent), received $(tail -n 1 /tmp/mcx-soak.out | cut -d' ' -f1)"
echo '```'
} >> "$OUT"

# TUI drawing cost: 50 streams at 100k datagrams/s in total, the TUI on its groups in a real
# terminal (tmux); CPU of the UI thread (drawing) and of the whole process over 20 s.
if command -v tmux >/dev/null; then
    GROUP_LIST="$(groups_for 50)"
    ARGS=""; for g in $GROUP_LIST; do ARGS="$ARGS --group $g:$((PORT + 2))"; done
    tmux -L mcx-bench new-session -d -x 120 -y 60 "exec $BIN/mcexpert tui --iface lo $ARGS" </dev/null >/dev/null 2>&1
    RATE=100000 .build/bench/send_baseline 127.0.0.1 $((PORT + 2)) 30 64 $GROUP_LIST > /dev/null &
    SENDER=$!
    sleep 6
    TUI=$(tmux -L mcx-bench display -p '#{pane_pid}')
    ticks() { awk '{print $14 + $15}' "$1"; }
    HZ=$(getconf CLK_TCK)
    M0=$(ticks /proc/$TUI/task/$TUI/stat); P0=$(ticks /proc/$TUI/stat)
    sleep 20
    M1=$(ticks /proc/$TUI/task/$TUI/stat); P1=$(ticks /proc/$TUI/stat)
    ROWS=$(tmux -L mcx-bench capture-pane -p | grep -c "^239.77.0")
    tmux -L mcx-bench send-keys q; sleep 0.5; tmux -L mcx-bench kill-server 2>/dev/null || true
    wait $SENDER || true
    awk -v m=$((M1 - M0)) -v p=$((P1 - P0)) -v hz=$HZ -v rows=$ROWS 'BEGIN {
      printf "\nTUI with 50 streams at 100k datagrams/s in total (%d rows on screen), over 20 s: UI thread (drawing) %.1f%% of one core, whole process (UI + receive engine) %.1f%%.\n", rows, 100 * m / hz / 20, 100 * p / hz / 20 }' >> "$OUT"
fi
# The issue's targets, checked against this run (worst case over every link, group count and payload).
{ echo; echo "Targets, checked by Benchmarks/targets.awk against the figures above:"; echo; awk -f Benchmarks/targets.awk "$OUT"; } > "$OUT.targets"
cat "$OUT.targets" >> "$OUT"; rm -f "$OUT.targets"
cat "$OUT"
