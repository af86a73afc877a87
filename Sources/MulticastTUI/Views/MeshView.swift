import MulticastExpert
import MulticastMonitor
import MulticastText

/// The mesh matrix: a line saying what runs (or ran) and how it is doing, then a row per
/// receiver and a column per sender, each cell the loss of the sender's beacons at the receiver
/// (``MeshCellLook``), and under it the selected pair in full (``MeshDetailLines``). Column
/// titles are the names when every column fits with its name; otherwise letters (numbers past
/// 26), and each row's label starts with its letter, so the rows are the legend. Columns that do
/// not fit scroll with the selected sender, and an ellipsis ends the rows while some are left
/// out on the right. Before a mesh runs: what it is and how to start one.
enum MeshView {
    /// The cells in front of each row for its mark.
    static let markWidth = 2
    /// A lettered column: a mark, `100%` and a gap.
    static let keyedColumnWidth = 6
    /// The longest name a column title shows before the names give way to letters.
    static let maximumTitleWidth = 12
    /// The widest the receivers' label column gets, its gap included.
    static let maximumLabelWidth = 26
    /// The title over the receivers' labels: rows receive, columns transmit.
    static let cornerTitle = "RX \\ TX"
    /// Rows of the matrix the detail leaves at least, when there are that many.
    static let minimumMatrixRows = 6

    /// Where the matrix goes in a body `width` wide and `height` high.
    struct Layout: Hashable {
        /// Lettered columns (else named).
        var keyed: Bool
        /// The receivers' label column, its gap included.
        var labelWidth: Int
        var columnWidth: Int
        /// The first sender shown and how many are.
        var firstColumn: Int
        var columnsShown: Int
        /// The first receiver shown and how many are.
        var firstRow: Int
        var rowsShown: Int
        /// The detail's rows under the matrix, its rule included.
        var detailRows: Int
        /// Every sender's column.
        var count: Int

        /// The first cell of the senders' columns.
        var cellsX: Int { MeshView.markWidth + labelWidth }
        /// Whether senders are left out on the right.
        var cutRight: Bool { firstColumn + columnsShown < count }

        /// The sender whose column holds `x`, if one is shown there.
        func sender(atX x: Int) -> Int? {
            guard x >= cellsX, columnWidth > 0 else { return nil }
            let s = firstColumn + (x - cellsX) / columnWidth
            return s < firstColumn + columnsShown ? s : nil
        }
    }

    /// `A`...`Z` for up to 26 participants, else `1`...`n`: a column's title when names do not fit.
    static func key(_ index: Int, count: Int) -> String {
        if count <= 26, let scalar = Unicode.Scalar(65 + index) { return String(Character(scalar)) }
        return String(index + 1)
    }

    /// A receiver's label: its letter when the columns are lettered, its name, `*` for this host.
    static func label(_ participant: MeshParticipant, index: Int, count: Int, keyed: Bool) -> String {
        (keyed ? key(index, count: count) + " " : "") + MeshCellLook.name(participant) + (participant.isSelf ? " *" : "")
    }

    static func layout(_ screen: MeshScreen, width: Int, height: Int) -> Layout {
        let participants = screen.snapshot?.matrix.participants ?? []
        let count = participants.count
        func labelWidth(keyed: Bool) -> Int {
            let longest = participants.enumerated().map { label($1, index: $0, count: count, keyed: keyed).count }.max() ?? 0
            return min(max(longest, cornerTitle.count) + 2, maximumLabelWidth, max(width / 3, cornerTitle.count + 2))
        }
        let titleWidth = min(participants.map { MeshCellLook.name($0).count }.max() ?? 0, maximumTitleWidth)
        let namedColumn = max(keyedColumnWidth, titleWidth + 2)
        let namedLabel = labelWidth(keyed: false)
        let keyed = markWidth + namedLabel + count * namedColumn > width
        let labelColumn = keyed ? labelWidth(keyed: true) : namedLabel
        let columnWidth = keyed ? keyedColumnWidth : namedColumn
        let room = max(width - markWidth - labelColumn, 0)
        var columnsShown = count
        // Room for the widest ellipsis (`...`) after the last column shown when some are left out.
        if count * columnWidth > room { columnsShown = max((room - 3) / columnWidth, 1) }
        columnsShown = min(columnsShown, count)
        let selected = screen.selectedPair
        let firstColumn = scrollOffset(selection: selected?.sender ?? 0, count: count, visible: columnsShown)

        // Under the summary line and the column titles: the rows, then the detail.
        let total = max(height - 2, 0)
        var detail = 0
        if let snapshot = screen.snapshot, let pair = selected {
            let needed = MeshDetailLines.lines(snapshot, receiver: pair.receiver, sender: pair.sender, width: width - 2).count + 1
            if count + needed <= total {
                detail = needed
            } else {
                detail = max(min(needed, total - min(count, minimumMatrixRows)), min(3, total))
            }
        }
        let rowsShown = min(count, max(total - detail, 0))
        let firstRow = scrollOffset(selection: selected?.receiver ?? 0, count: count, visible: rowsShown)
        return Layout(keyed: keyed, labelWidth: labelColumn, columnWidth: columnWidth, firstColumn: firstColumn, columnsShown: columnsShown,
                      firstRow: firstRow, rowsShown: rowsShown, detailRows: detail, count: count)
    }

