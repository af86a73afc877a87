import MulticastExpert
import MulticastMonitor

/// The Mesh screen: the start form while it is open, the latest snapshot of the running (or
/// last) mesh, and the selected pair — a receiver (the row, moved like any list's cursor) and a
/// sender (the column). The selection follows the two participants by run id as others join
/// and leave the matrix.
public struct MeshScreen: Sendable, Hashable {
    /// The start form, while open.
    public var form: MeshForm?
    /// The latest snapshot: of the running mesh, or the last one of a stopped mesh.
    public var snapshot: MeshSnapshot?
    /// The mesh asked for and not yet reported running (its session is opening).
    public var starting: MeshRequest?
    /// Stop was asked for; the feed's last snapshot has not come yet.
    public var stopping = false
    /// Why the last mesh could not start.
    public var failure: String?
    /// The last mesh asked for, started or not: the form offers it again.
    public var lastRequest: MeshRequest?
    /// The selected receiver: the row.
    public var cursor = ListCursor()
    /// The selected sender: the column.
    public var column = 0
    /// `/`: moves the cursor to the receivers whose name or address contains its text.
    public var search = ListSearch()

    /// No mesh yet: the screen says what it does and how to start one.
    public init() {}

    /// Whether a mesh runs (or is opening): Enter then stops it.
    public var isRunning: Bool { starting != nil || snapshot?.running == true }

    /// The participants shown: every row and column.
    var participantCount: Int { snapshot?.matrix.participants.count ?? 0 }

    /// Enter: opens the start form (filled in with the last request), or stops the running mesh.
    mutating func startOrStop(hostName: String, defaultInterface: String) -> (effects: [Effect], status: StatusMessage?) {
        if isRunning {
            guard !stopping else { return ([], StatusMessage(text: "mesh: stopping; the last matrix stays on screen", style: .info)) }
            stopping = true
            return ([.stopMesh], StatusMessage(text: "mesh: stopping…", style: .info))
        }
        form = MeshForm(hostName: hostName, interface: defaultInterface, previous: lastRequest ?? snapshot?.request)
        return ([], nil)
    }

    /// Enter in the form: the effect starting the mesh it describes, or the form's first problem.
    mutating func submit(against table: InterfaceTable) -> (effects: [Effect], status: StatusMessage) {
        guard let form else { return ([], StatusMessage(text: "no mesh form open", style: .warn)) }
        switch form.validated(against: table) {
        case .success(let request):
            self.form = nil
            starting = request
            lastRequest = request
            stopping = false
            failure = nil
            return ([.startMesh(request)], StatusMessage(text: "mesh: starting \(request.summary)…", style: .info))
        case .failure(let error):
            return ([], StatusMessage(text: error.description, style: .error))
        }
    }

    /// Takes a snapshot from the feed. While `frozen` (paused) the matrix on screen stays, but
    /// whether the mesh runs is always taken, so a stop shows at once.
    mutating func update(_ next: MeshSnapshot, frozen: Bool) -> StatusMessage? {
        let selected = selectedRunIDs
        let wasRunning = snapshot?.running == true
        if frozen, var shown = snapshot, shown.request == next.request {
            shown.running = next.running
            snapshot = shown
        } else {
            snapshot = next
        }
        let started = starting == next.request && next.running
        if starting == next.request { starting = nil }
        if !next.running { stopping = false }
        follow(selected)
        if started { return StatusMessage(text: "mesh: running \(next.request.summary); Enter stops it", style: .ok) }
        guard wasRunning, !next.running else { return nil }
        if let reason = next.latestFailure, next.failures > 0 {
            return StatusMessage(text: "mesh: stopped; \(next.failures) send/receive failures, the latest: \(reason)", style: .warn)
        }
        return StatusMessage(text: "mesh: stopped; the last matrix stays on screen (Enter starts again)", style: .info)
    }

    /// The mesh could not start (its socket, or its thread): says why and shows it stopped.
    mutating func fail(_ reason: String) -> StatusMessage {
        starting = nil
        stopping = false
        failure = reason
        if snapshot?.running == true { snapshot?.running = false }
        return StatusMessage(text: "mesh: \(reason)", style: .error)
    }

    /// Left and right: the previous or next sender (Home/End-like moves go to the first or last).
    mutating func selectSender(_ move: ListMove, page: Int) {
        var columnCursor = ListCursor(index: column)
        columnCursor.move(move, count: participantCount, page: page)
        column = columnCursor.index
    }

    /// Keeps the cursor and the column on a participant after the matrix changed size.
    mutating func clamp() {
        cursor.clamp(count: participantCount)
        column = min(column, max(participantCount - 1, 0))
    }

    /// The (receiver, sender) indexes selected, when there are participants.
    var selectedPair: (receiver: Int, sender: Int)? {
        let count = participantCount
        guard count > 0 else { return nil }
        return (min(cursor.index, count - 1), min(column, count - 1))
    }

    /// The run ids of the selected pair, to find them again in the next matrix.
    private var selectedRunIDs: (receiver: UInt64, sender: UInt64)? {
        guard let pair = selectedPair, let participants = snapshot?.matrix.participants else { return nil }
        return (participants[pair.receiver].runID, participants[pair.sender].runID)
    }

    private mutating func follow(_ selected: (receiver: UInt64, sender: UInt64)?) {
        if let selected, let matrix = snapshot?.matrix {
            if let row = matrix.index(of: selected.receiver) { cursor.index = row }
            if let column = matrix.index(of: selected.sender) { self.column = column }
        }
        clamp()
    }

    /// What `/` looks for in a receiver's row: its name and address.
    var searchTexts: [String] {
        (snapshot?.matrix.participants ?? []).map { participant in
            MeshCellLook.name(participant) + " " + (participant.address.map { "\($0)" } ?? "")
        }
    }
}
