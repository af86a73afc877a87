import MulticastExpert

/// What the user wants checked.
public struct DoctorRequest: Sendable {
    /// Interfaces to examine; empty means every non-loopback interface.
    public var interfaces: [InterfaceSpecifier]
    /// Groups the user wants to send or receive.
    public var groups: [MulticastGroup]
    /// Senders the user expects traffic from.
    public var sources: [IPAddress]
    /// The UDP port in use (for firewall checks).
    public var port: UInt16?
    /// How long to listen for IGMP/MLD queriers; zero skips the check.
    public var querierWait: Duration
    /// The stream's rate, datagrams per second (for the socket-buffer check), and datagram size.
    public var rate: Double?
    public var datagramSize: Int
    /// Send probes on the first interface and receive them on the second (needs two interfaces and a group).
    public var selfTest: Bool

    public init(interfaces: [InterfaceSpecifier] = [], groups: [MulticastGroup] = [], sources: [IPAddress] = [], port: UInt16? = nil,
                querierWait: Duration = .zero, rate: Double? = nil, datagramSize: Int = 1316, selfTest: Bool = false) {
        self.interfaces = interfaces
        self.groups = groups
        self.sources = sources
        self.port = port
        self.querierWait = querierWait
        self.rate = rate
        self.datagramSize = datagramSize
        self.selfTest = selfTest
    }
}

/// Finds the reasons multicast does not arrive on this host. Reads only: every fix is returned
/// as a command for the user to run, never applied.
public enum Doctor {
    /// Runs every check for `request` against the calling thread's network namespace.
    ///
    /// - Throws: ``MulticastError`` only for a request that names an interface that does not exist.
    public static func examine(_ request: DoctorRequest, host given: HostView? = nil) throws(MulticastError) -> [Finding] {
        let host: HostView
        if let given { host = given } else { host = try HostView.current() }
        var named: [NetworkInterface] = []
        for specifier in request.interfaces {
            let interface = try host.interfaces.interface(matching: specifier)
            if !named.contains(where: { $0.index == interface.index }) { named.append(interface) }
        }
        let examined = named.isEmpty ? host.interfaces.interfaces.filter { !$0.isLoopback } : named
        var request = request
        if request.selfTest, named.count >= 2, let family = request.groups.first?.family,
           let sender = named[0].addresses(family).first?.address, !request.sources.contains(sender) {
            request.sources.append(sender)  // the self-test's probes come from the first interface
        }
        let exam = Examination(host: host, request: request, interfaces: examined, explicitlyNamed: !named.isEmpty)
        var findings: [Finding] = []
        findings += exam.interfaceFindings()
        findings += exam.reversePathFindings()
        findings += exam.acceptLocalFindings()
        findings += exam.routeFindings()
        findings += exam.igmpFindings()
        findings += exam.bufferFindings()
        findings += FirewallCheck.findings(port: request.port)
        if request.querierWait > .zero { findings += exam.querierFindings() }
        if request.selfTest { findings += exam.selfTestFindings() }
        return findings.sortedWorstFirst()
    }
}

/// One doctor run's inputs, shared by the checks.
struct Examination {
    let host: HostView
    let request: DoctorRequest
    let interfaces: [NetworkInterface]
    let explicitlyNamed: Bool

    /// The families in play: those of the groups, or both when no group was named.
    var families: [AddressFamily] {
        let fromGroups = Set(request.groups.map(\.family))
        return fromGroups.isEmpty ? [.ipv4, .ipv6] : AddressFamily.allCases.filter(fromGroups.contains)
    }
}
