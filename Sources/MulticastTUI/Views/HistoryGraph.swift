/// Per-second histories drawn across a pane: bar graphs several rows high, and the timeline of
/// impairments under them. Both map column `c` of `width` to the same seconds, so a mark on the
/// timeline sits under the dip it explains. Pure: values and a width in, text out.
enum HistoryGraph {
    /// The samples (indexes into `count` of them) that column `column` of `width` covers: about
    /// `count / width` of them when the graph is narrower than the history, else one sample
    /// repeated over neighbouring columns. Never empty while `count > 0`.
    static func samples(column: Int, width: Int, count: Int) -> Range<Int> {
        guard width > 0, count > 0 else { return 0..<0 }
        let lower = min(column * count / width, count - 1)
        let upper = max((column + 1) * count / width, lower + 1)
        return lower..<min(upper, count)
    }

    /// `rows` rows of bars (top row first), `width` columns wide, scaled so the largest value
    /// fills every row; each column shows the largest of its seconds, and any non-zero value
    /// shows at least the lowest bar. With ASCII glyphs, the ASCII ramp of ``Glyphs/sparks``.
    static func bars(_ values: [Double], width: Int, rows: Int, glyphs: Glyphs) -> [String] {
        guard width > 0, rows > 0 else { return [] }
        let steps = glyphs.sparks.count - 1
        let peak = values.max() ?? 0
        let levels: [Int] = (0..<width).map { column in
            let range = samples(column: column, width: width, count: values.count)
            guard !range.isEmpty, peak > 0 else { return 0 }
            let value = values[range].max() ?? 0
            guard value > 0, value.isFinite else { return 0 }
            return max(1, Int((value / peak * Double(rows * steps)).rounded()))
        }
        return (0..<rows).map { row in
            let below = (rows - 1 - row) * steps
            return String(levels.map { glyphs.sparks[min(max($0 - below, 0), steps)] })
        }
    }

    /// The timeline under the graphs: at the first column of a second (or of a column's seconds,
    /// when narrower than the history) with impairments, their count as a digit, `*` for ten or
    /// more (warn, fail); elsewhere the axis line. One (character, style) per column.
    static func timeline(_ counts: [UInt32], width: Int, glyphs: Glyphs) -> [(Character, Style)] {
        guard width > 0 else { return [] }
        var previousStart = -1
        return (0..<width).map { column in
            let range = samples(column: column, width: width, count: counts.count)
            defer { previousStart = range.lowerBound }
            guard !range.isEmpty, range.lowerBound != previousStart else { return (glyphs.horizontal, .dim) }
            let total = counts[range].reduce(UInt64(0)) { $0 + UInt64($1) }
            switch total {
            case 0: return (glyphs.horizontal, .dim)
            case 1...9: return (Character(String(total)), .warn)
            default: return ("*", .fail)
            }
        }
    }
}
