import MulticastExpert
import MulticastMonitor
import MulticastStreamList

/// One stream in depth, top to bottom: title, health and legend; packet and bit rate over the
/// last minute as graphs across the width with the impairments timeline under them; loss,
/// reordering, drops, jitter and delay percentiles; the decoded headers of its kind (RTP, the
/// MPEG-TS programs and PID table, iperf2, probes); its sources. The title rows stay; the rest
/// scrolls in the full-screen view and is cut, with a hint, in the Groups screen's pane.
///
/// Pure: a stream, a size and the glyphs give a canvas of exactly that size, so nothing drawn
/// here can spill over the table beside it. Only the stream shown is ever examined, so a
/// thousand streams cost the table, not this.
enum StreamDetailView {
    /// The narrowest terminal whose Groups screen shows the detail beside the table.
    static let minimumSplitWidth = 100
    /// Rows above the scrolled part at least: title, health, legend (which takes two rows
    /// in a narrow pane).
    static let titleRows = 3
    /// Rows of the scrolled part reserved for what follows the graphs before the graphs grow.
    static let rowsKeptForFigures = 12

    /// The pane's width on a terminal `terminalWidth` wide: 45 % of it, at least 45 columns.
    static func paneWidth(terminalWidth: Int) -> Int { max(terminalWidth * 45 / 100, 45) }

    /// A run of text in one style.
    typealias Span = (text: String, style: Style)

    /// One row of the detail: runs of text with their styles.
    struct Line {
        var spans: [Span]
        init(_ spans: [Span]) { self.spans = spans }
        init(_ text: String, _ style: Style = .normal) { spans = [(text, style)] }
    }

    /// Draws `stream` on a `width` × `height` canvas, the scrolled part starting `scroll` rows
    /// down. `isPane` says the view sits beside the table (the hint for a cut view then says
    /// Enter shows all, rather than how to scroll).
    static func render(_ stream: StreamStatistics?, width: Int, height: Int, scroll: Int, glyphs: Glyphs, isPane: Bool, placeholder: String = "no stream selected: join a group with j",
                       name: String? = nil) -> Canvas {
        var canvas = Canvas(width: width, height: height, glyphs: glyphs)
        guard let stream else {
            canvas.putWrapped(1, 1, placeholder, .dim, width: width - 2, rows: height - 1)
            return canvas
        }
        var title = titleLines(stream, width: width, glyphs: glyphs)
        // A stream-list name (`--streams`) leads the title; the table's row says which stream it is.
        if let name, !title.isEmpty { title[0].spans.insert((name + "  ", .header), at: 0) }
        for (y, line) in title.prefix(height).enumerated() { put(line, y: y, on: &canvas) }
        let top = title.count, available = height - top
        guard available > 0 else { return canvas }
        let body = bodyLines(stream, width: width, available: available, glyphs: glyphs)
        let first = min(max(scroll, 0), max(body.count - available, 0))
        let cut = body.count - first > available
        let shown = cut ? available - 1 : available
        for (i, line) in body.dropFirst(first).prefix(shown).enumerated() { put(line, y: top + i, on: &canvas) }
        if cut {
            let below = body.count - first - shown
            let hint = isPane ? "\(glyphs.arrow) \(below) more rows: Enter shows all" : "\(glyphs.arrow) \(below) more rows: PgDn End"
            canvas.put(0, height - 1, hint, .dim)
        }
        return canvas
    }

    /// How far the full-screen detail of `stream` scrolls on a body `width` × `height`: rows of
    /// the scrolled part that do not fit (one row goes to the hint while some are cut).
    static func maximumScroll(_ stream: StreamStatistics?, width: Int, height: Int) -> Int {
        guard let stream else { return 0 }
        let available = height - titleLines(stream, width: width, glyphs: .ascii).count
        guard available > 0 else { return 0 }
        let count = bodyLines(stream, width: width, available: available, glyphs: .ascii).count
        return max(count - available, 0)
    }

    private static func put(_ line: Line, y: Int, on canvas: inout Canvas) {
        canvas.put(0, y, spans: line.spans)
    }

    // MARK: Title

