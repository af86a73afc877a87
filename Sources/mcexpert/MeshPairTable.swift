import MulticastExpert
import MulticastMonitor
import MulticastText

/// `mesh`'s per-pair table in text: one line per receiver hearing a sender (not the diagonal),
/// with every figure the matrix cells leave out — received, lost, loss, duplicates, latency
/// (one-way or round trip, marked), jitter, the TTL that arrived and where the figures come from.
/// What JSON has in `cells`, for a reader at a terminal. Names are sanitised and cut as in the
/// matrix; the columns are as wide as their values, two spaces apart when that fits 80 columns,
/// and when even one space does not, the names are cut further (to no fewer than 8 characters).
enum MeshPairTable {
    /// Above this many pairs the interval prints leave the table out (it is in the final print).
    static let intervalPairLimit = 20

    /// The column titles, in order.
    static let titles = ["receiver", "sender", "recv", "lost", "loss", "dups", "latency", "jitter", "TTL", "origin"]

    /// Which columns are left-aligned (names and origin); the numbers are right-aligned.
    private static let leftAligned: Set<Int> = [0, 1, 9]

    /// How many lines the table would have (pairs with figures, receiver ≠ sender).
    static func pairCount(_ matrix: MeshMatrix) -> Int { rows(matrix).count }

    /// The table: a title, the column titles, then a line per pair in matrix order.
    static func lines(_ matrix: MeshMatrix) -> [String] {
        let rows = rows(matrix)
        var lines = ["pairs (latency: 1w one-way, the clocks agree; rtt round trip; origin: here",
                     "       when measured here, else the age of the receiver's report)"]
        guard !rows.isEmpty else { return lines + ["  none yet"] }
        let table = [Row(texts: titles, isSelf: false)] + rows
        var widths = titles.indices.map { c in table.map { $0.width(c) }.max() ?? 0 }
        let gap = widths.reduce(0, +) + 2 * (widths.count - 1) <= 80 ? 2 : 1
        var excess = widths.reduce(0, +) + gap * (widths.count - 1) - 80
        while excess > 0, widths[0] > 8 || widths[1] > 8 {
            widths[widths[0] >= widths[1] ? 0 : 1] -= 1
            excess -= 1
        }
        for row in table {
            let cells = titles.indices.map { c in
                let text = row.text(c, width: widths[c])
                let pad = String(repeating: " ", count: max(0, widths[c] - text.count))
                return leftAligned.contains(c) ? text + pad : pad + text
            }
            lines.append(String(cells.joined(separator: String(repeating: " ", count: gap)).reversed().drop { $0 == " " }.reversed()))
        }
        return lines
    }

    /// One pair's texts; the receiver's name gets " *" when it is this host, kept when the name is cut.
    private struct Row {
        var texts: [String]
        var isSelf: Bool

        func width(_ column: Int) -> Int { texts[column].count + (column == 0 && isSelf ? 2 : 0) }

        /// The text of a column cut to `width` with "…" (only the names are ever cut).
        func text(_ column: Int, width: Int) -> String {
            let mark = column == 0 && isSelf ? " *" : ""
            let room = max(1, width - mark.count)
            let text = texts[column]
            return (text.count > room ? String(text.prefix(room - 1)) + "…" : text) + mark
        }
    }

    /// One row of texts per pair with figures.
    private static func rows(_ matrix: MeshMatrix) -> [Row] {
        var rows: [Row] = []
        for (r, receiver) in matrix.participants.enumerated() where r < matrix.cells.count {
            for (s, sender) in matrix.participants.enumerated() where s != r && s < matrix.cells[r].count {
                guard let cell = matrix.cells[r][s] else { continue }
                rows.append(Row(texts: row(cell, receiver: receiver, sender: sender), isSelf: receiver.isSelf))
            }
        }
        return rows
    }

    /// The texts of one pair: `h1  h2  50  0  0%  0  40µs 1w  12µs  1  here` (the receiver without its " *").
    static func row(_ cell: MeshCell, receiver: MeshParticipant, sender: MeshParticipant) -> [String] {
        let latency: String = switch cell.latency {
        case .oneWay(let ns)?: MeshPrinter.duration(ns) + " 1w"
        case .roundTrip(let ns)?: MeshPrinter.duration(ns) + " rtt"
        case nil: "-"
        }
        let jitter = cell.jitterNanoseconds.isFinite ? MeshPrinter.duration(Int64(saturating: cell.jitterNanoseconds.rounded())) : "-"
        var origin: String = switch cell.origin {
        case .measured: "here"
        case .reported(let age): NumberFormat.fixed(Double(age) / 1e9, 1) + "s"
        }
        if cell.isGone { origin += ", gone" }
        return [MeshPrinter.shortName(receiver), MeshPrinter.shortName(sender),
                "\(cell.received)", "\(cell.lost)", cell.lossPercent.map(MeshPrinter.percent) ?? "-", "\(cell.duplicates)",
                latency, jitter, cell.lastHopLimit.map { "\($0)" } ?? "-", origin].map(TerminalText.sanitize)
    }
}
