#!/bin/bash
# End-to-end receive and send benchmarks, inside a fresh network namespace over loopback.
# One sender at full speed; five receivers on the same groups at the same time:
#   MulticastMonitor (full statistics, default 2 ms batch window), the same with the window off
#   (a wakeup per arrival), McastRxSocket.receive() one at a time, a plain C recvmmsg loop (the
#   kernel's limit), and Python multicast_expert 1.6.0. The sender starts once all have joined;
#   each reports the CPU of its receive loop only (set-up and interpreter start excluded).
# Then `mcexpert listen` with default flags against the C loop; the same with real payloads
# (MPEG-TS, RTP, MPEG-TS over RTP), which mcexpert decodes per datagram; a sweep of 1 to 5000
# groups at one total rate against a C epoll+recvmmsg loop over as many sockets; the send side
# (`mcexpert send --rate max` against a C sendmmsg loop); the batch window sweep; a memory soak;
# the TUI's drawing cost at 50 and 1000 streams; start-up times; mcexpert-monitor following 1000
# streams (Benchmarks/monitor.sh); last, the targets checked against
# the run (Benchmarks/targets.awk) and the receive path compared with the previous results.md
# (Benchmarks/compare.awk).
# Usage: sudo Benchmarks/run.sh [SECONDS]      Writes Benchmarks/results.md.
# Environment: SOAK_SECONDS (default 60); SECTIONS="receive listen payload sweep send window soak
# tui startup monitor" (default all) to run some only; RESULTS=FILE to write elsewhere; PREVIOUS_RESULTS=FILE
# to compare against (default: the results.md this run replaces).
# Needs root (unshare), gcc, tmux for the TUI and start-up sections, and
# scripts/setup-interop.sh for the Python receiver.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-5}"
OUT="${RESULTS:-Benchmarks/results.md}"
if [ -z "${MCX_BENCH_INSIDE:-}" ]; then
    swift build -c release >/dev/null
    mkdir -p .build/bench
    gcc -O2 -o .build/bench/recv_baseline Benchmarks/c/recv_baseline.c
    gcc -O2 -o .build/bench/send_baseline Benchmarks/c/send_baseline.c
    if [ -z "${PREVIOUS_RESULTS:-}" ] && [ -f "$OUT" ]; then
        cp "$OUT" .build/bench/previous-results.md; export PREVIOUS_RESULTS=.build/bench/previous-results.md
    fi
    exec unshare --net env MCX_BENCH_INSIDE=1 bash "$0" "$SECONDS_PER_RUN"
fi
ip link set lo up
BIN="$(swift build -c release --show-bin-path)"
PY=".venv-interop/bin/python"
PORT=47001
want() { [[ " ${SECTIONS:-receive listen payload sweep send window soak tui startup monitor} " == *" $1 "* ]]; }
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system CPU of a process (all threads), clock ticks
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

# n groups: 239.77.0.1 ... 239.77.0.250, then 239.77.1.1 ... (up to 64000).
groups_for() { local n=$1 i; local g=(); for ((i = 0; i < n; i++)); do g+=("239.77.$((i / 250)).$((i % 250 + 1))"); done; echo "${g[@]}"; }

if want receive; then
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
fi