    /// Title, health and legend: ``titleRows`` lines, or one more when the legend wraps.
    static func titleLines(_ stream: StreamStatistics, width: Int, glyphs: Glyphs) -> [Line] {
        let sources = stream.sources.count
        let title = Line([
            ("\(GroupSpec.text(stream.key.group, port: stream.key.port)) on \(stream.key.interfaceName)", .accent),
            ("  \(stream.kind?.name ?? "detecting")  \(sources) source\(sources == 1 ? "" : "s")", .normal),
        ])
        let severity = StreamSeverity.of(stream)
        var brief = StreamHealth.brief(stream)
        if brief.isEmpty { brief = "ok" }
        if severity == .stale { brief = "stale: nothing for \(StreamSeverity.staleSeconds) s; " + brief }
        if SilentStreams.isSilent(stream) { brief = SilentStreams.health + ": nothing has arrived since the join; d runs the doctor" }
        let mark = severity == .normal ? "" : "\(severity.mark(glyphs)) "
        let health = Line([("health: ", .dim), (mark + brief, severity == .normal ? .ok : severity.style)])
        let block = String(glyphs.sparks[glyphs.sparks.count - 1]), axis = String(glyphs.horizontal)
        let legend = pack([
            [(block, .accent), (" pkt/s", .dim)], [(block, .info), (" bit/s", .dim)],
            [(axis + "3" + axis, .warn), ("*", .fail), (" lost+TS errors/s, *=10+", .dim)],
            [("\(glyphs.warnMark) warn", .warn), (" ", .dim), ("\(glyphs.failMark) fail", .fail), (" ", .dim), ("\(glyphs.staleMark) stale", .dim)],
        ], width: width)
        return [title, health] + legend
    }

    // MARK: Scrolled part

    /// Everything under the title, for a view `width` wide with `available` rows for it: the
    /// graphs grow from 2 to 4 rows each when there is room beyond the first rows that follow.
    static func bodyLines(_ stream: StreamStatistics, width: Int, available: Int, glyphs: Glyphs) -> [Line] {
        var rest = figureLines(stream, width: width)
        rest += decodedLines(stream, width: width, glyphs: glyphs)
        rest += sourceLines(stream, width: width, glyphs: glyphs)
        let graphRows = min(max((available - min(rest.count, rowsKeptForFigures) - 3) / 2, 2), 4)
        return graphLines(stream, width: width, rows: graphRows, glyphs: glyphs) + rest
    }

    /// Packet rate and bit rate over the complete seconds of the last minute (the current,
    /// partial second would always read low), and the impairments of the same seconds under them.
    static func graphLines(_ stream: StreamStatistics, width: Int, rows: Int, glyphs: Glyphs) -> [Line] {
        let packets = stream.rate.packetsPerSecondHistory.dropLast().map { Double($0) }
        let bits = stream.rate.bytesPerSecondHistory.dropLast().map { Double($0) * 8 }
        let impairments = Array(stream.impairments.perSecond.dropLast())
        let seconds = packets.count
        var lines: [Line] = []
        lines.append(Line([("pkt/s", .accent),
                           ("  max \(Format.compact(packets.max() ?? 0))  now \(Format.compact(packets.last ?? 0))  last \(seconds) s", .dim)]))
        lines += HistoryGraph.bars(packets, width: width, rows: rows, glyphs: glyphs).map { Line($0, .accent) }
        lines.append(Line([("bit/s", .info), ("  max \(Format.bitRate(bits.max() ?? 0))  now \(Format.bitRate(bits.last ?? 0))", .dim)]))
        lines += HistoryGraph.bars(bits, width: width, rows: rows, glyphs: glyphs).map { Line($0, .info) }
        lines.append(Line(runs(HistoryGraph.timeline(impairments, width: width, glyphs: glyphs))))
        return lines
    }

    /// Loss, reordering, duplicates, kernel drops, jitter, then the delay percentiles.
    static func figureLines(_ stream: StreamStatistics, width: Int) -> [Line] {
        var items: [(String, Style)] = []
        let lost = stream.lost, expected = stream.expected
        if expected > 0 {
            let percent = stream.lossPercent ?? 0
            items.append(("lost \(lost)/\(expected) (\(Format.fixed(percent, 2))%)",
                          lost == 0 ? .normal : percent >= StreamSeverity.failingLossPercent ? .fail : .warn))
        } else {
            let why = switch stream.kind {
            case nil: "lost: detecting"
            case .ts?: "lost: n/a (ts: see CC errors)"
            case .raw?: "lost: n/a (no sequence numbers)"
            default: "lost: -"
            }
            items.append((why, .dim))
        }
        items.append(("reordered \(stream.reordered)", .normal))
        items.append(("duplicates \(stream.duplicates)", .normal))
        items.append(("kernel drops \(stream.kernelDrops)", stream.kernelDrops > 0 ? .warn : .normal))
        if let jitter = stream.jitterNanoseconds { items.append(("jitter \(Format.milliseconds(jitter))", .normal)) }
        var lines = pack(items, width: width)
        for (name, percentiles) in [("latency", stream.delays.latencyPercentiles), ("delay var", stream.delays.delayVariationPercentiles)] {
            guard let p = percentiles else { continue }
            let points = [("p50", p.p50), ("p90", p.p90), ("p99", p.p99), ("max", p.max)].map { ("\($0.0) \(Format.milliseconds($0.1))", Style.normal) }
            lines += pack([(name, .dim)] + points, width: width, separator: " ")
        }
        return lines
    }

