import MulticastMonitor
import MulticastText

/// How one cell of the mesh matrix looks: the mark in front (so monochrome and NO_COLOR
/// terminals keep the meaning), the figure and its style. The thresholds and marks are the
/// Groups table's (``StreamSeverity``): loss of 1 % or more fails (×), any loss warns (!), a pair
/// no longer heard or with a gone participant is stale (~, dimmed); "—" is a pair not heard at
/// all (failing, ×, once both have been there long enough to have reported it), "?" a receiver
/// this host does not hear, so whose reports cannot arrive.
struct MeshCellLook: Hashable {
    var mark: Character
    var text: String
    var style: Style

    /// What the help screen says about the marks.
    static func legend(_ glyphs: Glyphs) -> [(mark: String, text: String, style: Style)] {
        [
            ("\(glyphs.failMark) red", "loss of 1% or more of the sender's beacons; \(glyphs.failMark)— a receiver that does not hear the sender at all", .fail),
            ("\(glyphs.warnMark) yellow", "any loss", .warn),
            ("green", "no loss: the receiver hears every beacon of the sender", .ok),
            ("\(glyphs.staleMark) dim", "no longer heard, or a participant that is gone (stopped or restarted)", .dim),
            ("— ?", "— not heard yet; ? a receiver this host does not hear, so its reports cannot arrive", .dim),
        ]
    }

    /// The look of the cell where `receiver` (row `r`) hears `sender` (column `s`).
    static func of(_ matrix: MeshMatrix, receiver r: Int, sender s: Int, glyphs: Glyphs) -> MeshCellLook {
        let participants = matrix.participants
        guard participants.indices.contains(r), participants.indices.contains(s) else { return MeshCellLook(mark: " ", text: "", style: .dim) }
        let receiver = participants[r], sender = participants[s]
        let cell = r < matrix.cells.count && s < matrix.cells[r].count ? matrix.cells[r][s] : nil
        let gone = receiver.isGone || sender.isGone
        guard let cell else {
            if !receiver.isSelf && !receiver.isHeardDirectly { return MeshCellLook(mark: " ", text: "?", style: .dim) }
            if r == s { return MeshCellLook(mark: " ", text: "—", style: .dim) }
            if gone { return MeshCellLook(mark: glyphs.staleMark, text: "—", style: .dim) }
            if receiver.isSettled && sender.isSettled { return MeshCellLook(mark: glyphs.failMark, text: "—", style: .fail) }
            return MeshCellLook(mark: " ", text: "—", style: .dim)
        }
        guard let loss = cell.lossPercent else { return MeshCellLook(mark: " ", text: "-", style: .dim) }
        let text = percent(loss)
        if cell.isGone || gone { return MeshCellLook(mark: glyphs.staleMark, text: text, style: .dim) }
        if cell.lost > 0 && loss >= StreamSeverity.failingLossPercent { return MeshCellLook(mark: glyphs.failMark, text: text, style: .fail) }
        if cell.lost > 0 { return MeshCellLook(mark: glyphs.warnMark, text: text, style: .warn) }
        return MeshCellLook(mark: " ", text: text, style: .ok)
    }

    /// Whether a pair fails: a receiver heard here that does not hear a present sender, or loses
    /// 1 % or more of its beacons.
    static func isFailing(_ look: MeshCellLook) -> Bool { look.style == .fail }

    /// Whether a pair loses some beacons without failing.
    static func isLossy(_ look: MeshCellLook) -> Bool { look.style == .warn }

    /// `0%`, `0.4%`, `12%`, `100%`: at most four characters.
    static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value <= 0 { return "0%" }
        if value >= 99.5 { return "100%" }
        return Format.fixed(value, value < 9.95 ? 1 : 0) + "%"
    }

    /// A participant's name for the screen: escapes made visible, never empty.
    static func name(_ participant: MeshParticipant) -> String {
        TerminalText.sanitize(participant.nameText, limit: 64)
    }
}