# The listen and payload tables' measurement: the C recvmmsg loop (8 MiB buffer) and `mcexpert
# listen` twice (--format stats, and a line per datagram to a file on tmpfs) on one group, while
# send_baseline sends SIZE-byte datagrams at full speed over LINK (lo, or the veth from its own
# namespace), with PAYLOAD as send_baseline takes it (empty: zeros). Leaves in $TMP: c, stats and
# lines (the last 20 lines of the line-per-datagram output); sets T, SENT, CPK, SPK, LPK and the
# CPU ticks CT, ST, LT of each receiver over the sender's run.
has_socket() { local n; n=$(ls -l "/proc/$1/fd" 2>/dev/null | grep -c 'socket:' || true); [ "${n:-0}" -gt 0 ]; }
three_receivers() {
    local link=$1 size=$2 payload=$3 iface ifindex send src lines c_pid s_pid l_pid c0 s0 l0
    if [ "$link" = lo ]; then iface=lo; ifindex=1; send=""; src=127.0.0.1; else iface=vbench; ifindex=$VETH_INDEX; send="ip netns exec mcx-bench-tx"; src=198.18.99.1; fi
    T=$SECONDS_PER_RUN
    TMP=$(mktemp -d); lines=$(mktemp -p /dev/shm mcx-listen.XXXXXX)
    RCVBUF=$((8 << 20)) .build/bench/recv_baseline $ifindex $PORT $((T + 2)) 239.77.0.1 > "$TMP/c" &
    c_pid=$!
    "$BIN/mcexpert" listen 239.77.0.1:$PORT --iface $iface --duration $((T + 2)) --format stats > "$TMP/stats" &
    s_pid=$!
    "$BIN/mcexpert" listen 239.77.0.1:$PORT --iface $iface --duration $((T + 2)) > "$lines" &
    l_pid=$!
    for _ in $(seq 100); do grep -q ready "$TMP/c" && has_socket $s_pid && has_socket $l_pid && break; sleep 0.1; done
    sleep 0.3  # the socket exists before its join; give the joins time
    c0=$(ticks $c_pid); s0=$(ticks $s_pid); l0=$(ticks $l_pid)
    SENT=$(PAYLOAD=$payload $send .build/bench/send_baseline $src $PORT "$T" "$size" 239.77.0.1)
    CT=$(( $(ticks $c_pid) - c0 )); ST=$(( $(ticks $s_pid) - s0 )); LT=$(( $(ticks $l_pid) - l0 ))
    wait
    tail -n 20 "$lines" > "$TMP/lines"; rm -f "$lines"
    CPK=$(tail -n 1 "$TMP/c" | cut -d' ' -f1)
    SPK=$(sed -nE 's/^summary: ([0-9]+) datagram.*/\1/p' "$TMP/stats")
    LPK=$(sed -nE 's/^summary: ([0-9]+) datagram.*/\1/p' "$TMP/lines")
}

# `mcexpert listen` as a user runs it, with default flags (it asks for an 8 MiB receive buffer),
# next to the C recvmmsg loop with an 8 MiB buffer, one group, the sender at full speed; the three
# receive at the same time. `--format stats` prints a table a second; the plain default prints a
# line per datagram (to a file on tmpfs, so the count can be read from its summary). CPU is the
# whole process's (every thread) over the sender's run, read from /proc/PID/stat the same way
# for all three; what each received comes from its own count.
if want listen; then
{
echo
echo "mcexpert listen with default flags (8 MiB receive buffer asked for) next to the C recvmmsg loop with an 8 MiB buffer: one group, the sender at full speed, all three receiving at once; CPU of each whole process over the sender's run (/proc/PID/stat, every thread)."
echo
echo "| link | payload | receiver | received/s | share of sent | CPU s per M packets | vs C: share | vs C: CPU |"
echo "|---|---|---|---|---|---|---|---|"
} >> "$OUT"
for LINK in lo veth; do
  for SIZE in 64 1400; do
    three_receivers $LINK $SIZE ""
    printf '%s %s %s\n' "C recvmmsg (8 MiB buffer)" "$CPK" $CT "mcexpert listen --format stats" "${SPK:-0}" $ST \
           "mcexpert listen (a line per datagram)" "${LPK:-0}" $LT > "$TMP/rows"
    awk -v link=$LINK -v s=$SIZE -v sent=$SENT -v t=$T -v hz=$HZ -v cpk=$CPK -v cticks=$CT '{
      ticks = $NF; pk = $(NF - 1); name = $0; sub(/ [0-9]+ [0-9]+$/, "", name)
      share = sent > 0 ? pk / sent : 0; cshare = sent > 0 ? cpk / sent : 0
      per = pk > 0 ? ticks / hz / pk * 1e6 : 0; cper = cpk > 0 ? cticks / hz / cpk * 1e6 : 0
      printf "| %s | %d B | %s | %.0f | %.1f%% | %.2f | %.3f | %.2f |\n", link, s, name, pk / t, 100 * share, per, (cshare > 0 ? share / cshare : 0), (cper > 0 ? per / cper : 0) }' "$TMP/rows" >> "$OUT"
    rm -rf "$TMP"
  done
done
fi

