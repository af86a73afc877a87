#!/bin/sh
# Captures every TUI screen from a real run into assets/screenshots/*.ansi (tmux capture-pane -e)
# and *.txt, with live traffic between two throwaway network namespaces. Needs root and tmux.
# Then: python3 scripts/ansi2png.py assets/screenshots/*.ansi   (needs Pillow and fonts-dejavu-core)
set -eu
cd "$(dirname "$0")/.."
BIN="$(swift build --show-bin-path)/mcexpert"
A=mcx-shot-a B=mcx-shot-b S=mcx-shots
cleanup() { tmux -L $S kill-server 2>/dev/null || true; ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $B
ip link add eth1 netns $A type veth peer name eth1 netns $B
for n in $A $B; do ip -n $n link set lo up; ip -n $n link set eth1 up; done
ip -n $A addr add 198.18.0.1/24 dev eth1; ip -n $B addr add 198.18.0.2/24 dev eth1
ip netns exec $B sysctl -qw net.ipv4.conf.all.rp_filter=1
ip netns exec $A "$BIN" send 239.1.2.3:5000 -i eth1 --rate 200 --size 1316 >/dev/null &
P1=$!
ip netns exec $A "$BIN" send 239.1.2.4:5000 -i eth1 --rate 30 --message 'telemetry {"temp": 21.5, "ok": true}' >/dev/null &
P2=$!
ip -n $A route add 224.0.0.0/4 dev eth1
# Real streams from ffmpeg: MPEG-TS over UDP (every 200th datagram dropped on arrival, so the
# continuity checks have something to show) and G.711 audio over RTP.
ip netns exec $B nft add table inet shots
ip netns exec $B nft add chain inet shots input '{ type filter hook input priority 0; }'
ip netns exec $B nft add rule inet shots input udp dport 5010 numgen inc mod 200 == 199 drop
ip netns exec $A ffmpeg -loglevel quiet -re -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i sine -t 120 -c:v mpeg2video -b:v 800k -c:a mp2 \
    -f mpegts 'udp://239.1.2.10:5010?localaddr=198.18.0.1&pkt_size=1316&ttl=4' </dev/null &
P3=$!
ip netns exec $A ffmpeg -loglevel quiet -re -f lavfi -i sine=frequency=440:sample_rate=8000 -t 120 -c:a pcm_mulaw \
    -f rtp 'rtp://239.1.2.11:5004?localaddr=198.18.0.1&ttl=4' </dev/null >/dev/null &
P4=$!
trap 'kill $P1 $P2 $P3 $P4 2>/dev/null; cleanup' EXIT
# The real streams at 160x48 (the groups table with the detail pane beside it) and at 80x24.
tmux -L $S new-session -d -s wide -x 160 -y 48 "ip netns exec $B $BIN tui --group 239.1.2.10:5010 --group 239.1.2.11:5004 --group 239.1.2.3:5000 --iface eth1"
tmux -L $S set-option -t wide window-size manual
tmux -L $S new-session -d -s narrow -x 80 -y 24 "ip netns exec $B $BIN tui --group 239.1.2.10:5010 --group 239.1.2.11:5004 --group 239.1.2.3:5000 --iface eth1"
tmux -L $S set-option -t narrow window-size manual
sleep 12
tmux -L $S send-keys -t wide Down; sleep 1.5
tmux -L $S capture-pane -e -p -t wide > assets/screenshots/detail-ts-160x48.ansi; tmux -L $S capture-pane -p -t wide > assets/screenshots/detail-ts-160x48.txt
tmux -L $S send-keys -t wide Down; sleep 1.5
tmux -L $S capture-pane -e -p -t wide > assets/screenshots/detail-rtp-160x48.ansi; tmux -L $S capture-pane -p -t wide > assets/screenshots/detail-rtp-160x48.txt
tmux -L $S capture-pane -e -p -t narrow > assets/screenshots/groups-80x24.ansi; tmux -L $S capture-pane -p -t narrow > assets/screenshots/groups-80x24.txt
tmux -L $S send-keys -t narrow Down Enter; sleep 1.5
tmux -L $S capture-pane -e -p -t narrow > assets/screenshots/detail-80x24.ansi; tmux -L $S capture-pane -p -t narrow > assets/screenshots/detail-80x24.txt
tmux -L $S kill-session -t wide; tmux -L $S kill-session -t narrow
tmux -L $S new-session -d -s main -x 100 -y 30 "ip netns exec $B $BIN tui --group 239.1.2.3:5000 --group 239.1.2.4:5000 --iface eth1"
tmux -L $S set-option -t main window-size manual
shot() { sleep "$2"; tmux -L $S capture-pane -e -p -t main > "assets/screenshots/$1.ansi"; tmux -L $S capture-pane -p -t main > "assets/screenshots/$1.txt"; }
shot groups 6
tmux -L $S send-keys -t main Space; shot groups-sources 1; tmux -L $S send-keys -t main Space
tmux -L $S send-keys -t main Down x; shot inspector 1.5
tmux -L $S send-keys -t main Escape x; shot inspector-probe 1
tmux -L $S send-keys -t main Escape d; shot doctor 5
tmux -L $S send-keys -t main 1; shot interfaces 1
tmux -L $S send-keys -t main m; shot memberships 1
tmux -L $S send-keys -t main 6; tmux -L $S send-keys -t main -l '239.1.2.9:6000'; tmux -L $S send-keys -t main Down; tmux -L $S send-keys -t main -l eth1; shot send 1
tmux -L $S send-keys -t main Tab Tab; tmux -L $S send-keys -t main j; tmux -L $S send-keys -t main -l '239.1.2.300:5000'; shot join-form 1
tmux -L $S send-keys -t main Escape; tmux -L $S send-keys -t main F1; shot help 1
tmux -L $S send-keys -t main Escape q
echo "screenshots written to assets/screenshots"
