import MulticastExpert
@testable import MulticastMonitor
@testable import MulticastTUI
import Testing

/// The Groups table with payload kinds, the stream detail (pane and full-screen), the
/// inspector's decoded headers and the join form's payload field, rendered to text from
/// streams of crafted RTP, MPEG-TS and probe datagrams.
@Suite("TUI stream detail and payload views")
struct StreamDetailTests {
    static let rtp = StreamFixtures.rtpStream()
    static let ts = StreamFixtures.transportStream()
    static let probe = StreamFixtures.probeStream()
    static let snapshot = StreamFixtures.snapshot([rtp, ts, probe])
    static let now = Timestamp(nanosecondsSinceEpoch: StreamFixtures.epoch + Int64(StreamFixtures.seconds) * StreamFixtures.second)
    /// The sizes the layout is checked at: below, at and well above the split.
    static let sizes: [(Int, Int)] = [(80, 24), (100, 30), (160, 48), (250, 70)]
    /// Rows of the table: RTP, TS, probe (sorted by group).
    static let rtpRow = 0, tsRow = 1, probeRow = 2

    func state(_ width: Int, _ height: Int, selected: Int, snapshot: MonitorSnapshot = Self.snapshot) -> AppState {
        var state = AppState(hostName: "testhost", privileged: false)
        _ = state.handle(.resize(width: width, height: height))
        _ = state.handle(.interfaces(StateAndRenderTests.table, defaultGateways: [2]))
        _ = state.handle(.snapshot(snapshot))
        state.groups.cursor.index = selected
        return state
    }

    func render(_ state: AppState, glyphs: Glyphs = .unicode) -> Canvas { Renderer.render(state, glyphs: glyphs, now: Self.now) }