# Payload decoding end to end: the listen table's three receivers on one group, the sender at
# full speed sending a well-formed stream of one kind (send_baseline's PAYLOAD): MPEG-TS over UDP
# (7 x 188 = 1316 B: one video PID, PAT and PMT every 40 datagrams), RTP (1328 B, payload type 96)
# and MPEG-TS over RTP (12 + 7 x 188 = 1328 B). mcexpert detects the kind per source and decodes
# every datagram (continuity counters, PAT/PMT, RTP sequence numbers and jitter); its closing
# summary says what it made of the stream: the kind, loss or TS errors, the kernel's drops.
# Sizes and CPU as in the listen table.
if want payload; then
{
echo
echo "Payload decoding: the listen table's receivers on one group while the sender sends a well-formed stream at full speed: MPEG-TS over UDP (7 x 188 B, one video PID, PAT and PMT every 40 datagrams), RTP (payload type 96, 90 kHz timestamps, one SSRC) and MPEG-TS over RTP (payload type 33); mcexpert decodes every datagram. CPU of each whole process over the sender's run (/proc/PID/stat, every thread). The last column is mcexpert's closing summary of the stream: what it detected, loss (RTP) or TS errors, and the kernel's drops."
echo
echo "| link | payload | receiver | received/s | share of sent | CPU s per M packets | vs C: share | vs C: CPU | mcexpert's summary of the stream |"
echo "|---|---|---|---|---|---|---|---|---|"
} >> "$OUT"
# The stream's line of a listen summary, from "kind" on: "kind ts, ts ok, 3 pids, kernel drops 0".
summary_of() { sed -nE 's/^  [0-9.]+:[0-9]+ on [^:]+: .* sources?, (kind .*)$/\1/p' "$1" | head -n 1; }
for LINK in lo veth; do
  for KIND in ts rtp rtp-ts; do
    SIZE=1328; [ $KIND = ts ] && SIZE=1316
    three_receivers $LINK $SIZE $KIND
    printf '%s\t%s\t%s\t%s\n' "C recvmmsg (8 MiB buffer)" "$CPK" $CT "–" \
           "mcexpert listen --format stats" "${SPK:-0}" $ST "$(summary_of "$TMP/stats")" \
           "mcexpert listen (a line per datagram)" "${LPK:-0}" $LT "$(summary_of "$TMP/lines")" > "$TMP/rows"
    awk -F '\t' -v link=$LINK -v kind=$KIND -v s=$SIZE -v sent=$SENT -v t=$T -v hz=$HZ -v cpk=$CPK -v cticks=$CT '{
      name = $1; pk = $2; ticks = $3; summary = ($4 == "" ? "no summary" : $4)
      share = sent > 0 ? pk / sent : 0; cshare = sent > 0 ? cpk / sent : 0
      per = pk > 0 ? ticks / hz / pk * 1e6 : 0; cper = cpk > 0 ? cticks / hz / cpk * 1e6 : 0
      printf "| %s | %s %d B | %s | %.0f | %.1f%% | %.2f | %.3f | %.2f | %s |\n", link, kind, s, name, pk / t, 100 * share, per, (cshare > 0 ? share / cshare : 0), (cper > 0 ? per / cper : 0), summary }' "$TMP/rows" >> "$OUT"
    rm -rf "$TMP"
  done
done
fi