    // MARK: Drawing

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        let screen = state.mesh
        guard let snapshot = screen.snapshot else {
            drawIntro(&canvas, state, area)
            return
        }
        let glyphs = canvas.glyphs
        canvas.put(0, area.top, spans: summary(screen, snapshot), maxWidth: area.width)
        let layout = layout(screen, width: area.width, height: area.height)
        let matrix = snapshot.matrix
        let participants = matrix.participants
        let count = participants.count
        let selected = screen.selectedPair
        let columns = layout.firstColumn..<(layout.firstColumn + layout.columnsShown)

        // The column titles.
        let titleRow = area.top + 1
        canvas.fillRow(titleRow, .header)
        let corner = layout.firstColumn > 0 || layout.cutRight
            ? "TX \(key(layout.firstColumn, count: count))-\(key(columns.upperBound - 1, count: count))/\(count)" : cornerTitle
        canvas.put(markWidth, titleRow, corner, .header, maxWidth: layout.labelWidth - 1)
        for s in columns {
            let x = layout.cellsX + (s - layout.firstColumn) * layout.columnWidth
            let title = layout.keyed ? key(s, count: count) : MeshCellLook.name(participants[s]).fitted(layout.columnWidth - 2, glyphs.ellipsis).replacingTrailingSpaces()
            canvas.put(x, titleRow, title.rightAligned(layout.columnWidth - 1), s == selected?.sender ? .selected : .header)
        }
        if layout.cutRight { canvas.put(layout.cellsX + layout.columnsShown * layout.columnWidth, titleRow, "", .header, continues: true) }

        // A row per receiver.
        for i in 0..<layout.rowsShown {
            let r = layout.firstRow + i
            guard r < count else { break }
            let y = area.top + 2 + i
            let looks = participants.indices.map { MeshCellLook.of(matrix, receiver: r, sender: $0, glyphs: glyphs) }
            let receiver = participants[r]
            let mark = rowMark(receiver, looks, glyphs: glyphs)
            canvas.put(0, y, String(mark.mark), mark.style)
            let labelStyle: Style = r == selected?.receiver ? .selected : (receiver.isGone ? .dim : (receiver.isSelf ? .accent : .normal))
            canvas.put(markWidth, y, label(receiver, index: r, count: count, keyed: layout.keyed), labelStyle, maxWidth: layout.labelWidth - 1)
            for s in columns {
                let look = looks[s]
                let x = layout.cellsX + (s - layout.firstColumn) * layout.columnWidth
                let text = (String(look.mark) + look.text).rightAligned(layout.columnWidth - 1)
                canvas.put(x, y, text, r == selected?.receiver && s == selected?.sender ? .selected : look.style)
            }
            if layout.cutRight { canvas.put(layout.cellsX + layout.columnsShown * layout.columnWidth, y, "", .dim, continues: true) }
        }

