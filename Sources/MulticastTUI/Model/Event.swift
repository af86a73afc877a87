import MulticastDoctor
import MulticastExpert
import MulticastMonitor

/// Something that happened: a key, fresh data from the engine, a finished background job, a
/// timer. ``AppState/handle(_:)`` is the only way the TUI's state changes.
public enum Event: Sendable {
    /// The app started with these options (groups to join, the demo).
    case launched(TUIOptions)
    case key(Key)
    /// A click or a turn of the wheel (ncurses mouse events, unless `--no-mouse`).
    case mouse(MouseEvent)
    case snapshot(MonitorSnapshot)
    /// The interface table is old enough to read again.
    case interfacesStale
    case interfaces(InterfaceTable, defaultGateways: Set<UInt32>)
    case doctorFinished([Finding])
    /// The doctor ran but could not finish.
    case doctorFailed(String)
    /// The IGMP/MLD listener's latest state and the warnings it means (about twice a second).
    case igmp(IGMPReport)
    /// The IGMP/MLD listener could not start: why.
    case igmpUnavailable(String)
    case memberships([Membership])
    case joined(SubscriptionID, Subscription)
    case failed(String)
    case sender(SenderStatus)
    /// The running (or just stopped) mesh's matrix and state, a few times a second.
    case mesh(MeshSnapshot)
    /// A mesh could not start: why.
    case meshFailed(String)
    /// The smallest receive buffer the kernel granted a socket, against what was asked for.
    case receiveBufferGranted(ReceiveBufferGrant)
    /// A background job's thread could not be started; the job never ran.
    case threadFailed(BackgroundJob, reason: String)
    case resize(width: Int, height: Int)
    /// The stream list was written (`w`): where, and how many streams.
    case streamsSaved(path: String, count: Int)
    /// The save did not write: the file exists and overwriting was not confirmed yet.
    case streamsFileExists(path: String)
}
