#!/usr/bin/env python3
"""Writes the hand-made seeds of Tests/Fuzz/Corpus (the captured ones, real IGMP/MLD frames
and /proc files from a namespace, are committed as they are). Run from anywhere; rewrites only
the files named here. Layouts are described at the top of each Tests/Fuzz/<Target>/<Target>.swift."""
import os, struct

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")

def put(target, name, data):
    os.makedirs(os.path.join(here, target), exist_ok=True)
    with open(os.path.join(here, target, name), "wb") as f:
        f.write(data)

def u64(v): return struct.pack(">Q", v & 0xFFFFFFFFFFFFFFFF)
def raw64(v): return b"\xff" + u64(v)  # FuzzInput.edgyUInt64: a selector above 79 reads 8 raw bytes
def probe(sender, seq, sent, size=32):  # a real mcexpert probe datagram (ProbeHeader)
    return (b"MCXP" + bytes([1, 0, 0, 32]) + u64(sender) + u64(seq) + u64(sent)).ljust(size, b"\0")

# FuzzDatagramPath: shape byte, monotonic start, wall-clock start, then records.
T = "FuzzDatagramPath"
wall = 1_764_000_000_000_000_000
start = bytes([0x3F]) + u64(5_000_000_000) + u64(wall)
def rec(source, step, kind, body, flags=0, read=True):
    return bytes([source | step << 3 | kind << 5 | (0x80 if read else 0)]) + body + bytes([flags])
# A steady probe run from one sender, 10 ms apart (kind 2: sequence +1, 1 ms latency).
steady = start + b"".join(rec(0, 1, 2, bytes([10, 0, 1, 1])) for _ in range(12))
put(T, "probe-run", steady)
# Loss (+3), reordering (-1), a duplicate (0), then a restart with a new sender id.
put(T, "loss-reorder-duplicate-restart", start + b"".join([
    rec(0, 1, 2, bytes([10, 0, 1, 1])), rec(0, 1, 2, bytes([10, 0, 3, 1])), rec(0, 1, 2, bytes([10, 0, 0xFF, 1])),
    rec(0, 1, 2, bytes([10, 0, 0, 1])), rec(1, 1, 2, bytes([10, 0, 1, 2])), rec(0, 1, 2, bytes([10, 0xC0, 1, 1]) + raw64(0xABCDEF)),
    rec(0, 3, 2, raw64(3_000_000_000) + bytes([0, 1, 1])),
]))
# Raw payloads: a real probe datagram, text, an empty datagram, a truncated one (owned-datagram path).
put(T, "raw-payloads", start + rec(2, 1, 0, bytes([64]) + probe(0x1122334455667788, 7, wall, 64))
    + rec(3, 1, 0, b"\x0bhello world") + rec(4, 0, 0, b"\x00") + rec(7, 2, 0, b"\x00\x05\xff" + bytes(255), flags=3))
# Probe fields at their extremes (kind 1): sequence near the top, send times at Int64.min/max,
# two probes of one sender far apart: the arithmetic the statistics must survive.
put(T, "extreme-probes", start + b"".join([
    rec(0, 1, 1, raw64(42) + bytes([3]) + bytes([5]) + b"\x00"),            # seq UInt64.max-1, sent Int64.min
    rec(0, 1, 1, raw64(42) + bytes([2]) + bytes([4]) + b"\x00"),            # seq UInt64.max,   sent Int64.max
    rec(0, 1, 1, raw64(42) + bytes([0]) + raw64(wall) + b"\x00"),           # seq 0 (wrapped)
    rec(0, 1, 1, raw64(42) + bytes([4]) + raw64(0) + b"\x00"),              # seq Int64.max, sent epoch
    rec(1, 3, 1, raw64(7) + bytes([1]) + bytes([5]) + b"\x00"),             # after a huge clock step
    rec(1, 1, 1, raw64(7) + bytes([2]) + bytes([4]) + b"\x00"),
]))
# Probe-shaped payloads with a wrong version or header length (kind 3).
put(T, "malformed-probes", start + rec(0, 1, 3, raw64(1) + raw64(1) + raw64(wall) + bytes([0, 2, 0, 32, 40]))
    + rec(0, 1, 3, raw64(1) + raw64(2) + raw64(wall) + bytes([8, 1, 0xFF, 0xFF, 40]))
    + rec(0, 1, 3, raw64(1) + raw64(3) + raw64(wall) + bytes([0, 1, 0, 31, 31])))
# Many sources past the cap of one (shape 0x00).
put(T, "sources-past-cap", bytes([0x00]) + u64(1) + u64(wall) + b"".join(rec(i, 1, 2, bytes([1, 0, 1, 1])) for i in range(8)))

