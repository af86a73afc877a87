#!/bin/sh
# Captures every TUI screen from a real run into assets/screenshots/*.ansi (tmux capture-pane -e)
# and *.txt, with live traffic between two throwaway network namespaces. Needs root and tmux.
# `capture-screenshots.sh mesh` captures only the Mesh screen.
# Then: python3 scripts/ansi2png.py assets/screenshots/*.ansi   (needs Pillow and fonts-dejavu-core)
set -eu
cd "$(dirname "$0")/.."
BIN="$(swift build --show-bin-path)/mcexpert"
A=mcx-shot-a B=mcx-shot-b S=mcx-shots
SW=mcx-shot-sw M=mcx-shot-msw
cleanup() {
    tmux -L $S kill-server 2>/dev/null || true
    for n in $A $B mcx-shot-demo $SW mcx-shot-h1 mcx-shot-h2 mcx-shot-h3 mcx-shot-h4 $M mcx-shot-m1 mcx-shot-m2 mcx-shot-m3 mcx-shot-m4 mcx-shot-m5; do
        ip netns del $n 2>/dev/null || true
    done
}
trap cleanup EXIT
cleanup
# capture SESSION NAME: the pane as NAME.ansi (colours) and NAME.txt. tmux writes an attribute
# change only where it happens, so a line may go on in the colours the line before ended
# with; each line is given the state it starts in, so every line reads right on its own.
capture() {
    tmux -L $S capture-pane -e -p -t "$1" | python3 -c '
import re, sys
state = {}  # what is set: fg, bg, intensity (bold/dim), reverse
for line in sys.stdin.read().rstrip("\n").split("\n"):
    sys.stdout.write("".join("\x1b[%sm" % v for v in state.values()) + line + "\n")
    for params in re.findall(r"\x1b\[([0-9;]*)m", line):
        codes = params.split(";") if params else ["0"]
        i = 0
        while i < len(codes):
            c = int(codes[i] or 0)
            if c == 0: state = {}
            elif c in (1, 2): state["intensity"] = str(c)
            elif c == 22: state.pop("intensity", None)
            elif c == 7: state["reverse"] = "7"
            elif c == 27: state.pop("reverse", None)
            elif c in (38, 48) and i + 2 < len(codes):
                state["fg" if c == 38 else "bg"] = ";".join(codes[i:i + 3]); i += 2
            elif c == 39: state.pop("fg", None)
            elif c == 49: state.pop("bg", None)
            elif 30 <= c <= 37 or 90 <= c <= 97: state["fg"] = str(c)
            elif 40 <= c <= 47 or 100 <= c <= 107: state["bg"] = str(c)
            i += 1
' > "assets/screenshots/$2.ansi"
    tmux -L $S capture-pane -p -t "$1" > "assets/screenshots/$2.txt"
}
# The Mesh screen: five hosts on a flooding bridge, m1 running the TUI's mesh and m2-m5
# `mcexpert mesh`; nftables drops every 10th beacon of m2 at m3 (10 %: failing), every 150th of
# m1 at m4 (a warning once one is lost) and everything from m5 at m2 (not heard).
mesh_shots() {
    ip netns add $M; ip -n $M link set lo up
    ip -n $M link add br0 type bridge mcast_snooping 0; ip -n $M link set br0 up
    for n in 1 2 3 4 5; do
        ip netns add mcx-shot-m$n; ip -n mcx-shot-m$n link set lo up
        ip link add p$n netns $M type veth peer name eth1 netns mcx-shot-m$n
        ip -n $M link set p$n master br0; ip -n $M link set p$n up
        ip -n mcx-shot-m$n addr add 198.18.0.$n/24 dev eth1; ip -n mcx-shot-m$n link set eth1 up
    done
    for rule in "m3 ip saddr 198.18.0.2 udp dport 7777 numgen inc mod 10 == 9 drop" "m4 ip saddr 198.18.0.1 udp dport 7777 numgen inc mod 150 == 149 drop" \
                "m2 ip saddr 198.18.0.5 udp dport 7777 drop"; do
        ns=mcx-shot-${rule%% *}
        ip netns exec $ns nft add table inet shots 2>/dev/null || true
        ip netns exec $ns nft add chain inet shots input '{ type filter hook input priority 0; }' 2>/dev/null || true
        ip netns exec $ns nft add rule inet shots input ${rule#* }
    done
    tmux -L $S new-session -d -s mesh -x 100 -y 30 "ip netns exec mcx-shot-m1 $BIN tui"
    tmux -L $S set-option -t mesh window-size manual
    sleep 2
    tmux -L $S send-keys -t mesh 8 Enter; sleep 0.5
    for field in 239.255.77.77:7777 eth1 m1-tui 10; do
        tmux -L $S send-keys -t mesh $(printf 'BSpace %.0s' $(seq 40)); tmux -L $S send-keys -t mesh -l "$field"; tmux -L $S send-keys -t mesh Tab
    done
    sleep 0.3; tmux -L $S send-keys -t mesh Enter
    for n in 2 3 4 5; do
        ip netns exec mcx-shot-m$n "$BIN" mesh 239.255.77.77:7777 -i eth1 --name m$n --rate 10 -d 40 >/dev/null &
    done
    # m3 hearing m2, the failing pair, selected once everyone is in the matrix.
    sleep 5; tmux -L $S send-keys -t mesh Down Down Right
    sleep 20
    capture mesh mesh-100x30
    tmux -L $S resize-window -t mesh -x 80 -y 24; sleep 1.5
    capture mesh mesh-80x24
    tmux -L $S send-keys -t mesh Enter; sleep 1; tmux -L $S send-keys -t mesh q
    sleep 0.5
}
if [ "${1:-}" = mesh ]; then
    mesh_shots
    echo "screenshots written to assets/screenshots"
    exit 0
fi
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
# ... and every 40th probe to 239.1.2.3, so the table shows a failing row (× red) beside a
# warning one (! yellow, the TS stream's CC errors) and healthy ones.
ip netns exec $B nft add rule inet shots input ip daddr 239.1.2.3 udp dport 5000 numgen inc mod 40 == 39 drop
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
sleep 25
capture wide groups-160x48
tmux -L $S send-keys -t wide Down; sleep 1.5
capture wide detail-ts-160x48
tmux -L $S send-keys -t wide Down; sleep 1.5
capture wide detail-rtp-160x48
capture narrow groups-80x24
tmux -L $S send-keys -t narrow Down Enter; sleep 1.5
capture narrow detail-80x24
tmux -L $S kill-session -t wide; tmux -L $S kill-session -t narrow
tmux -L $S new-session -d -s main -x 100 -y 30 "ip netns exec $B $BIN tui --group 239.1.2.3:5000 --group 239.1.2.4:5000 --iface eth1"
tmux -L $S set-option -t main window-size manual
shot() { sleep "$2"; capture main "$1"; }
shot groups 15
tmux -L $S send-keys -t main Space; shot groups-sources 1; tmux -L $S send-keys -t main Space
tmux -L $S send-keys -t main Down x; shot inspector 1.5
tmux -L $S send-keys -t main Escape Up x; shot inspector-probe 1
tmux -L $S send-keys -t main Escape d; shot doctor 5
tmux -L $S send-keys -t main 1; shot interfaces 1
tmux -L $S send-keys -t main m; shot memberships 1
tmux -L $S send-keys -t main 6; tmux -L $S send-keys -t main -l '239.1.2.9:6000'; tmux -L $S send-keys -t main Down; tmux -L $S send-keys -t main -l eth1; shot send 1
tmux -L $S send-keys -t main Tab Tab; tmux -L $S send-keys -t main j; tmux -L $S send-keys -t main -l '239.1.2.300:5000'; shot join-form 1
tmux -L $S send-keys -t main Escape; tmux -L $S send-keys -t main F1; shot help 1
tmux -L $S send-keys -t main Escape q
tmux -L $S kill-session -t main
# The demo (probes sent and received on lo) in a namespace of its own, and its doctor: nothing
# it says contradicts the stream it receives.
ip netns add mcx-shot-demo
tmux -L $S new-session -d -s demo -x 100 -y 30 "ip netns exec mcx-shot-demo ip link set lo up; ip netns exec mcx-shot-demo $BIN tui --demo"
tmux -L $S set-option -t demo window-size manual
sleep 4
tmux -L $S send-keys -t demo d; sleep 5
capture demo doctor-demo
tmux -L $S send-keys -t demo q; sleep 0.5
ip netns del mcx-shot-demo
# The IGMP/MLD screen in a switched LAN: a Linux bridge as IGMPv3 querier (every 5 s from
# 198.18.0.254; IPv6 off on the bridge, so there is no MLD querier to hear), this host h1 on a
# router port (so it hears every host's reports) receiving 239.1.2.3, h2 joining 239.1.2.3 and
# leaving after 8 s, h3 joining 232.1.1.1 from 198.18.0.9 only, h4 forced to IGMPv2 joining
# 239.1.2.4. Everything stays in these namespaces.
ip netns add $SW; ip -n $SW link set lo up
ip -n $SW link add br0 type bridge mcast_snooping 1 mcast_querier 0 mcast_query_use_ifaddr 1 mcast_igmp_version 3 \
    mcast_query_interval 500 mcast_query_response_interval 100 mcast_startup_query_interval 500 mcast_startup_query_count 1
ip netns exec $SW sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
for n in 1 2 3 4; do
    ip netns add mcx-shot-h$n; ip -n mcx-shot-h$n link set lo up
    ip link add p$n netns $SW type veth peer name eth1 netns mcx-shot-h$n
    ip -n $SW link set p$n master br0; ip -n $SW link set p$n up
    ip -n mcx-shot-h$n addr add 198.18.0.$n/24 dev eth1; ip -n mcx-shot-h$n link set eth1 up
done
ip -n $SW link set dev p1 type bridge_slave mcast_router 2
ip netns exec mcx-shot-h4 sysctl -qw net.ipv4.conf.eth1.force_igmp_version=2
ip -n $SW addr add 198.18.0.254/24 dev br0; ip -n $SW link set br0 up
ip -n $SW link set br0 type bridge mcast_querier 1
for size in 160x48 80x24; do
    tmux -L $S new-session -d -s igmp$size -x ${size%x*} -y ${size#*x} "ip netns exec mcx-shot-h1 $BIN tui --group 239.1.2.3:5000 --iface eth1"
    tmux -L $S set-option -t igmp$size window-size manual
done
sleep 2
tmux -L $S send-keys -t igmp160x48 7; tmux -L $S send-keys -t igmp80x24 7
ip netns exec mcx-shot-h2 "$BIN" listen 239.1.2.3:5000 -i eth1 --duration 8 >/dev/null &
ip netns exec mcx-shot-h3 "$BIN" listen 232.1.1.1:5000 -i eth1 --source 198.18.0.9 --duration 60 >/dev/null &
ip netns exec mcx-shot-h4 "$BIN" listen 239.1.2.4:5000 -i eth1 --duration 60 >/dev/null &
sleep 14
capture igmp160x48 igmp-160x48
capture igmp80x24 igmp-80x24
tmux -L $S send-keys -t igmp80x24 1; sleep 1
capture igmp80x24 interfaces-querier
for size in 160x48 80x24; do tmux -L $S send-keys -t igmp$size q; done
sleep 0.5
mesh_shots
echo "screenshots written to assets/screenshots"