    func lines(_ canvas: Canvas) -> [String] { canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// Where the pane starts on a terminal `width` wide (the border is the column before).
    func paneStart(_ width: Int) -> Int { width - StreamDetailView.paneWidth(terminalWidth: width) }

    /// The text of row `y` from column `x` on.
    func text(_ canvas: Canvas, row y: Int, from x: Int) -> String { String(canvas.row(y).dropFirst(x)).replacingTrailingSpaces() }

    /// Rows (from column `x`) made only of bar glyphs, with how many glyphs each has.
    func barRows(_ canvas: Canvas, from x: Int, glyphs: Glyphs) -> [(y: Int, bars: Int)] {
        (0..<canvas.height).compactMap { y in
            let cells = Array(canvas.row(y).dropFirst(x))
            guard cells.contains(glyphs.sparks.last!), cells.allSatisfy({ glyphs.sparks.contains($0) }) else { return nil }
            return (y, cells.filter { $0 != " " }.count)
        }
    }

    @Test("the groups screen fits every size: KIND always, the detail pane from 100 columns, with a border down the body",
          arguments: sizes)
    func layout(size: (Int, Int)) throws {
        let (width, height) = size
        for selected in [Self.rtpRow, Self.tsRow, Self.probeRow] {
            let canvas = render(state(width, height, selected: selected))
            let rows = lines(canvas)
            #expect(rows.count == height && rows.allSatisfy { $0.count <= width }, "\(width)x\(height)")
            let header = try #require(rows.first { $0.hasPrefix("  GROUP:PORT") })
            let kind = try #require(header.ranges(of: "KIND").first.map { header.distance(from: header.startIndex, to: $0.lowerBound) })
            for (row, name) in [(3, "rtp"), (4, "ts"), (5, "probe")] {
                #expect(String(Array(rows[row]).dropFirst(kind).prefix(name.count)) == name, "KIND of row \(row) at \(width): \(rows[row])")
            }
            let stream = [Self.rtp, Self.ts, Self.probe][selected]
            let title = "\(GroupSpec.text(stream.key.group, port: stream.key.port)) on eth0"
            guard width >= StreamDetailView.minimumSplitWidth else {
                #expect(!canvas.text.contains("health: ") && !canvas.text.contains(title + "  "), "no pane at \(width) columns")
                continue
            }
            let pane = paneStart(width)
            for y in 2..<(height - 2) { #expect(canvas.character(pane - 1, y) == "│", "border at row \(y), \(width) columns") }
            #expect(text(canvas, row: 2, from: pane).hasPrefix(title + "  \(stream.kind!.name)  1 source"), "pane title: \(canvas.row(2))")
            #expect(text(canvas, row: 3, from: pane).hasPrefix("health: "))
            #expect(!text(canvas, row: 2, from: 0).prefix(pane - 1).contains("on eth0"), "the table stops at the border")
        }
    }

    @Test("graphs span the pane (or the full-screen detail) at every size; ASCII glyphs draw them in ASCII", arguments: sizes)
    func graphsFillTheWidth(size: (Int, Int)) {
        let (width, height) = size
        for glyphs in [Glyphs.unicode, .ascii] {
            var s = state(width, height, selected: Self.probeRow)
            if width < StreamDetailView.minimumSplitWidth { _ = s.handle(.key(.enter)) }
            let canvas = render(s, glyphs: glyphs)
            let x = width < StreamDetailView.minimumSplitWidth ? 0 : paneStart(width)
            let bars = barRows(canvas, from: x, glyphs: glyphs)
            #expect(bars.count >= 4 && bars.count <= 8, "2 to 4 rows per graph at \(width)x\(height): \(bars)")
            #expect(bars.allSatisfy { $0.bars == width - x }, "a steady stream's bars fill the width \(width - x): \(bars)")
            if glyphs == .ascii {
                let body = (2..<(height - 2)).map { canvas.row($0) }.joined()
                #expect(body.unicodeScalars.allSatisfy { $0.isASCII }, "ASCII glyphs draw no other characters: \(canvas.text)")
            }
        }
    }

    @Test("rows are coloured by severity: large loss fails, CC errors warn, a clean stream is normal; HEALTH shows when wide")
    func severityAndHealth() throws {
        let wide = render(state(250, 70, selected: Self.probeRow))
        #expect(wide.style(0, 3) == .fail, "RTP with 3.26% loss")
        #expect(wide.style(0, 4) == .warn, "TS with recent CC errors")
        let rows = lines(wide)
        #expect(rows[2].contains("HEALTH"))
        #expect(rows[3].contains("lost ") && rows[3].contains("ssrc 0x1a2b3c4d") && rows[3].contains("3.26"), "\(rows[3])")
        #expect(rows[4].contains("cc 2"), "\(rows[4])")
        let other = render(state(80, 24, selected: Self.rtpRow))
        #expect(other.style(0, 5) == .normal, "the probe stream lost nothing")
        #expect(!lines(other)[2].contains("HEALTH"), "no room for HEALTH at 80 columns")
    }

    @Test("at 80x24 Enter opens the detail full-screen; Esc, Enter and q go back to the table")
    func fullScreenDetail() throws {
        var s = state(80, 24, selected: Self.tsRow)
        #expect(s.handle(.key(.enter)).isEmpty)
        #expect(s.keyContext == .streamDetail && s.detail.stream == Self.ts.key)
        let canvas = render(s)
        let rows = lines(canvas)
        #expect(!canvas.text.contains("GROUP:PORT"), "the detail covers the table")
        #expect(rows[2] == "239.1.1.2:5000 on eth0  ts  1 source")
        #expect(rows[3] == "health: ! cc 2")
        #expect(barRows(canvas, from: 0, glyphs: .unicode).allSatisfy { $0.bars == 80 })
        #expect(rows[23].hasPrefix("? help  x hexdump  Esc/q back"))
        for key in [Key.escape, .enter, .character("q")] {
            var t = s
            _ = t.handle(.key(key))
            #expect(t.keyContext == .groups && !t.quitRequested, "\(key.name) goes back")
            #expect(render(t).text.contains("GROUP:PORT"))
        }
    }

    @Test("the full-screen detail scrolls to the sources at End and back at Home, never past its last row")
    func scrolling() throws {
        var s = state(80, 24, selected: Self.tsRow)
        _ = s.handle(.key(.enter))
        #expect(render(s).text.contains("↳") && render(s).text.contains("more rows: PgDn End"))
        _ = s.handle(.key(.end))
        let maximum = StreamDetailView.maximumScroll(s.detailStream, width: 80, height: 20)
        #expect(maximum > 0 && s.detail.scroll == maximum)
        let bottom = render(s).text
        #expect(bottom.contains("── SOURCES") && bottom.contains("198.18.0.1:4000  ts  20 pkt/s"), "\(bottom)")
        #expect(bottom.contains("239.1.1.2:5000 on eth0  ts"), "the title stays")
        _ = s.handle(.key(.down))
        #expect(s.detail.scroll == maximum)
        _ = s.handle(.key(.home))
        #expect(s.detail.scroll == 0 && render(s).text.contains("pkt/s  max 20"))
    }

    @Test("the TS detail lists the program from the PAT and the PID table with CC errors per PID")
    func transportStreamDetail() throws {
        let canvas = render(state(160, 48, selected: Self.tsRow))
        let pane = paneStart(160)
        let rows = (0..<48).map { text(canvas, row: $0, from: pane) }
        #expect(rows.contains("sync 0  cc 2  pat 0  pmt 0  pid 0  tei 0  crc 0"), "\(rows)")
        #expect(rows.contains("program 1  pmt 0x0100 seen  pcr 0x0101  2 streams"))
        let header = try #require(rows.firstIndex { $0.hasPrefix("PID     ROLE") })
        #expect(rows[header] == "PID     ROLE             PACKETS  MBIT/S   CC")
        let table = rows[(header + 1)...].prefix(5).map { $0.split(separator: " ").map(String.init) }
        #expect(table.map { $0[0] } == ["0x0000", "0x0100", "0x0101", "0x0102", "0x1fff"])
        #expect(table.map { $0[1] } == ["PAT", "PMT", "H.264", "AAC", "null"])
        #expect(table.map { $0.last! } == ["0", "0", "2", "0", "0"], "CC errors only on the video PID")
        #expect(canvas.style(pane, header + 3) == .warn, "the PID with CC errors is marked")
        #expect(rows.contains { $0.hasPrefix("lost: n/a (ts: see CC errors)") })
    }

    @Test("the RTP detail shows the SSRC and run; the timeline marks each loss under its second of the graph")
    func rtpDetailAndTimeline() throws {
        let canvas = render(state(160, 48, selected: Self.rtpRow))
        let pane = paneStart(160), width = 160 - pane
        let rows = (0..<48).map { text(canvas, row: $0, from: pane) }
        let rtp = try #require(rows.firstIndex { $0.hasPrefix("── RTP") })
        let fields = rows[(rtp + 1)...].prefix(2).joined(separator: "  ")
        #expect(fields == "ssrc 0x1a2b3c4d  pt 96  clock 90000 Hz  highest seq 1624  last ts 5846400  markers 0  restarts 0  ssrc changes 0", "\(rows)")
        #expect(rows.contains { $0.hasPrefix("lost 53/1625 (3.26%)") })
        #expect(rows.contains { $0.hasPrefix("delay var p50 ") })
        let bars = barRows(canvas, from: pane, glyphs: .unicode)
        let top = Array(canvas.row(bars[0].y).dropFirst(pane)), bottom = Array(canvas.row(bars[bars.count / 2 - 1].y).dropFirst(pane))
        let timelineRow = try #require((0..<48).first { Array(canvas.row($0).dropFirst(pane)).filter { $0 == "─" }.count > width / 2 })
        let timeline = Array(canvas.row(timelineRow).dropFirst(pane))
        #expect(timeline.count == width)
        // Three lost in second 20: the dip and the "3" share a column.
        let three = try #require(timeline.firstIndex(of: "3"), "\(String(timeline))")
        #expect(top[three] != "█" && top[three] != " ", "the dip above the 3: \(String(top))")
        #expect(canvas.style(pane + three, timelineRow) == .warn)
        // The two-second outage: empty columns, and the 50 losses marked where the stream came back.
        let gap = try #require(bottom.lastIndex(of: " "), "the outage: \(String(bottom))")
        #expect(timeline[gap + 1] == "*", "\(String(timeline))")
        #expect(canvas.style(pane + gap + 1, timelineRow) == .fail)
        #expect(timeline.filter { $0 != "─" }.count == 2)
    }

    @Test("the probe detail shows sender, sequence and plausible latency; a stream still detecting says so")
    func probeAndDetecting() throws {
        let probe = render(state(160, 48, selected: Self.probeRow)).text
        #expect(probe.contains("sender c0ffee  highest seq 649") && probe.contains("latency avg 2.225ms min 2.000ms max 2.450ms"), "\(probe)")
        #expect(probe.contains("health: ok"))
        var detecting = StreamStatistics(key: StreamKey(group: try MulticastGroup(parsing: "239.9.9.9"), port: 5000, interfaceIndex: 2, interfaceName: "eth0"))
        detecting.record(Datagram(payload: [1, 2, 3], source: SocketAddress(address: IPAddress("198.18.0.9")!, port: 1), group: detecting.key.group, port: 5000,
                                  interfaceIndex: 2, interfaceName: "eth0", receivedAt: Self.now), now: StreamFixtures.end)
        let text = render(state(100, 30, selected: 0, snapshot: StreamFixtures.snapshot([detecting]))).text
        #expect(text.contains("  239.9.9.9:5000 eth0   ?"), "KIND is ? while detecting: \(text)")
        #expect(text.contains("health: detecting") && text.contains("detecting the payload kind"))
    }

    @Test("the inspector decodes RTP and every TS packet of the capture: PID, CC, PUSI, AF/payload, discontinuity, TEI, scrambling")
    func inspectorDecodesTransportStream() throws {
        let packets = [
            StreamFixtures.tsPacket(pid: 0, cc: 3, payloadUnitStart: true, payload: [0] + StreamFixtures.pat),
            StreamFixtures.tsPacket(pid: 0x101, cc: 4, adaptation: true, adaptationFlags: 0x80),
            StreamFixtures.tsPacket(pid: 0x102, cc: 15, transportError: true),
            StreamFixtures.tsPacket(pid: 0x103, cc: 0, scrambling: 2),
        ]
        let datagram = StreamFixtures.rtp(sequence: 7, timestamp: 900, ssrc: 0xDEAD_BEEF, payloadType: 33, marker: true, payload: packets.flatMap { $0 })
        let captured = CapturedDatagram(payloadPrefix: datagram, length: datagram.count, source: SocketAddress(address: IPAddress("198.18.0.1")!, port: 4000),
                                        receivedAt: Self.now)
        let decoded = DecodedHeaderLines.lines(captured, kind: .rtpTS)
        #expect(decoded.map(\.0) == [
            "rtp: pt 33  seq 7  ts 900  ssrc 0xdeadbeef  M  payload at 12, 752 B",
            "ts 1/4: pid 0x0000 (0)  cc 3     pusi payload",
            "ts 2/4: pid 0x0101 (257)  cc 4        af+payload  disc",
            "ts 3/4: pid 0x0102 (258)  cc 15       payload  TEI",
            "ts 4/4: pid 0x0103 (259)  cc 0        payload  scrambled 2",
        ])
        #expect(decoded[3].1 == .fail, "a transport error stands out")
        let cut = CapturedDatagram(payloadPrefix: Array(datagram.prefix(300)), length: datagram.count, source: captured.source, receivedAt: Self.now)
        #expect(DecodedHeaderLines.lines(cut, kind: .rtpTS).map(\.0).last == "ts 2-4/4: not captured (the capture keeps 300 of 764 bytes)")
        #expect(DecodedHeaderLines.lines(cut, kind: .rtp).first?.0.hasPrefix("rtp: pt 33  seq 7") == true)
    }

