/// The most common lab: host A and host B cabled by a veth pair `va`–`vb`, with
/// 198.18.0.1/24 on `va` and 198.18.0.2/24 on `vb` (RFC 2544 benchmarking space, only ever
/// inside these namespaces). IPv6 link-local addresses are there at once (DAD is off).
public struct TwoHosts {
    public let lab: Lab
    public let a: Namespace
    public let b: Namespace

    public static let addressA = "198.18.0.1"
    public static let addressB = "198.18.0.2"

    public init(_ tag: String) throws {
        lab = try Lab(tag)
        a = try lab.namespace("a")
        b = try lab.namespace("b")
        try lab.cable(a, "va", b, "vb")
        try a.sh("ip addr add \(Self.addressA)/24 dev va")
        try b.sh("ip addr add \(Self.addressB)/24 dev vb")
    }

    public func tearDown() { lab.tearDown() }
}