        // The selected pair.
        guard layout.detailRows > 0, let pair = selected else { return }
        let top = area.top + 2 + layout.rowsShown
        let title = String(repeating: glyphs.horizontal, count: 2) + " \(MeshDetailLines.title(matrix, receiver: pair.receiver, sender: pair.sender)) "
        canvas.put(0, top, title + String(repeating: glyphs.horizontal, count: max(area.width - title.count, 0)), .accent, maxWidth: area.width)
        canvas.putLines(1, top + 1, MeshDetailLines.lines(snapshot, receiver: pair.receiver, sender: pair.sender, width: area.width - 2),
                        width: area.width - 2, rows: layout.detailRows - 1)
    }

    /// A row's mark: its worst cell's (failing, then lossy), else stale for a gone receiver.
    static func rowMark(_ receiver: MeshParticipant, _ looks: [MeshCellLook], glyphs: Glyphs) -> (mark: Character, style: Style) {
        if looks.contains(where: MeshCellLook.isFailing) { return (glyphs.failMark, .fail) }
        if looks.contains(where: MeshCellLook.isLossy) { return (glyphs.warnMark, .warn) }
        if receiver.isGone { return (glyphs.staleMark, .dim) }
        return (" ", .normal)
    }

    /// The line over the matrix: running or stopped, for how long, how the mesh is doing, and what runs.
    static func summary(_ screen: MeshScreen, _ snapshot: MeshSnapshot) -> [(text: String, style: Style)] {
        let matrix = snapshot.matrix
        let word: (String, Style)
        if screen.stopping {
            word = ("STOPPING", .warn)
        } else if screen.starting != nil {
            word = ("STARTING", .info)
        } else if snapshot.running {
            word = ("RUNNING", .ok)
        } else {
            word = ("STOPPED", .warn)
        }
        let elapsed = " \(snapshot.running ? "" : "after ")\(Format.age(nanoseconds: snapshot.elapsedNanoseconds))  "
        let request = snapshot.request
        var what = "  \(GroupSpec.text(request.group, port: request.port)) on \(TerminalText.sanitize(snapshot.interfaceName))"
        what += " as \(TerminalText.sanitize(request.name)), a beacon every \(interval(snapshot.intervalNanoseconds))"
        let gone = matrix.participants.filter(\.isGone).count
        var health = "\(matrix.participants.count) participant\(matrix.participants.count == 1 ? "" : "s")" + (gone > 0 ? " (\(gone) gone)" : "")
        var looks: [MeshCellLook] = []
        for r in matrix.participants.indices {
            for s in matrix.participants.indices where r != s { looks.append(MeshCellLook.of(matrix, receiver: r, sender: s, glyphs: .ascii)) }
        }
        let failing = looks.filter(MeshCellLook.isFailing).count, lossy = looks.filter(MeshCellLook.isLossy).count
        health += failing > 0 ? ", \(failing) failing pair\(failing == 1 ? "" : "s")" : ""
        health += lossy > 0 ? ", \(lossy) with some loss" : ""
        if failing == 0 && lossy == 0 && matrix.participants.count > 1 { health += ", every pair clean" }
        let healthStyle: Style = failing > 0 ? .fail : (lossy > 0 ? .warn : .normal)
        var spans: [(text: String, style: Style)] = [word, (elapsed, .normal), (health, healthStyle)]
        if snapshot.failures > 0 { spans.append(("  \(snapshot.failures) send/receive failures", .error)) }
        spans.append((what, .dim))
        return spans
    }

    /// `200ms`, `1.5s`.
    static func interval(_ nanoseconds: Int64) -> String {
        nanoseconds < 1_000_000_000 ? "\(max(nanoseconds, 0) / 1_000_000)ms" : Format.fixed(Double(nanoseconds) / 1e9, 1) + "s"
    }

    /// Before the first mesh: what the screen does and how to start it (and why the last start failed).
    private static func drawIntro(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        var lines: [(text: String, style: Style)] = [
            ("Mesh: does every host hear every other host?", .header),
            ("", .normal),
        ]
        lines += Format.wrap(introText, width: area.width - 2).map { ($0, .normal) }
        lines.append(("", .normal))
        if let starting = state.mesh.starting {
            lines.append(("starting \(starting.summary)…", .info))
        } else {
            lines.append(("Press Enter to start one here.", .key))
        }
        if let failure = state.mesh.failure {
            lines.append(("", .normal))
            lines += Format.wrap("Could not start: \(failure)", width: area.width - 2).map { ($0, .error) }
        }
        canvas.putLines(1, area.top, lines, width: area.width - 2, rows: area.height)
    }

    static let introText = "Run a mesh with the same group and port on every host: here with Enter, elsewhere with mcexpert mesh GROUP:PORT -i IFACE. "
        + "Each participant sends a small beacon a few times a second and listens to the others'; the beacons carry what each one hears, "
        + "so every host shows the whole matrix: a row per receiver, a column per sender, each cell the loss of the sender's beacons at "
        + "the receiver, and under it the selected pair's figures (latency, jitter, TTL)."
}