    @Test("x on a TS stream shows one line per TS packet, above the hexdump at 80 columns and beside it at 160")
    func inspectorScreen() throws {
        let limits = StatisticsLimits(maxSourcesPerStream: 64, capturedDatagramsPerStream: 4, captureLength: 1400)
        let snapshot = StreamFixtures.snapshot([StreamFixtures.rtpStream(limits: limits), StreamFixtures.transportStream(limits: limits)])
        for width in [80, 160] {
            var s = state(width, 24, selected: Self.tsRow, snapshot: snapshot)
            _ = s.handle(.key(.character("x")))
            let rows = lines(render(s))
            let x = width == 80 ? 0 : InspectorView.hexdumpWidth + 2
            let decoded = rows.map { String($0.dropFirst(x)) }.filter { $0.hasPrefix("ts ") }
            #expect(decoded.count == 7, "\(rows.joined(separator: "\n"))")
            #expect(decoded.allSatisfy { $0.contains("pid 0x") && $0.contains("cc ") && $0.contains("payload") })
            let firstDump = try #require(rows.firstIndex { $0.hasPrefix("00000000  47 ") })
            let firstTS = try #require(rows.firstIndex { String($0.dropFirst(x)).hasPrefix("ts 1/7") })
            #expect(width == 80 ? firstTS < firstDump : firstTS == firstDump, "\(width): ts at \(firstTS), hexdump at \(firstDump)")
        }
        var s = state(160, 24, selected: Self.rtpRow, snapshot: snapshot)
        _ = s.handle(.key(.character("x")))
        #expect(render(s).text.contains("rtp: pt 96  seq 1624  ts 5846400  ssrc 0x1a2b3c4d  payload at 12, 1000 B"))
    }

