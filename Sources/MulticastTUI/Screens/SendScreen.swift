import MulticastExpert
import MulticastMonitor

/// The Send screen: the form describing a probe stream and the state of the sender started from
/// it. Its running flag is only ever changed by events from the sender's thread, or by the
/// event saying that thread could not start.
public struct SendScreen: Sendable, Hashable {
    public var form = SendForm()
    public var sender: SenderStatus?
    /// The demo's sender, announced on the status line once it runs.
    var demo: SendRequest?

    public init() {}

    /// Enter: stops a running sender, or starts one as the form describes. Returns the effects
    /// and the status line (the form's first problem, or what is being sent).
    func startOrStop(against table: InterfaceTable) -> (effects: [Effect], status: StatusMessage?) {
        if sender?.running == true { return ([.stopSender], nil) }
        switch form.validated(against: table) {
        case .success(let request):
            let text = "sending probes to \(GroupSpec.text(request.group, port: request.port)) on \(request.interface) at \(Int(request.rate)) pkt/s"
            return ([.startSender(request)], StatusMessage(text: text, style: .ok))
        case .failure(let error):
            return ([], StatusMessage(text: error.description, style: .error))
        }
    }

    /// Shows the demo's stream in the form; the demo is announced when its sender reports running.
    mutating func prepareDemo(_ request: SendRequest) {
        form = SendForm(request)
        demo = request
    }

    /// Takes a report from the sender; returns a status line for an error or the demo's start.
    mutating func update(_ status: SenderStatus) -> StatusMessage? {
        sender = status
        if let error = status.error { return StatusMessage(text: "sender: \(error)", style: .error) }
        if status.running, status.request == demo {
            demo = nil
            return StatusMessage(text: "demo: sending probes to \(GroupSpec.text(status.request.group, port: status.request.port)) on \(status.request.interface) and receiving them (press x to see the packets)",
                                 style: .ok)
        }
        return nil
    }
}
