import CMulticastShims
import CNetnsLabShims
import Foundation
import MulticastExpert

/// A throwaway network lab for tests: namespaces, veth cables between them, and a way to run
/// Swift code inside a namespace. Everything it makes has a name unique to this process and
/// test, and ``tearDown()`` removes it. Traffic never leaves these namespaces.
public final class Lab: @unchecked Sendable {
    /// Why namespace tests cannot run here, or nil when they can.
    public static let unavailableReason: String? = {
        guard geteuid() == 0 else { return "building network namespaces needs root (run the tests as root, as CI does)" }
        guard ExternalTool.isInstalled("ip") else { return "iproute2's `ip` is not installed" }
        return nil
    }()

    /// True when `MCEXPERT_REQUIRE_NETNS=1`: namespace tests must run, and fail instead of skipping.
    public static let isRequired = ProcessInfo.processInfo.environment["MCEXPERT_REQUIRE_NETNS"] == "1"

    /// Whether a namespace test should run: it can, or it must (and will then fail loudly).
    public static let shouldRun = unavailableReason == nil || isRequired

    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLock()

    private let tag: String
    private var namespaces: [Namespace] = []

    /// Starts a lab; `tag` (short, letters and digits) makes its names recognisable in `ip netns`.
    public init(_ tag: String) throws {
        if let reason = Lab.unavailableReason { throw LabError.unavailable(reason) }
        self.tag = tag
    }

    deinit { tearDown() }

    /// Makes a new namespace with `lo` up and IPv6 duplicate-address detection off (so
    /// link-local addresses are usable at once).
    public func namespace(_ role: String) throws -> Namespace {
        Lab.counterLock.lock()
        Lab.counter += 1
        let number = Lab.counter
        Lab.counterLock.unlock()
        let name = "mcx\(getpid() % 100_000)-\(tag.prefix(6))\(number)-\(role.prefix(4))"
        try Shell.run("ip netns add \(name)")
        let namespace = Namespace(name: name)
        namespaces.append(namespace)
        try namespace.sh("ip link set lo up; sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0")
        return namespace
    }

    /// Cables two namespaces together with a veth pair and brings both ends up.
    public func cable(_ a: Namespace, _ nameA: String, _ b: Namespace, _ nameB: String) throws {
        try Shell.run("ip link add \(nameA) netns \(a.name) type veth peer name \(nameB) netns \(b.name)")
        try a.sh("ip link set \(nameA) up")
        try b.sh("ip link set \(nameB) up")
    }

    /// Deletes every namespace the lab made (their interfaces go with them).
    public func tearDown() {
        for namespace in namespaces { _ = try? Shell.run("ip netns del \(namespace.name)") }
        namespaces = []
    }
}

/// Why the lab could not be built.
public enum LabError: Error, CustomStringConvertible {
    case unavailable(String)
    case commandFailed(String, status: Int32, output: String)
    case setns(String, errno: Int32)

    public var description: String {
        switch self {
        case .unavailable(let reason): "network lab unavailable: \(reason)"
        case .commandFailed(let command, let status, let output): "`\(command)` exited \(status): \(output)"
        case .setns(let name, let code): "setns into \(name) failed: errno \(code)"
        }
    }
}

/// One network namespace of a ``Lab``.
public final class Namespace: @unchecked Sendable {
    /// Its name under `ip netns`.
    public let name: String

    init(name: String) { self.name = name }

    /// Runs a shell command inside the namespace; throws with its output when it fails.
    @discardableResult
    public func sh(_ command: String) throws -> String {
        try Shell.run("ip netns exec \(name) sh -c '\(command.replacingOccurrences(of: "'", with: "'\\''"))'")
    }

    /// Starts a long-running command inside the namespace (tcpdump, a Python peer).
    public func spawn(_ arguments: [String]) throws -> BackgroundProcess {
        try BackgroundProcess(["ip", "netns", "exec", name] + arguments)
    }

    /// Runs Swift code on a fresh thread that has entered the namespace, and returns its result.
    ///
    /// Sockets and interface tables made inside belong to the namespace for good, so the
    /// returned socket can be used from any thread afterwards.
    public func run<T>(_ body: @escaping () throws -> T) throws -> T {
        let fd = open("/run/netns/\(name)", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LabError.setns(name, errno: errno) }
        defer { close(fd) }
        let job = ThreadJob(fd: fd, body: body)
        var thread = pthread_t()
        let unmanaged = Unmanaged.passRetained(job)
        let created = pthread_create(&thread, nil, threadEntry, unmanaged.toOpaque())
        guard created == 0 else {
            unmanaged.release()
            throw LabError.setns(name, errno: created)
        }
        pthread_join(thread, nil)
        if job.setnsErrno != 0 { throw LabError.setns(name, errno: job.setnsErrno) }
        guard let result = job.result else { throw LabError.setns(name, errno: 0) }
        return try result.get()
    }
}

/// Runs a job on a new thread; the job enters the namespace first.
private func threadEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let job = Unmanaged<AnyThreadJob>.fromOpaque(raw!).takeRetainedValue()
    job.execute()
    return nil
}

private class AnyThreadJob: @unchecked Sendable {
    func execute() {}
}

private final class ThreadJob<T>: AnyThreadJob, @unchecked Sendable {
    let fd: Int32
    let body: () throws -> T
    var result: Result<T, any Error>?
    var setnsErrno: Int32 = 0

    init(fd: Int32, body: @escaping () throws -> T) {
        self.fd = fd
        self.body = body
    }

    override func execute() {
        guard mcx_setns(fd, mcx_CLONE_NEWNET()) == 0 else {
            setnsErrno = errno
            return
        }
        result = Result { try body() }
    }
}

/// Drops CAP_NET_BIND_SERVICE from the calling thread, so that thread binds like an
/// unprivileged user would. Use it only inside ``Namespace/run(_:)``, whose thread is thrown away.
public func dropBindServiceCapability() -> Bool {
    netnslab_drop_effective_capability(10) == 0  // CAP_NET_BIND_SERVICE
}

/// Drops CAP_NET_ADMIN from the calling thread (socket options such as SO_RCVBUFFORCE then
/// fail as for an unprivileged user). Only inside ``Namespace/run(_:)``.
public func dropNetAdminCapability() -> Bool {
    netnslab_drop_effective_capability(12) == 0  // CAP_NET_ADMIN
}