# Groups sweep: 1 to 5000 groups at one total rate (100k datagrams/s of 64 B, spread evenly over
# every group by the sender), over lo, one receiver at a time: the MulticastMonitor engine as
# `listen` runs it (statistics on, default batch window, 8 MiB per socket; started with a soft
# descriptor limit of 1024, which it raises itself) and the C epoll+recvmmsg loop over as many
# sockets (8 MiB each; its descriptor limit raised by this script). Each reports the time to open,
# join and watch every socket, the CPU of its receive loop, and its resident memory afterwards.
if want sweep; then
SWEEP_RATE=100000
{
echo
echo "Groups sweep: ${SWEEP_RATE} datagrams/s of 64 B in total, spread evenly over every group, over lo, one socket per group with an 8 MiB buffer for both; one receiver at a time. mcexpert: the MulticastMonitor engine as listen runs it (statistics on, default batch window; started under a soft limit of 1024 descriptors, which it raises itself; at most 1024 streams itemised, the rest counted in the total). Join all: from the first socket opened until every one is joined and watched by epoll. CPU: the receive loop's. RSS: after receiving (socket buffers are kernel memory, not in it)."
echo
echo "| groups | receiver | join all | received/s | share of sent | CPU s per M packets | vs C: CPU | RSS |"
echo "|---|---|---|---|---|---|---|---|"
} >> "$OUT"
for NGROUPS in 1 16 256 1000 5000; do
  GROUP_LIST="$(groups_for $NGROUPS)"
  T=$SECONDS_PER_RUN
  TMP=$(mktemp -d)
  for R in c mcexpert; do
    if [ $R = c ]; then
      ( ulimit -n "$(ulimit -Hn)"; REPORT=1 RCVBUF=$((8 << 20)) exec .build/bench/recv_baseline 1 $PORT $((T + 1)) $GROUP_LIST ) > "$TMP/$R" 2> "$TMP/$R.err" &
    else
      ( ulimit -S -n 1024; MCX_JOIN_REPORT=1 MCX_RCVBUF=$((8 << 20)) exec "$BIN/mcexpert-bench" monitor lo $PORT $((T + 1)) $GROUP_LIST ) > "$TMP/$R" 2> "$TMP/$R.err" &
    fi
    for _ in $(seq 600); do grep -q ready "$TMP/$R" && break; sleep 0.1; done
    echo "$(RATE=$SWEEP_RATE .build/bench/send_baseline 127.0.0.1 $PORT "$T" 64 $GROUP_LIST)" > "$TMP/$R.sent"
    wait
  done
  read -r CPK CCPU < <(tail -n 1 "$TMP/c")
  for R in c mcexpert; do
    read -r PK CPU < <(tail -n 1 "$TMP/$R")
    JOIN=$(sed -nE 's/.*join_seconds=([0-9.]+).*/\1/p' "$TMP/$R.err"); RSS=$(sed -nE 's/.*rss_kib=([0-9]+).*/\1/p' "$TMP/$R.err")
    NAME="C epoll+recvmmsg"; [ $R = mcexpert ] && NAME="mcexpert (MulticastMonitor)"
    awk -v g=$NGROUPS -v n="$NAME" -v join=${JOIN:-0} -v pk=${PK:-0} -v cpu=${CPU:-0} -v sent=$(cat "$TMP/$R.sent") -v t=$T -v cpk=${CPK:-0} -v ccpu=${CCPU:-0} -v rss=${RSS:-0} 'BEGIN {
      per = pk > 0 ? cpu / pk * 1e6 : 0; cper = cpk > 0 ? ccpu / cpk * 1e6 : 0
      printf "| %d | %s | %.3f s | %.0f | %.1f%% | %.2f | %.2f | %.1f MiB |\n", g, n, join, pk / t, (sent > 0 ? 100 * pk / sent : 0), per, (cper > 0 ? per / cper : 0), rss / 1024 }' >> "$OUT"
  done
  rm -rf "$TMP"
done
fi

if want send; then
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
fi

# The batch window's trade-off: MulticastMonitor alone next to the C loop, the sender paced at
# 60k datagrams/s (64 B, lo), for several window lengths.
if want window; then
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
fi

# Memory under a flood from random sources: 4096 source ports, 16 groups, full speed, for
# SOAK_SECONDS (default 60; the 10-minute figure is SOAK_SECONDS=600). RSS sampled every 10 s.
if want soak; then
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
fi

# TUI drawing cost: 50 and 1000 streams at 100k datagrams/s in total, the TUI on their groups in
# a real terminal (tmux); CPU of the UI thread (drawing) and of the whole process over 20 s. The
# command line goes through a script: 1000 --group options are more than tmux passes on.
if want tui && command -v tmux >/dev/null; then
  for STREAMS in 50 1000; do
    GROUP_LIST="$(groups_for $STREAMS)"
    ARGS=""; for g in $GROUP_LIST; do ARGS="$ARGS --group $g:$((PORT + 2))"; done
    LAUNCH=$(mktemp); echo "exec $BIN/mcexpert tui --iface lo $ARGS" > "$LAUNCH"
    tmux -L mcx-bench new-session -d -x 120 -y 60 "bash $LAUNCH" </dev/null >/dev/null 2>&1
    RATE=100000 .build/bench/send_baseline 127.0.0.1 $((PORT + 2)) 30 64 $GROUP_LIST > /dev/null &
    SENDER=$!
    sleep 6
    TUI=$(tmux -L mcx-bench display -p '#{pane_pid}')
    M0=$(ticks "$TUI/task/$TUI"); P0=$(ticks "$TUI")
    sleep 20
    M1=$(ticks "$TUI/task/$TUI"); P1=$(ticks "$TUI")
    ROWS=$(tmux -L mcx-bench capture-pane -p | grep -c "^239.77" || true)
    tmux -L mcx-bench send-keys q; sleep 0.5; tmux -L mcx-bench kill-server 2>/dev/null || true
    kill "$SENDER" 2>/dev/null || true; wait "$SENDER" 2>/dev/null || true
    rm -f "$LAUNCH"
    awk -v n=$STREAMS -v m=$((M1 - M0)) -v p=$((P1 - P0)) -v hz=$HZ -v rows=$ROWS 'BEGIN {
      printf "\nTUI with %d streams at 100k datagrams/s in total (%d rows on screen), over 20 s: UI thread (drawing) %.1f%% of one core, whole process (UI + receive engine) %.1f%%.\n", n, rows, 100 * m / hz / 20, 100 * p / hz / 20 }' >> "$OUT"
  done