# FuzzIGMPFrames: hand-made frames the bridge does not send (selector 0 = IPv4, 1 = IPv6).
T = "FuzzIGMPFrames"
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return struct.pack("!H", ~s & 0xFFFF)
def ipv4(src, dst, payload, ttl=1, ra=True):
    opts = b"\x94\x04\x00\x00" if ra else b""
    ihl = (20 + len(opts)) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xC0, 20 + len(opts) + len(payload), 0, 0, ttl, 2, 0, bytes(src), bytes(dst)) + opts
    return h[:10] + csum(h) + h[12:] + payload
def igmp(t, code, group, extra=b""):
    m = struct.pack("!BBH4s", t, code, 0, bytes(group)) + extra
    return m[:2] + csum(m) + m[4:]
head = b"\x00\x02" + bytes(8)
put(T, "igmpv1-query", head + ipv4([192, 0, 2, 1], [224, 0, 0, 1], igmp(0x11, 0, [0, 0, 0, 0])))
put(T, "igmpv3-query-float-qqic", head + ipv4([192, 0, 2, 1], [224, 0, 0, 1], igmp(0x11, 100, [0, 0, 0, 0], bytes([2, 0x8C, 0, 0]))))
put(T, "igmpv3-group-source-query", head + ipv4([192, 0, 2, 1], [239, 1, 2, 3], igmp(0x11, 100, [239, 1, 2, 3], bytes([2, 125, 0, 1, 192, 0, 2, 9]))))
put(T, "igmpv2-report", head + ipv4([192, 0, 2, 2], [239, 1, 2, 3], igmp(0x16, 0, [239, 1, 2, 3])))
put(T, "igmpv2-leave", head + ipv4([192, 0, 2, 2], [224, 0, 0, 2], igmp(0x17, 0, [239, 1, 2, 3])))
put(T, "igmpv3-report", head + ipv4([192, 0, 2, 2], [224, 0, 0, 22], igmp(0x22, 0, [0, 0, 0, 1], bytes([4, 0, 0, 0, 239, 1, 2, 3]))))
put(T, "igmp-query-ttl-64-no-router-alert", head + ipv4([10, 0, 0, 1], [224, 0, 0, 1], igmp(0x11, 100, [0, 0, 0, 0]), ttl=64, ra=False))
put(T, "other-ethertype", b"\x80\x02" + bytes(8) + b"\x00\x01\x08\x00\x06\x04\x00\x01" + bytes(20))
def ipv6(src, dst, icmp, hop=1):  # hop-by-hop Router Alert (MLD), then ICMPv6 with its pseudo-header checksum
    pseudo = src + dst + struct.pack("!I", len(icmp)) + b"\x00\x00\x00\x3a"
    icmp = icmp[:2] + csum(pseudo + icmp[:2] + b"\x00\x00" + icmp[4:]) + icmp[4:]
    payload = bytes([58, 0, 5, 2, 0, 0, 1, 0]) + icmp
    return struct.pack("!IHBB", 0x60000000, len(payload), 0, hop) + src + dst + payload