    @Test("the join form's payload field: auto by default, a kind by name, anything else an error naming the choices")
    func joinFormPayload() throws {
        var s = state(80, 24, selected: 0)
        _ = s.handle(.key(.character("j")))
        for c in "239.1.2.3:5000" { _ = s.handle(.key(.character(c))) }
        let group = try MulticastGroup(parsing: "239.1.2.3")
        if case .success(let subscription) = s.joinForm?.validated(against: StateAndRenderTests.table) {
            #expect(subscription.payload.choice == .auto, "auto unless the field names a kind")
        } else { Issue.record("a group alone must validate") }
        for _ in 0..<3 { _ = s.handle(.key(.tab)) }
        for c in "rtpx" { _ = s.handle(.key(.character(c))) }
        let text = render(s).text
        #expect(text.contains("Payload      rtpx_"))
        #expect(text.contains("payload \"rtpx\" is not one of auto, probe, rtp, ts, rtp-ts, iperf,"), "\(text)")
        #expect(s.handle(.key(.enter)).isEmpty)
        #expect(s.status == StatusMessage(text: "payload \"rtpx\" is not one of auto, probe, rtp, ts, rtp-ts, iperf, raw", style: .error))
        _ = s.handle(.key(.backspace))
        #expect(render(s).text.contains("ok: Enter joins 239.1.2.3 port 5000 as rtp"))
        #expect(s.handle(.key(.enter)) == [.join(Subscription(groups: [group], port: 5000, payload: PayloadOptions(choice: .forced(.rtp))))])
    }

