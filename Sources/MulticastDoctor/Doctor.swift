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
///
/// A run is two steps: gather (read the host into a ``HostView``, listen for queriers, run the
/// self-test) and judge (pure checks on what was gathered, in ``Examination``).
public enum Doctor {
    /// Runs every check for `request` against the calling thread's network namespace.
    ///
    /// Blocks while it gathers: the firewall listing tools (a few seconds at most), the querier
    /// listen (`request.querierWait`) and the self-test (about 1.5 s) when asked for.
    /// - Parameter given: a host described by hand; then nothing is read or sent (no self-test),
    ///   and the findings are a pure function of `request` and `given`.
    /// - Parameter receiving: the streams a receiver in this process is getting now (the TUI's),
    ///   added to the live host as ``HostView/receivedStreams``; a described host carries its own.
    /// - Throws: ``MulticastError`` only for a request that names an interface that does not exist.
    public static func examine(_ request: DoctorRequest, host given: HostView? = nil, receiving: [ReceivedStream] = []) throws(MulticastError) -> [Finding] {
        if let given { return try Examination(request: request, host: given).findings() }
        // The interfaces are resolved before the slow parts, so a bad name fails at once.
        var exam = try Examination(request: request, host: try HostView.current())
        exam.host.receivedStreams = receiving
        if request.querierWait > .zero { exam.host.queriers = QuerierObservation.listen(for: request.querierWait) }
        if request.selfTest, let run = exam.selfTestRun { exam.selfTest = run.run(interfaces: exam.host.interfaces) }
        return exam.findings()
    }
}

/// One doctor run's inputs, shared by the checks: the host as gathered, the request, the
/// interfaces it is about, and what the self-test counted. Every check is a pure function of these.
struct Examination {
    var host: HostView
    let request: DoctorRequest
    let interfaces: [NetworkInterface]
    let explicitlyNamed: Bool
    /// What the self-test counted; nil when it was not run.
    var selfTest: SelfTestRun.Result? = nil

    /// The families in play: those of the groups, or both when no group was named.
    var families: [AddressFamily] {
        let fromGroups = Set(request.groups.map(\.family))
        return fromGroups.isEmpty ? [.ipv4, .ipv6] : AddressFamily.allCases.filter(fromGroups.contains)
    }

    /// Every check's findings, worst first. The querier check runs when the host carries a
    /// querier observation, the self-test check when the request asks for it.
    func findings() -> [Finding] {
        var findings: [Finding] = []
        findings += interfaceFindings()
        findings += reversePathFindings()
        findings += acceptLocalFindings()
        findings += routeFindings()
        findings += igmpFindings()
        findings += bufferFindings()
        findings += FirewallCheck.findings(host.firewall, port: request.port)
        if let queriers = host.queriers { findings += querierFindings(queriers) }
        if request.selfTest { findings += selfTestFindings() }
        return findings.sortedWorstFirst()
    }
}

extension Examination {
    /// The examination of `request` on `host`: the interfaces it names (every non-loopback one
    /// when it names none), and for a self-test, the first interface's address among the sources,
    /// since the self-test's probes come from there.
    ///
    /// - Throws: ``MulticastError`` when the request names an interface the host does not have.
    init(request: DoctorRequest, host: HostView) throws(MulticastError) {
        var named: [NetworkInterface] = []
        for specifier in request.interfaces {
            let interface = try host.interfaces.interface(matching: specifier)
            if !named.contains(where: { $0.index == interface.index }) { named.append(interface) }
        }
        var request = request
        if request.selfTest, named.count >= 2, let family = request.groups.first?.family,
           let sender = named[0].addresses(family).first?.address, !request.sources.contains(sender) {
            request.sources.append(sender)
        }
        self.init(host: host, request: request, interfaces: named.isEmpty ? host.interfaces.interfaces.filter { !$0.isLoopback } : named,
                  explicitlyNamed: !named.isEmpty)
    }
}