    /// The decoded headers of the stream's busiest source of a known kind.
    static func decodedLines(_ stream: StreamStatistics, width: Int, glyphs: Glyphs) -> [Line] {
        guard let source = stream.primarySource, let kind = source.payload.kind else {
            return [section("PAYLOAD", width: width, glyphs: glyphs), Line("detecting the payload kind (a few datagrams)", .dim)]
        }
        var lines: [Line] = []
        let decoders = source.payload.decoders
        switch kind {
        case .rtp, .rtpTS:
            lines.append(section("RTP", width: width, glyphs: glyphs))
            lines += rtpLines(decoders?.rtp, width: width)
            if kind == .rtpTS {
                lines.append(section("MPEG-TS", width: width, glyphs: glyphs))
                lines += transportStreamLines(decoders?.transportStream, width: width, glyphs: glyphs)
            }
        case .ts:
            lines.append(section("MPEG-TS", width: width, glyphs: glyphs))
            lines += transportStreamLines(decoders?.transportStream, width: width, glyphs: glyphs)
        case .iperf:
            lines.append(section("IPERF2", width: width, glyphs: glyphs))
            lines += sequenceLines(decoders?.iperf, sender: nil, width: width)
        case .probe:
            lines.append(section("PROBE", width: width, glyphs: glyphs))
            lines += sequenceLines(source.probe, sender: source.probe?.senderID, width: width)
        case .raw:
            lines.append(section("RAW", width: width, glyphs: glyphs))
            lines.append(Line("no sequence numbers: rates only, loss cannot be measured", .dim))
        }
        if let undecodable = decoders?.undecodable, undecodable > 0 {
            lines.append(Line("\(undecodable) datagrams did not decode as \(kind.name)", .warn))
        }
        return lines
    }

    static func rtpLines(_ rtp: RTPStreamTracker?, width: Int) -> [Line] {
        guard let rtp, let run = rtp.current else { return [Line("no RTP packet decoded yet", .dim)] }
        let clock = run.clockRate == 0 ? "unknown" : "\(run.clockRate) Hz"
        return pack([
            ("ssrc \(StreamHealth.hex32(run.ssrc))", .normal), ("pt \(run.payloadType)", .normal), ("clock \(clock)", .normal),
            ("highest seq \(run.highestExtendedSequence)", .normal), ("last ts \(run.lastTimestamp)", .normal), ("markers \(run.markers)", .normal),
            ("restarts \(rtp.restarts)", rtp.restarts > 0 ? .warn : .normal), ("ssrc changes \(rtp.ssrcChanges)", rtp.ssrcChanges > 0 ? .warn : .normal),
        ], width: width)
    }

    static func transportStreamLines(_ ts: TransportStreamAnalyzer?, width: Int, glyphs: Glyphs) -> [Line] {
        guard let ts else { return [Line("no transport stream packet yet", .dim)] }
        func error(_ name: String, _ count: UInt64) -> (String, Style) { ("\(name) \(count)", count > 0 ? .warn : .normal) }
        var lines = pack([
            ("packets \(ts.packets)", .normal), ("rate \(Format.bitRate(ts.bitsPerSecond))", .normal),
            ("null \(ts.nullPercent.map { Format.fixed($0, 1) } ?? "-")%", .normal),
        ], width: width)
        lines += pack([
            error("sync", ts.syncLosses.addingSaturating(ts.syncByteErrors)), error("cc", ts.continuityErrors), error("pat", ts.patErrors),
            error("pmt", ts.pmtErrors), error("pid", ts.pidErrors), error("tei", ts.transportErrors), error("crc", ts.crcErrors),
        ], width: width)
        let programs = ts.programs
        if programs.isEmpty {
            lines.append(Line("no PAT seen yet: programs unknown", .dim))
        }
        for program in programs {
            var spans: [Span] = [("program \(program.programNumber)  pmt \(Format.hex16(program.pmtPID)) ", .normal)]
            if program.pmtSeen {
                spans.append(("seen", .ok))
                if let pcr = program.pcrPID { spans.append(("  pcr \(Format.hex16(pcr))", .normal)) }
                spans.append(("  \(program.elementaryStreams.count) streams", .normal))
            } else {
                spans.append(("not seen", .warn))
            }
            lines.append(Line(spans))
        }
        let pids = ts.pids
        let cut = glyphs.ellipsis
        lines.append(Line("PID".fitted(8, cut) + "ROLE".fitted(15, cut) + "PACKETS".rightAligned(9) + "MBIT/S".rightAligned(8) + "CC".rightAligned(5), .header))
        for pid in pids {
            let row = Format.hex16(pid.pid).fitted(8, cut) + (pid.roleName + (pid.scrambled ? " scr" : "")).fitted(14, cut) + " "
                + String(pid.packets).rightAligned(9) + Format.fixed(pid.bitsPerSecond / 1e6, 2).rightAligned(8)
                + String(pid.continuityErrors).rightAligned(5)
            lines.append(Line(row, pid.continuityErrors > 0 ? .warn : .normal))
        }
        return lines
    }