fi

# Start-up: `mcexpert --version` (wall time, the median of 10, next to /bin/true's for the cost of
# starting any process), and the time from starting the TUI in a fresh tmux until its title bar
# is on screen (polling capture-pane; the median of 5, next to a shell printing the same title,
# which is the harness's own latency).
if want startup && command -v tmux >/dev/null; then
  micros() { echo "${EPOCHREALTIME/./}"; }
  median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
  wall() { local s e; s=$(micros); "$@" >/dev/null 2>&1; e=$(micros); echo $((e - s)); }
  VERSION_RUNS=(); TRUE_RUNS=()
  for _ in $(seq 10); do VERSION_RUNS+=("$(wall "$BIN/mcexpert" --version)"); TRUE_RUNS+=("$(wall /bin/true)"); done
  first_frame() {  # a command for tmux; prints µs until " mcexpert |" shows in the pane
    local s e
    s=$(micros)
    tmux -L mcx-start new-session -d -x 120 -y 40 "$1" </dev/null >/dev/null 2>&1
    for _ in $(seq 5000); do tmux -L mcx-start capture-pane -p 2>/dev/null | grep ' mcexpert |' >/dev/null && break; done
    e=$(micros)
    tmux -L mcx-start kill-server 2>/dev/null || true; sleep 0.2
    echo $((e - s))
  }
  TUI_RUNS=(); SHELL_RUNS=()
  for _ in 1 2 3 4 5; do
    TUI_RUNS+=("$(first_frame "exec $BIN/mcexpert tui --iface lo")")
    SHELL_RUNS+=("$(first_frame "printf ' mcexpert | title\n'; exec sleep 30")")
  done
  {
  echo
  echo "Start-up: \`mcexpert --version\` $(median "${VERSION_RUNS[@]}" | awk '{printf "%.1f", $1 / 1000}') ms wall time (median of 10; /bin/true $(median "${TRUE_RUNS[@]}" | awk '{printf "%.1f", $1 / 1000}') ms); the TUI's first frame $(median "${TUI_RUNS[@]}" | awk '{printf "%.0f", $1 / 1000}') ms after starting it in a fresh tmux (median of 5; a shell printing the same title bar: $(median "${SHELL_RUNS[@]}" | awk '{printf "%.0f", $1 / 1000}') ms, the harness's own latency)."
  echo
  echo "Every run, ms: --version $(printf '%s\n' "${VERSION_RUNS[@]}" | awk '{printf "%s%.1f", (NR > 1 ? " " : ""), $1 / 1000}') · TUI $(printf '%s\n' "${TUI_RUNS[@]}" | awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1 / 1000}') · shell $(printf '%s\n' "${SHELL_RUNS[@]}" | awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1 / 1000}')"
  } >> "$OUT"
fi

# mcexpert-monitor following 1000 streams (Benchmarks/monitor.sh, this run's release build).
if want monitor; then
    MONITOR_BIN="$BIN/mcexpert-monitor" bash Benchmarks/monitor.sh "$SECONDS_PER_RUN" >> "$OUT"
fi

# The issue's targets, checked against this run (worst case over every link, group count and payload).
{ echo; echo "Targets, checked by Benchmarks/targets.awk against the figures above:"; echo; awk -f Benchmarks/targets.awk "$OUT"; } > "$OUT.targets"
cat "$OUT.targets" >> "$OUT"; rm -f "$OUT.targets"
# The receive path against the previous run, case by case (issue 12: the engine's split must cost nothing).
if [ -n "${PREVIOUS_RESULTS:-}" ] && [ -f "$PREVIOUS_RESULTS" ] && want receive; then
    { echo; awk -f Benchmarks/compare.awk "$PREVIOUS_RESULTS" "$OUT"; } > "$OUT.compare" || true
    cat "$OUT.compare" >> "$OUT"; rm -f "$OUT.compare"
fi
cat "$OUT"
