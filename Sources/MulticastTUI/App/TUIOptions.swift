import MulticastExpert
import MulticastMonitor
import MulticastStreamList

/// How the TUI starts.
public struct TUIOptions: Sendable {
    /// Groups to join at start.
    public var subscriptions: [Subscription]
    /// Start a loopback probe sender and receiver so there is live data at once.
    public var demo: Bool
    /// Ask the terminal for mouse reports (clicks, the wheel); off keeps the terminal's own
    /// text selection working without Shift.
    public var mouse: Bool
    /// Listen to IGMP and MLD from the start (with CAP_NET_RAW). Off leaves the IGMP/MLD screen
    /// and the QUERIER column empty and opens no packet socket (which a kernel filter limits to
    /// IGMP frames and IPv6 frames with a hop-by-hop header).
    public var igmp: Bool
    /// Named streams to join at start (`--streams FILE`), shown by their names.
    public var streamList: StreamList?

    public init(subscriptions: [Subscription] = [], demo: Bool = false, mouse: Bool = true, igmp: Bool = true, streamList: StreamList? = nil) {
        self.subscriptions = subscriptions
        self.streamList = streamList
        self.demo = demo
        self.mouse = mouse
        self.igmp = igmp
    }

    /// The demo stream: probes to 239.255.77.1:47000 over lo.
    public static let demoGroup = try! MulticastGroup(parsing: "239.255.77.1")
    public static let demoPort: UInt16 = 47_000
}