    /// Probes' and iperf2's sequence and send-time figures.
    static func sequenceLines(_ tracker: ProbeSequenceTracker?, sender: UInt64?, width: Int) -> [Line] {
        guard let tracker else { return [Line("no datagram decoded yet", .dim)] }
        var items: [(String, Style)] = []
        if let sender { items.append(("sender \(String(sender, radix: 16))", .normal)) }
        items.append(("highest seq \(tracker.highestSequence)", .normal))
        if tracker.outOfRange > 0 { items.append(("out of range \(tracker.outOfRange)", .warn)) }
        if tracker.latencyIsPlausible, let average = tracker.latencyAverage {
            items.append(("latency avg \(Format.milliseconds(Double(average))) min \(Format.milliseconds(Double(tracker.latencyMin))) max \(Format.milliseconds(Double(tracker.latencyMax)))", .normal))
        } else {
            items.append(("latency n/a (sender clock differs)", .dim))
        }
        return pack(items, width: width)
    }

    /// One row per source, busiest first.
    static func sourceLines(_ stream: StreamStatistics, width: Int, glyphs: Glyphs) -> [Line] {
        var lines = [section("SOURCES", width: width, glyphs: glyphs)]
        for source in stream.sources.values.sorted(by: { ($0.packets, $1.source.description) > ($1.packets, $0.source.description) }) {
            let loss = source.lossPercent.map { "loss \(Format.fixed($0, 2))%" } ?? "loss -"
            lines.append(Line("\(source.source)  \(source.payload.kind?.name ?? "?")  \(Format.compact(source.rate.packetsPerSecond)) pkt/s  \(loss)  \(source.packets) pkts",
                              (source.lossPercent ?? 0) > 0 ? .warn : .normal))
        }
        if stream.untrackedPackets > 0 {
            lines.append(Line("+ \(stream.untrackedPackets) datagrams from sources beyond the \(stream.limits.maxSourcesPerStream) tracked", .dim))
        }
        return lines
    }

    // MARK: Helpers

    /// A section's heading: `── RTP ─────` across the width.
    static func section(_ title: String, width: Int, glyphs: Glyphs) -> Line {
        let rule = String(glyphs.horizontal)
        return Line(rule + rule + " " + title + " " + String(repeating: glyphs.horizontal, count: max(width - title.count - 4, 0)), .accent)
    }

    /// Items laid out left to right, `separator` between them, a new line when the next would
    /// not fit (an item wider than the view is cut by the canvas).
    static func pack(_ items: [(String, Style)], width: Int, separator: String = "  ") -> [Line] {
        pack(items.map { [$0] }, width: width, separator: separator)
    }

    /// Items of several runs each, laid out like ``pack(_:width:separator:)-(_,_,_)``.
    static func pack(_ items: [[Span]], width: Int, separator: String = "  ") -> [Line] {
        var lines: [Line] = []
        var spans: [Span] = []
        var used = 0
        for item in items {
            let length = item.reduce(0) { $0 + $1.text.count }
            if used > 0, used + separator.count + length > width {
                lines.append(Line(spans))
                spans = []
                used = 0
            }
            if used > 0 {
                spans.append((separator, .normal))
                used += separator.count
            }
            spans += item
            used += length
        }
        if !spans.isEmpty { lines.append(Line(spans)) }
        return lines
    }

    /// Neighbouring cells of one style joined into runs.
    static func runs(_ cells: [(Character, Style)]) -> [Span] {
        var spans: [Span] = []
        for (character, style) in cells {
            if let last = spans.last, last.style == style {
                spans[spans.count - 1].text.append(character)
            } else {
                spans.append((String(character), style))
            }
        }
        return spans
    }
}
