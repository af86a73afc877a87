import Foundation

/// A switched LAN in namespaces: a Linux bridge `br0` (IGMP/MLD snooping on, a real querier
/// when asked) in a switch namespace, and hosts `h1`...`hN`, each cabled to bridge port `pN`,
/// with 198.18.0.N/24 on its interface `hN` and an IPv6 link-local address at once (DAD is off).
/// Nothing leaves these namespaces.
public struct BridgeLab {
    /// The querier the bridge plays (`mcast_querier 1`), with its protocol versions and timers.
    public struct Querier {
        public var igmpVersion: Int
        public var mldVersion: Int
        /// Query interval and query response interval, centiseconds (the bridge's unit).
        public var intervalCentiseconds: Int
        public var responseCentiseconds: Int

        public init(igmpVersion: Int = 3, mldVersion: Int = 2, intervalCentiseconds: Int = 200, responseCentiseconds: Int = 100) {
            self.igmpVersion = igmpVersion
            self.mldVersion = mldVersion
            self.intervalCentiseconds = intervalCentiseconds
            self.responseCentiseconds = responseCentiseconds
        }
    }

    public let lab: Lab
    /// The switch namespace, holding `br0` and the ports `p1`...`pN`.
    public let bridge: Namespace
    /// The hosts: `hosts[0]` is h1 (interface `h1`, 198.18.0.1).
    public let hosts: [Namespace]

    /// 198.18.0.`n`: host `n`'s address.
    public static func address(_ n: Int) -> String { "198.18.0.\(n)" }

    /// Builds the LAN. The bridge gets `bridgeAddress` (with its prefix) and, with a `querier`,
    /// starts querying once its IPv6 link-local address exists (a bridge that starts its MLD
    /// querier before it has one never sends MLD queries). `routerPorts` are hosts whose ports
    /// are permanent router ports (`mcast_router 2`): the bridge forwards every report to them,
    /// as to a router, so those hosts hear the other hosts' reports.
    public init(_ tag: String, hosts count: Int = 3, querier: Querier? = Querier(), bridgeAddress: String = "198.18.0.254/24",
                routerPorts: [Int] = []) throws {
        lab = try Lab(tag)
        bridge = try lab.namespace("sw")
        let settings = querier.map {
            "mcast_igmp_version \($0.igmpVersion) mcast_mld_version \($0.mldVersion) mcast_query_interval \($0.intervalCentiseconds) "
                + "mcast_query_response_interval \($0.responseCentiseconds) mcast_startup_query_interval \($0.intervalCentiseconds) mcast_startup_query_count 1"
        } ?? ""
        try bridge.sh("ip link add br0 type bridge mcast_snooping 1 mcast_querier 0 mcast_query_use_ifaddr 1 \(settings)")
        var made: [Namespace] = []
        for n in 1...count {
            let host = try lab.namespace("h\(n)")
            try Shell.run("ip link add p\(n) netns \(bridge.name) type veth peer name h\(n) netns \(host.name)")
            try bridge.sh("ip link set p\(n) master br0 && ip link set p\(n) up")
            try host.sh("ip addr add \(Self.address(n))/24 dev h\(n) && ip link set h\(n) up")
            if routerPorts.contains(n) { try bridge.sh("ip link set dev p\(n) type bridge_slave mcast_router 2") }
            made.append(host)
        }
        hosts = made
        try bridge.sh("ip addr add \(bridgeAddress) dev br0 && ip link set br0 up")
        if querier != nil {
            for _ in 0..<50 where (try? bridge.sh("ip -6 addr show dev br0 scope link"))?.contains("fe80") != true { usleep(20_000) }
            try bridge.sh("ip link set br0 type bridge mcast_querier 1")
        }
    }

    /// Host `n` (1-based).
    public func host(_ n: Int) -> Namespace { hosts[n - 1] }

    public func tearDown() { lab.tearDown() }

    // MARK: Python peers (python3's standard library only)

    /// What both IGMP scripts need: the Internet checksum, and a raw IGMP socket sending from
    /// `source` with Router Alert, TTL 1 and no loopback of its own messages.
    private static let igmpPrelude = """
        import socket, struct, sys, time
        def checksum(b):
            s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
            while s >> 16: s = (s & 0xffff) + (s >> 16)
            return struct.pack("!H", ~s & 0xffff)
        def igmp_socket(source):
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, b"\\x94\\x04\\x00\\x00")
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(source))
            return s

        """

