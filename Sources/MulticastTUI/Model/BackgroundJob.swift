/// Work the app runs on a thread of its own because it waits on the network; named so that a
/// failure to start its thread can undo what starting it promised (the running flags).
public enum BackgroundJob: Sendable, Hashable {
    case doctor
    /// The IGMP/MLD listener, which runs for as long as the app.
    case igmpListener
    case sender(SendRequest)
    /// The feed watching a mesh session, which runs until stopped.
    case mesh(MeshRequest)
}
