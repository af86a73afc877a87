import MulticastExpert
import MulticastMonitor

/// Something the model asks the outside world to do; results come back as events. The app
/// carries out every effect ``AppState/handle(_:)`` returns.
public enum Effect: Sendable, Hashable {
    case join(Subscription)
    case leave(SubscriptionID)
    case runDoctor(interfaces: [String], groups: [MulticastGroup])
    case refreshMemberships
    case refreshInterfaces
    case startSender(SendRequest)
    case stopSender
    case quit
}