def v6(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed
def mld(t, group, extra=b"", code=0):
    return struct.pack("!BBHHH", t, 0, 0, code, 0) + v6(group) + extra
ll = v6("fe80::1")
def record4(t, group, sources):
    return struct.pack("!BBH", t, 0, len(sources)) + bytes(group) + b"".join(bytes(s) for s in sources)
put(T, "crafted-mldv2-query", b"\x01\x02" + bytes(8) + ipv6(ll, v6("ff02::1"), mld(130, "::", bytes([2, 125, 0, 0]), code=10000)))
put(T, "crafted-mldv1-report", b"\x01\x02" + bytes(8) + ipv6(ll, v6("ff15::1"), mld(131, "ff15::1")))
put(T, "mldv1-done", b"\x01\x02" + bytes(8) + ipv6(ll, v6("ff02::2"), mld(132, "ff15::1")))
put(T, "crafted-mldv2-report", b"\x01\x02" + bytes(8) + ipv6(ll, v6("ff02::16"), struct.pack("!BBHHH", 143, 0, 0, 0, 2)
    + struct.pack("!BBH", 1, 0, 1) + v6("ff3e::8000:1") + v6("2001:db8::9") + struct.pack("!BBH", 4, 1, 0) + v6("ff15::1") + bytes(4)))
put(T, "igmpv3-report-all-types", head + ipv4([192, 0, 2, 2], [224, 0, 0, 22], igmp(0x22, 0, [0, 0, 0, 6], b"".join(
    record4(t, [232, 1, 1, t], [[192, 0, 2, 9]] if t % 2 else []) for t in range(1, 7)))))
# Sequences (mode 0xFF): selector, interface, time step in ms (2 bytes), length (2 bytes), packet.
def frame(packet, step_ms, selector=0, interface=2):
    return bytes([selector, interface]) + struct.pack("!HH", step_ms, len(packet)) + packet
q = lambda src, qqic=2, code=10: ipv4(src, [224, 0, 0, 1], igmp(0x11, code, [0, 0, 0, 0], bytes([2, qqic, 0, 0])))
# Two queriers, the lower taking over; reports, a leave; this host (198.18.0.1, selector bit 0x40) answering, then not.
put(T, "sequence-election-and-answers", b"\xff" + b"".join([
    frame(q([198, 18, 0, 254]), 0), frame(ipv4([198, 18, 0, 1], [224, 0, 0, 22], igmp(0x22, 0, [0, 0, 0, 1], record4(2, [239, 1, 2, 3], []))), 400, selector=0x40),
    frame(q([198, 18, 0, 254]), 1600), frame(ipv4([198, 18, 0, 2], [239, 1, 2, 3], igmp(0x16, 0, [239, 1, 2, 3])), 50),
    frame(q([198, 18, 0, 5]), 500), frame(q([198, 18, 0, 254]), 1500), frame(q([198, 18, 0, 5]), 500),
    frame(ipv4([198, 18, 0, 2], [224, 0, 0, 2], igmp(0x17, 0, [239, 1, 2, 3])), 300), frame(q([198, 18, 0, 5]), 2000),
    frame(q([198, 18, 0, 5]), 6000),
]))
# An IGMPv2 querier, an SSM group reported in v2, MLD alongside, and a rejected frame.
put(T, "sequence-old-querier-ssm", b"\xff" + b"".join([
    frame(ipv4([198, 18, 0, 254], [224, 0, 0, 1], igmp(0x11, 10, [0, 0, 0, 0])), 0),
    frame(ipv4([198, 18, 0, 3], [232, 1, 1, 1], igmp(0x16, 0, [232, 1, 1, 1])), 200),
    frame(ipv6(ll, v6("ff02::1"), mld(130, "::", code=1000)), 100, selector=1),
    frame(ipv4([198, 18, 0, 9], [224, 0, 0, 1], igmp(0x11, 10, [0, 0, 0, 0]), ttl=64), 100),
    frame(ipv4([198, 18, 0, 254], [224, 0, 0, 1], igmp(0x11, 10, [0, 0, 0, 0])), 2000),
]))

# FuzzProcParsers: odd but possible /proc text (selector: 0 route, 1 ipv6_route, 4 igmp, 6 mcfilter).
T = "FuzzProcParsers"
put(T, "route-odd-names", b"\x00Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    b"e\x1b[31mth0\t00000000\t0102000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    b"dot.ted\t0000A8C0\t00000000\t0201\t0\t0\t4294967295\t00FFFFFF\t0\t0\t0\n")
put(T, "ipv6-route-prefixes", b"\x0100000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n"
    b"20010db8000000000000000000000000 80 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
    b"ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n")
put(T, "igmp-name-with-spaces", b"\x04Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
    b"7\tmy if  :     1      V2\n\t\t\t\t030201EF     2 0:00000000\t\t0\n")

# FuzzArguments: selector 0 group spec, 1 port, 2 sources, 3 interface, 4 address, 5 join form, 6 send form.
T = "FuzzArguments"
for name, sel, text in [
    ("group-v4-port", 0, "239.1.2.3:5000"), ("group-v6-port", 0, "[ff15::1]:5000"), ("group-v6", 0, "ff02::1:ff00:1"),
    ("group-v4-mapped", 0, "[::ffff:239.1.2.3]:1"), ("group-bad-port", 0, "239.1.2.3:70000"), ("port", 1, "65535"),
    ("sources", 2, "198.18.0.1\n2001:db8::1\nfe80::1"), ("interface-name", 3, "lo"), ("interface-index", 3, "1"),
    ("interface-address", 3, "127.0.0.1"), ("address-v6-zone", 4, "fe80::1%eth0"), ("address-ssm", 4, "ff3e::8000:1"),
    ("join-form", 5, "232.1.1.1:5000\nlo, all\n198.18.0.1"), ("send-form", 6, "[ff15::1]:5000\nlo\n1e300"),
]:
    put(T, name, bytes([sel]) + text.encode())

# FuzzTerminalText: selector 0 text (then a signed limit byte), 1 number, 2 canvas.
T = "FuzzTerminalText"
put(T, "escape-sequences", b"\x00\x10" + "eth0\x1b]0;owned\x07\x1b[2J\r\x9b31m".encode())
put(T, "bidi-and-invisible", b"\x00\x08" + "admin\u202egnp.exe\u2066x\u2069\u200b\ufeff\u2028\U000e0041".encode())
put(T, "invalid-utf8-and-quotes", b"\x00\xff" + b"\"quoted\\\" \xff\xfe\xc3 \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x80")
put(T, "combining-and-wide", b"\x00\x03" + "e\u0301\u0301 \U0001F600 \u4e2d\u6587 \U0001F1FA\U0001F1F8".encode())
put(T, "number", b"\x01\x03" + struct.pack(">d", 1234.5678))
put(T, "number-huge", b"\x01\x02" + struct.pack(">d", 1e300))
canvas = b"\x02\x14\x06"
canvas += b"\x05" + bytes([0, 0]) + bytes([40, 10]) + bytes([5]) + b"Title"                 # box, unicode glyphs
canvas += b"\x00" + bytes([2, 2]) + b"\xff" + bytes([9]) + "e\u0301x\u200bz".encode()      # put: combining, zero width
canvas += b"\x00" + bytes([4, 2]) + b"\xff" + bytes([2]) + "\u0301".encode()                # put: a lone combining mark
canvas += b"\x0a" + bytes([4])                                                             # fillRow
canvas += b"\x00" + bytes([0xF0, 6]) + bytes([12]) + bytes([8]) + "\u4e2d\x1b[1m\U0001F600".encode()  # off the left edge
canvas += b"\x81" + bytes([0xFE, 0xFE, 8, 8]) + bytes([3]) + b"x\x00y"                      # box, ascii, off the top
put(T, "canvas", canvas)
# A lone combining mark put next to a letter: the two cells merge into one character on screen.
put(T, "canvas-lone-combining-mark", b"\x02\x0a\x02" + b"\x00\x00\x00\xff\x01e" + b"\x00\x02\x00\xff\x02" + "\u0301".encode())

# FuzzMeshBeacons: mesh beacons (MeshBeacon: a probe whose header length covers the extension).
T = "FuzzMeshBeacons"
def mesh_report(run, received, lost, name=b"", address=bytes(16), echo=None, flags=0x3D, oneway=40, rtt=90):
    seq, sent, hold = echo or (0, 0, 0)
    if echo: flags |= 8
    return (u64(run) + struct.pack(">IIIiII", received, lost, 0, oneway, 3, rtt) + bytes([1, flags, len(name), 0])
            + u64(seq) + u64(sent) + struct.pack(">I", hold) + address + name)
def v4mapped(a, b, c, d): return bytes(10) + b"\xff\xff" + bytes([a, b, c, d])
def beacon(run, seq, sent, name, reports, flags=0, interval=200_000, omitted=0):
    body = b"MESH" + bytes([1, flags, len(name), len(reports)]) + struct.pack(">IHH", interval, omitted, len(reports)) + name + b"".join(reports)
    length = 32 + len(body)
    return b"MCXP" + bytes([1, 0]) + struct.pack(">H", length) + u64(run) + u64(seq) + u64(sent) + body
h1 = beacon(0x1001, 5, wall, b"h1", [mesh_report(0x1001, 6, 0, b"h1", v4mapped(198, 18, 0, 1)),
                                     mesh_report(0x1002, 5, 1, b"h2", v4mapped(198, 18, 0, 2), echo=(4, wall - 10, 120))])
put(T, "beacon-two-reports", h1)
put(T, "beacon-ipv6-send-only", beacon(0x2002, 0, wall, "h\u00e9\x1b[2J".encode(), [mesh_report(0x2003, 1, 0, b"x", bytes([0xfe, 0x80]) + bytes(13) + b"\x01")], flags=1))
put(T, "plain-probe", probe(0x1234, 1, wall, 64))
def raw_event(step, address, payload):  # event 0: a raw datagram from 198.18.0.address
    return bytes([step, 1, address, 0]) + struct.pack(">H", len(payload)) + payload + bytes([1])
# A sequence: three peers, this host's beacon (echoed back by h2), a matrix check, a restart.
seq = b"\xff"
for i in range(6):
    seq += raw_event(200, 1, beacon(8, i, wall + i * 200_000_000, b"h1", [mesh_report(7, i, 0, b"me")]))
    seq += raw_event(1, 2, beacon(9, i, wall + i * 200_000_000, b"h2", [mesh_report(8, i, 0, b"h1")]))
    seq += bytes([1, 1, 3, 2, 1])  # event 2: this host's beacon, received back
seq += bytes([0, 1, 1, 3]) + struct.pack(">H", 300)  # event 3: three seconds later, the matrix
seq += raw_event(1, 1, beacon(10, 0, wall, b"h1", []))  # h1 restarted: same name and address, new run id
put(T, "sequence-three-peers", seq)
