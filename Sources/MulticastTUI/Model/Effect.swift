import MulticastDoctor
import MulticastExpert
import MulticastMonitor
import MulticastStreamList

/// Something the model asks the outside world to do; results come back as events. The app
/// carries out every effect ``AppState/handle(_:)`` returns.
public enum Effect: Sendable, Hashable {
    case join(Subscription)
    case leave(SubscriptionID)
    /// Runs the doctor on the interfaces and groups in use, told which streams arrive, so it
    /// does not warn about a path the screen shows working.
    case runDoctor(interfaces: [String], groups: [MulticastGroup], receiving: [ReceivedStream])
    case refreshMemberships
    /// Starts the IGMP/MLD listener on a thread of its own; it reports for as long as the app runs.
    case startIGMPListener
    /// Tells the IGMP/MLD listener to forget what it heard and start again.
    case resetIGMP
    case refreshInterfaces
    case startSender(SendRequest)
    case stopSender
    /// Opens a mesh session as the Mesh screen's form describes and starts its feed thread.
    case startMesh(MeshRequest)
    /// Stops the running mesh; its last matrix stays on screen.
    case stopMesh
    /// Writes the current joins as a stream list; an existing file only with `overwrite`.
    case saveStreams(path: String, list: StreamList, overwrite: Bool)
    case quit
}