    @Test("Space expands a row far down a long table: each source shows its own kind, and the row stays in view")
    func expandedSources() throws {
        var streams = (1...40).map { i in StreamFixtures.stream("239.3.0.\(i)", perSecond: 1) { _ in [UInt8](repeating: 0, count: 20) } }
        var mixed = StreamFixtures.rtpStream("239.3.1.1")
        for i in 0..<4 {
            let probe = ProbeHeader(senderID: 9, sequence: UInt64(i), sendTimeNanoseconds: 0).datagram(size: 64)
            mixed.record(Datagram(payload: probe, source: SocketAddress(address: IPAddress("198.18.0.2")!, port: 4000), group: mixed.key.group, port: 5000,
                                  interfaceIndex: 2, interfaceName: "eth0", receivedAt: Self.now), now: StreamFixtures.end + Int64(i))
        }
        streams.append(mixed)
        var s = state(80, 24, selected: 0, snapshot: StreamFixtures.snapshot(streams))
        _ = s.handle(.key(.end))
        _ = s.handle(.key(.character(" ")))
        let canvas = render(s)
        let rows = lines(canvas)
        let row = try #require(rows.firstIndex { $0.hasPrefix("× 239.3.1.1:5000") }, "\(canvas.text)")
        #expect(canvas.style(0, row) == .selected)
        #expect(rows[row + 1].hasPrefix("    ↳ 198.18.0.1:4000") && rows[row + 1].contains(" rtp "), "\(rows[row + 1])")
        #expect(rows[row + 2].hasPrefix("    ↳ 198.18.0.2:4000") && rows[row + 2].contains(" probe "), "\(rows[row + 2])")
        #expect(rows[row - 1].hasPrefix("  239.3.0.40:5000") && rows[row - 1].contains(" raw "), "the stream before, still above: \(rows[row - 1])")
    }

    @Test("the pane shows only the selected stream: moving the cursor changes it, and a stream that went away says so")
    func paneFollowsCursor() throws {
        var s = state(100, 30, selected: Self.rtpRow)
        #expect(render(s).text.contains("ssrc 0x1a2b3c4d  pt 96"))
        _ = s.handle(.key(.down))
        let ts = render(s).text
        #expect(ts.contains("── MPEG-TS") && !ts.contains("── RTP"))
        _ = s.handle(.key(.enter))
        _ = s.handle(.snapshot(StreamFixtures.snapshot([Self.rtp, Self.probe])))
        #expect(render(s).text.contains("239.1.1.2:5000 on eth0 is no longer received (left?); Esc goes back"))
        _ = s.handle(.key(.escape))
        #expect(s.keyContext == .groups)
    }
}