    /// A software IGMP querier: `python3 -c querierScript SOURCE VERSION QQIC MAXRESP GAPS...`
    /// sends general queries from SOURCE (IGMPv2: 8 bytes; IGMPv3: 12, with QRV 2 and the given
    /// QQIC), waiting GAPS seconds before each; with Router Alert and TTL 1. It takes no part in
    /// elections: it queries whoever else does. Prints `query` per query sent.
    public static let querierScript = igmpPrelude + """
        source, version, qqic, maxresp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        body = struct.pack("!BBH4s", 0x11, maxresp, 0, bytes(4)) + (bytes([2, qqic, 0, 0]) if version == 3 else b"")
        message = body[:2] + checksum(body) + body[4:]
        s = igmp_socket(source)
        s.bind((source, 0))
        for gap in sys.argv[5:]:
            time.sleep(float(gap))
            s.sendto(message, ("224.0.0.1", 0))
            print("query", flush=True)
        """

    /// A minimal IGMPv2 host that answers every query at once: `python3 -c answeringHostScript
    /// SOURCE GROUP` reports GROUP (IGMPv2, to the group, Router Alert, TTL 1) within a
    /// millisecond of each query it hears, so a kernel host's report of the same group is
    /// suppressed. Prints `ready`, then `report` per report.
    public static let answeringHostScript = igmpPrelude + """
        source, group = sys.argv[1], sys.argv[2]
        body = struct.pack("!BBH4s", 0x16, 0, 0, socket.inet_aton(group))
        report = body[:2] + checksum(body) + body[4:]
        s = igmp_socket(source)
        print("ready", flush=True)
        while True:
            packet = s.recv(2048)
            ihl = (packet[0] & 0x0f) * 4
            if len(packet) > ihl and packet[ihl] == 0x11 and socket.inet_ntoa(packet[12:16]) != source:
                s.sendto(report, (group, 0))
                print("report", flush=True)
        """

    /// Joins groups and stays: `python3 -c joinScript INTERFACE SECONDS GROUP[/SOURCE]...` joins
    /// each IPv4 or IPv6 group on INTERFACE (source-specific with /SOURCE, IPv4), prints
    /// `joined`, holds the memberships for SECONDS, then leaves by exiting.
    public static let joinScript = """
        import fcntl, socket, struct, sys, time
        interface, seconds = sys.argv[1], float(sys.argv[2])
        index = socket.if_nametoindex(interface)
        sockets = []
        for spec in sys.argv[3:]:
            group, _, source = spec.partition("/")
            if ":" in group:
                s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, group) + struct.pack("@I", index))
            elif source:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                local = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", interface.encode()))[20:24]  # SIOCGIFADDR
                s.setsockopt(socket.IPPROTO_IP, 39, socket.inet_aton(group) + local + socket.inet_aton(source))  # IP_ADD_SOURCE_MEMBERSHIP
            else:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + bytes(4) + struct.pack("@i", index))
            sockets.append(s)
        print("joined", flush=True)
        time.sleep(seconds)
        """

    /// Sends raw network-layer packets out of an interface: `python3 -c injectorScript INTERFACE
    /// HEX...` sends each packet (IPv4 or IPv6, from its first nibble) in an Ethernet frame to the
    /// multicast MAC of its destination, then prints `sent N`. For frames the kernel would never
    /// build: bad checksums, wrong TTLs, forged sources.
    public static let injectorScript = """
        import socket, sys
        interface = sys.argv[1]
        s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)
        count = 0
        for text in sys.argv[2:]:
            packet = bytes.fromhex(text)
            if packet[0] >> 4 == 4:
                proto, dst = 0x0800, packet[16:20]
                mac = bytes([0x01, 0x00, 0x5e, dst[1] & 0x7f, dst[2], dst[3]])
            else:
                proto, dst = 0x86DD, packet[24:40]
                mac = bytes([0x33, 0x33]) + dst[12:16]
            s.sendto(packet, (interface, proto, 0, 0, mac))
            count += 1
        print("sent", count, flush=True)
        """
}
