import MulticastDoctor
import MulticastExpert
import MulticastMonitor

/// Something the model asks the outside world to do; results come back as events. The app
/// carries out every effect ``AppState/handle(_:)`` returns.
public enum Effect: Sendable, Hashable {
    case join(Subscription)
    case leave(SubscriptionID)
    /// Runs the doctor on the interfaces and groups in use, told which streams arrive, so it
    /// does not warn about a path the screen shows working.
    case runDoctor(interfaces: [String], groups: [MulticastGroup], receiving: [ReceivedStream])
    case refreshMemberships
    case refreshInterfaces
    case startSender(SendRequest)
    case stopSender
    case quit
}
