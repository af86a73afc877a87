import Foundation
import NetnsLab
import Testing

/// `mcexpert listen` against senders it did not write: ffmpeg (MPEG-TS over UDP, MPEG-TS over
/// RTP, RTP audio and video) and iperf2, from host A to host B across the lab's veth pair.
/// Faults are exact (nftables drops every Nth datagram on A's egress and its counter is the
/// truth; a relay on A swaps a known number of datagrams), and Wireshark reads a capture taken
/// on B's interface as an independent witness. All traffic stays inside the two namespaces:
/// every sender names A's address 198.18.0.1 (so its packets leave by `va`), every listener `vb`.
@Suite("listen measures real ffmpeg and iperf2 streams as nftables and Wireshark count them",
       .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct RealStreamTests {
    let port = TestPorts.unique()

    // MARK: MPEG-TS over UDP

    @Test("ffmpeg's MPEG-TS over UDP is read as ts with its PAT, PMT and video PID; each dropped datagram is one continuity error, as Wireshark counts them",
          .enabled(if: ExternalTool.shouldRun("ffmpeg") && ExternalTool.shouldRun("nft") && ExternalTool.shouldRun("tshark"),
                   "needs ffmpeg, nft and tshark (apt-get install ffmpeg nftables tshark)"),
          arguments: [0, 10])
    func transportStreamOverUDP(dropEvery: Int) throws {
        let hosts = try TwoHosts("rsts")
        defer { hosts.tearDown() }
        let group = "239.71.0.1"
        let capture = try PacketCapture(in: hosts.b, interface: "vb", udpPort: port)
        // pkt_size=188: one TS packet per datagram, so a dropped datagram removes exactly one TS
        // packet. ffmpeg's mpegts muxer without -muxrate writes no null packets (PID 0x1FFF) and
        // no adaptation-only packets here: every packet of PAT (0), SDT (0x11), PMT (0x1000) and
        // video (0x100) has adaptation_field_control 01 or 11 (the capture is checked for that
        // below), so every dropped packet advanced its PID's continuity counter and leaves a gap. Two gaps merge into one error only when two successive packets of one PID are
        // both dropped; Wireshark's per-gap `mp2t.analysis.skips` shows when that happened.
        let run = try RealSender(hosts: hosts, group: group, port: port).measure(
            sender: ffmpegVideo + ["-f", "mpegts", "udp://\(group):\(port)?localaddr=\(TwoHosts.addressA)&ttl=2&pkt_size=188"],
            detectedKind: "ts", dropEvery: dropEvery)
        capture.stop()

        #expect(run.stream.string("kind") == "ts", "\(run.stream)")
        #expect(run.stream.int("kernel_drops") == 0)
        #expect(run.stream["lost"] == nil && run.stream["rtp"] == nil, "plain TS over UDP has no sequence numbers to count loss from")
        let ts = try #require(run.stream.object("ts"), "\(run.stream)")
        for key in ["sync_byte_errors", "sync_losses", "pat_errors", "pmt_errors", "pid_errors", "transport_errors", "malformed_datagrams"] {
            #expect(ts.int(key) == 0, "\(key) in \(ts)")
        }
        #expect(ts.double("null_percent") == 0)
        #expect(ts.int("packets") == run.stream.int("packets"), "one TS packet per datagram")
        #expect(run.datagrams.filter { $0["kind"] != nil }.allSatisfy { $0.string("kind") == "ts" && $0.int("ts_packets") == 1 })

        // The program as Wireshark reads it from the PAT and PMT.
        let tables = try Wireshark.fields(capture.path, ["mpeg_pat.prog_map_pid", "mpeg_pmt.stream.elementary_pid"], options: ["-d", "udp.port==\(port),mp2t"])
        let pmtPID = try #require(tables.lazy.compactMap { Int($0[0].dropFirst(2), radix: 16) }.first, "Wireshark found a PAT")
        let videoPID = try #require(tables.lazy.compactMap { $0.count > 1 ? Int($0[1].dropFirst(2), radix: 16) : nil }.first, "Wireshark found a PMT")
        let pids = (ts["pids"] as? [[String: Any]]) ?? []
        let byPID = Dictionary(pids.compactMap { entry in entry.int("pid").map { ($0, entry) } }, uniquingKeysWith: { first, _ in first })
        for pid in [0, pmtPID, videoPID] {
            #expect((byPID[pid]?.int("packets") ?? 0) > 0, "PID \(pid) listed with packets: \(pids)")
        }

        let headers = try Wireshark.fields(capture.path, ["mp2t.pid", "mp2t.afc"], options: ["-d", "udp.port==\(port),mp2t"])
        #expect(headers.count == run.stream.int("packets"), "the capture and listen saw the same datagrams")
        #expect(!headers.contains { $0.first == "0x00001fff" || !["0x00000001", "0x00000003"].contains($0.last ?? "") },
                "ffmpeg sent no null packets and only packets with payload (adaptation_field_control 01 or 11)")
        let gaps = try Wireshark.continuityGaps(capture.path, udpPort: port)
        let wiresharkGaps = gaps.values.reduce(0) { $0 + $1.gaps }
        let missing = gaps.values.reduce(0) { $0 + $1.missingPackets }
        #expect(missing == run.dropped, "Wireshark sees every dropped TS packet missing: \(gaps)")
        // Every drop is one error, except where two successive packets of one PID fell together.
        #expect(ts.int("continuity_errors") == run.dropped - (missing - wiresharkGaps), "dropped \(run.dropped), Wireshark gaps \(gaps), mcexpert \(pids)")
        for (pid, gap) in gaps {
            #expect(byPID[pid]?.int("continuity_errors") == gap.gaps, "PID \(pid): Wireshark \(gap), mcexpert \(byPID[pid] ?? [:])")
        }
        if dropEvery == 0 {
            #expect(ts.int("continuity_errors") == 0)
        } else {
            #expect(run.dropped > 0)
        }
        Self.report("ts over udp, drop every \(dropEvery): dropped \(run.dropped), Wireshark gaps \(wiresharkGaps) (missing packets \(missing)), mcexpert continuity errors \(ts.int("continuity_errors") ?? -1)")
    }

    // MARK: MPEG-TS over RTP

    @Test("ffmpeg's MPEG-TS over RTP (PT 33) is read as rtp-ts: RTP loss is exactly the datagrams nftables dropped, and continuity errors appear only with drops",
          .enabled(if: ExternalTool.shouldRun("ffmpeg") && ExternalTool.shouldRun("nft"), "needs ffmpeg and nft (apt-get install ffmpeg nftables)"),
          arguments: [0, 10])
    func transportStreamOverRTP(dropEvery: Int) throws {
        let hosts = try TwoHosts("rsrtpts")
        defer { hosts.tearDown() }
        let group = "239.71.0.2"
        let run = try RealSender(hosts: hosts, group: group, port: port).measure(
            sender: ffmpegVideo + ["-f", "rtp_mpegts", "rtp://\(group):\(port)?localaddr=\(TwoHosts.addressA)&ttl=2"],
            detectedKind: "rtp-ts", dropEvery: dropEvery)

        #expect(run.stream.string("kind") == "rtp-ts", "\(run.stream)")
        #expect(run.stream.int("kernel_drops") == 0)
        let rtp = try #require(run.stream.object("rtp"), "\(run.stream)")
        let ts = try #require(run.stream.object("ts"), "\(run.stream)")
        #expect(rtp.int("payload_type") == 33)
        #expect(rtp.int("clock_rate") == 90_000)
        #expect(rtp.int("lost") == run.dropped, "nftables dropped \(run.dropped); rtp \(rtp)")
        #expect(run.stream.int("lost") == run.dropped)
        #expect(rtp.int("expected") == (run.stream.int("packets") ?? 0) + run.dropped)
        #expect(rtp.int("reordered") == 0 && rtp.int("duplicates") == 0 && rtp.int("restarts") == 0 && rtp.int("ssrc_changes") == 0)
        #expect(ts.int("pat_errors") == 0 && ts.int("pmt_errors") == 0 && ts.int("sync_byte_errors") == 0)
        if dropEvery == 0 {
            #expect(ts.int("continuity_errors") == 0, "\(ts)")
        } else {
            #expect(run.dropped > 0)
            // A datagram holds 7 TS packets, so each drop leaves a gap on one to seven PIDs.
            let errors = ts.int("continuity_errors") ?? 0
            #expect(errors > 0 && errors <= 7 * run.dropped, "\(errors) continuity errors for \(run.dropped) dropped datagrams")
        }
        Self.report("rtp-ts, drop every \(dropEvery): dropped \(run.dropped), rtp lost \(rtp.int("lost") ?? -1), continuity errors \(ts.int("continuity_errors") ?? -1)")
        let tagged = run.datagrams.filter { $0["kind"] != nil }
        #expect(!tagged.isEmpty && tagged.allSatisfy { $0.string("kind") == "rtp-ts" && $0.int("ts_packets") == 7 && $0.int("rtp_payload_type") == 33 })
    }

    // MARK: RTP elementary streams

    /// An RTP elementary stream from ffmpeg: how it is made, and what listen should make of it.
    struct ElementaryStream: CustomTestStringConvertible, Sendable {
        var name: String
        var ffmpeg: [String]
        var listenOptions: [String]
        var payloadType: Int
        var clockRate: Int
        /// Whether Wireshark knows the clock (a static payload type) and so computes jitter.
        var wiresharkKnowsClock: Bool
        var testDescription: String { name }
    }

    static let elementaryStreams = [
        ElementaryStream(name: "G.711 µ-law audio, PT 0, 8 kHz, 20 ms packets",
                         ffmpeg: ["-re", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=8000:samples_per_frame=160",
                                  "-t", "30", "-c:a", "pcm_mulaw", "-ar", "8000"],
                         listenOptions: [], payloadType: 0, clockRate: 8000, wiresharkKnowsClock: true),
        // Wireshark cannot know the clock of a dynamic payload type without the SDP, and prints
        // jitter -1/0/0 for it; mcexpert is told with --rtp-clock.
        ElementaryStream(name: "MPEG-4 video, dynamic PT 96, --rtp-clock 90000",
                         ffmpeg: ["-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "30", "-c:v", "mpeg4", "-b:v", "300k"],
                         listenOptions: ["--rtp-clock", "90000"], payloadType: 96, clockRate: 90_000, wiresharkKnowsClock: false),
    ]

    @Test("an ffmpeg RTP stream is read as rtp: loss is exactly what nftables dropped and what Wireshark counts, and the final jitter matches Wireshark's RFC 3550 estimate",
          .enabled(if: ExternalTool.shouldRun("ffmpeg") && ExternalTool.shouldRun("nft") && ExternalTool.shouldRun("tshark"),
                   "needs ffmpeg, nft and tshark (apt-get install ffmpeg nftables tshark)"),
          arguments: elementaryStreams)
    func elementaryRTP(stream: ElementaryStream) throws {
        let hosts = try TwoHosts("rsrtp")
        defer { hosts.tearDown() }
        let group = "239.71.0.3"
        let capture = try PacketCapture(in: hosts.b, interface: "vb", udpPort: port)
        let run = try RealSender(hosts: hosts, group: group, port: port).measure(
            listen: stream.listenOptions,
            sender: ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"] + stream.ffmpeg + ["-f", "rtp", "rtp://\(group):\(port)?localaddr=\(TwoHosts.addressA)&ttl=2"],
            detectedKind: "rtp", dropEvery: 10)
        capture.stop()

        #expect(run.stream.string("kind") == "rtp", "\(run.stream)")
        #expect(run.stream.int("kernel_drops") == 0)
        let rtp = try #require(run.stream.object("rtp"), "\(run.stream)")
        #expect(rtp.int("payload_type") == stream.payloadType)
        #expect(rtp.int("clock_rate") == stream.clockRate)
        #expect(run.dropped > 0)
        #expect(rtp.int("lost") == run.dropped, "nftables dropped \(run.dropped); rtp \(rtp)")
        #expect(run.stream.int("lost") == run.dropped)
        #expect(rtp.int("reordered") == 0 && rtp.int("duplicates") == 0)

        // Datagram lines carry the RTP header; the sequence gaps between them are the drops.
        let tagged = run.datagrams.filter { $0["kind"] != nil }
        #expect(tagged.count >= run.datagrams.count - 5, "kind is settled within the first few datagrams")
        #expect(tagged.allSatisfy { $0.string("kind") == "rtp" && $0.int("rtp_payload_type") == stream.payloadType && $0.string("rtp_ssrc") == rtp.string("ssrc") })
        let sequences = tagged.compactMap { $0.int("rtp_sequence") }
        #expect(sequences.count == tagged.count)
        let gaps = zip(sequences, sequences.dropFirst()).reduce(0) { $0 + Int(UInt16(truncatingIfNeeded: $1.1 &- $1.0) &- 1) }
        #expect(gaps == run.dropped, "sequence gaps in the datagram lines")

        // Wireshark over the capture on vb (taken after the drops, so it holds what B received).
        let ssrcText = try #require(rtp.string("ssrc"))
        let ssrc = try #require(UInt32(ssrcText.dropFirst(2), radix: 16))
        let wireshark = try #require(try Wireshark.rtpStreams(capture.path).first { $0.ssrc == ssrc }, "Wireshark found the RTP stream")
        #expect(wireshark.lost == run.dropped, "Wireshark \(wireshark)")
        #expect(wireshark.packets == run.stream.int("packets"), "the capture and listen saw the same datagrams: \(wireshark)")
        #expect(rtp.int("expected") == wireshark.packets + wireshark.lost)

        // Jitter. Both sides stamp a datagram with the same kernel receive time (listen asks for
        // SO_TIMESTAMPNS; the capture's AF_PACKET stamp is the same skb timestamp) and both
        // compute RFC 3550 A.8 in floating point, so the estimates agree to rounding. The
        // reference runs A.8 over the capture's stamps and RTP timestamps; that it reproduces
        // Wireshark's mean and max (printed to 0.001 ms) shows it is Wireshark's estimate.
        // mcexpert reports the final estimate, which must equal the reference's final one within
        // 0.01 ms: the sender starts after listen has joined and stops before listen does, so
        // both saw the same datagrams, and a difference in the first datagram would fade by
        // 15/16 per datagram (to under 1e-4 of itself after the ~150 datagrams of a run).
        let mcexpertJitter = try #require(rtp.double("jitter_ms"))
        #expect(run.stream.double("jitter_ms") == mcexpertJitter)
        let rows = try Wireshark.fields(capture.path, ["frame.time_epoch", "rtp.ssrc", "rtp.timestamp"], options: ["-o", "rtp.heuristic_rtp:TRUE", "-Y", "rtp"])
        let reference = RFC3550Jitter(rows: rows.filter { $0.count == 3 && UInt32($0[1].dropFirst(2), radix: 16) == ssrc }, clockRate: Double(stream.clockRate))
        #expect(reference.estimates.count == wireshark.packets)
        #expect(abs(mcexpertJitter - reference.final) <= 0.01, "mcexpert \(mcexpertJitter) ms, reference \(reference.final) ms")
        if stream.wiresharkKnowsClock {
            #expect(abs(reference.max - wireshark.maxJitterMilliseconds) <= 0.002, "reference max \(reference.max), Wireshark \(wireshark)")
            #expect(abs(reference.mean - wireshark.meanJitterMilliseconds) <= 0.002 + 0.01 * wireshark.meanJitterMilliseconds, "reference mean \(reference.mean), Wireshark \(wireshark)")
            #expect(mcexpertJitter <= wireshark.maxJitterMilliseconds + 0.002, "the final estimate is one of those whose largest Wireshark reports")
        }
        Self.report("rtp \(stream.name): dropped \(run.dropped), mcexpert lost \(rtp.int("lost") ?? -1), Wireshark lost \(wireshark.lost); jitter mcexpert \(mcexpertJitter) ms, reference final \(reference.final) mean \(reference.mean) max \(reference.max), Wireshark mean \(wireshark.meanJitterMilliseconds) max \(wireshark.maxJitterMilliseconds)")
    }

    // MARK: iperf2

    @Test("an iperf2 multicast client is read as iperf: loss is exactly what nftables dropped, and its end-of-test datagram is counted as a final, not data",
          .enabled(if: ExternalTool.shouldRun("iperf") && ExternalTool.shouldRun("nft"), "needs iperf (2.x) and nft (apt-get install iperf nftables)"))
    func iperfClient() throws {
        let hosts = try TwoHosts("rsiperf")
        defer { hosts.tearDown() }
        let group = "239.71.0.4"
        // -B binds A's address; a multicast route lookup with a bound source leaves by the
        // interface that owns it (va). -T 2 is the TTL. 200-byte datagrams at 200 kbit/s: 125/s.
        let run = try RealSender(hosts: hosts, group: group, port: port).measure(
            sender: ["iperf", "-c", group, "-p", String(port), "-u", "-T", "2", "-b", "200k", "-l", "200", "-t", "5", "-B", TwoHosts.addressA],
            detectedKind: "iperf", dropEvery: 10, senderEndsByItself: true)

        #expect(run.stream.string("kind") == "iperf", "\(run.stream)")
        #expect(run.stream.int("kernel_drops") == 0)
        let iperf = try #require(run.stream.object("iperf"), "\(run.stream)")
        #expect(run.dropped > 0)
        #expect(iperf.int("lost") == run.dropped, "nftables dropped \(run.dropped); iperf \(iperf)")
        #expect(run.stream.int("lost") == run.dropped)
        #expect(iperf.int("reordered") == 0 && iperf.int("duplicates") == 0)
        let finals = iperf.int("finals") ?? 0
        #expect(finals >= 1, "iperf2 ends a test with a negative sequence number: \(iperf)")
        // Data datagrams are expected minus lost; everything else received was a final.
        #expect(run.stream.int("packets") == (iperf.int("expected") ?? 0) - run.dropped + finals, "\(run.stream)")
        let sequences = run.datagrams.compactMap { $0.int("iperf_sequence") }
        #expect(sequences.max() == iperf.int("expected"), "expected counts data sequence numbers from 1")
        #expect(run.datagrams.filter { $0["kind"] != nil }.allSatisfy { $0.string("kind") == "iperf" })
        Self.report("iperf: dropped \(run.dropped), \(iperf)")
    }

    // MARK: Reordering

    @Test("an RTP stream with datagrams swapped on the way shows them as reordered, not lost",
          .enabled(if: ExternalTool.shouldRun("ffmpeg") && ExternalTool.shouldRun("python3"), "needs ffmpeg and python3"))
    func reorderedRTP() throws {
        let hosts = try TwoHosts("rsreord")
        defer { hosts.tearDown() }
        let group = "239.71.0.5"
        // ffmpeg sends to a relay on A's loopback; the relay multicasts from A's address and
        // swaps 10 datagrams with their successors, from the 40th on (after detection).
        let relayPort = TestPorts.unique()
        let relay = try ReorderingRelay(in: hosts.a, listenPort: relayPort, group: group, port: port, source: TwoHosts.addressA,
                                        every: 10, first: 40, swaps: 10)
        defer { relay.stop() }
        let run = try RealSender(hosts: hosts, group: group, port: port).measure(
            sender: ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"] + Self.elementaryStreams[0].ffmpeg
                + ["-f", "rtp", "rtp://127.0.0.1:\(relayPort)?localaddr=127.0.0.1"],
            detectedKind: "rtp")
        let swaps = relay.swapsDone

        #expect(swaps == 10, "the relay swapped all it was asked to while listen ran")
        #expect(run.stream.string("kind") == "rtp", "\(run.stream)")
        let rtp = try #require(run.stream.object("rtp"), "\(run.stream)")
        #expect(rtp.int("lost") == 0, "a late datagram fills its gap: \(rtp)")
        #expect(rtp.int("reordered") == swaps, "\(rtp)")
        #expect(run.stream.int("reordered") == swaps)
        #expect(rtp.int("duplicates") == 0)
        #expect(rtp.int("expected") == run.stream.int("packets"))
        Self.report("reordering: swapped \(swaps), rtp \(rtp)")
    }

    // MARK: Forced kinds and the stats table

    @Test("--payload raw reads an RTP stream as raw with no loss figures, while the stats table shows the same stream's KIND as rtp",
          .enabled(if: ExternalTool.shouldRun("ffmpeg"), "needs ffmpeg (apt-get install ffmpeg)"))
    func rawAndStatsTable() throws {
        let hosts = try TwoHosts("rsraw")
        defer { hosts.tearDown() }
        let group = "239.71.0.6"
        // A second listener on the same group and port, in the default auto mode, drawing the table.
        let table = try CLI.spawn(["listen", "\(group):\(port)", "-i", "vb", "--format", "stats", "--duration", "30"], in: hosts.b)
        defer { table.stop() }
        let run = try RealSender(hosts: hosts, group: group, port: port).measure(
            listen: ["--payload", "raw"],
            sender: ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"] + Self.elementaryStreams[0].ffmpeg
                + ["-f", "rtp", "rtp://\(group):\(port)?localaddr=\(TwoHosts.addressA)&ttl=2"],
            detectedKind: "raw", window: 1)

        #expect(run.stream.string("kind") == "raw", "\(run.stream)")
        for key in ["lost", "expected", "reordered", "duplicates", "loss_percent", "jitter_ms", "rtp", "ts", "iperf"] {
            #expect(run.stream[key] == nil, "\(key) in a raw stream: \(run.stream)")
        }
        #expect((run.stream.int("packets") ?? 0) > 50)
        #expect(run.datagrams.allSatisfy { $0.string("kind") == "raw" && $0["rtp_sequence"] == nil }, "every datagram line says raw")

        let text = table.stop()
        let header = try #require(text.split(separator: "\n").last { $0.hasPrefix("STREAM") }, "\(text)")
        let kindColumn = try #require(header.split(separator: " ").firstIndex(of: "KIND"), "a KIND column: \(header)")
        let row = try #require(text.split(separator: "\n").last { $0.hasPrefix("\(group):\(port) ") }, "\(text)")
        #expect(row.split(separator: " ")[kindColumn] == "rtp", "\(header)\n\(row)")
    }

    // MARK: Running a real sender against listen

    /// ffmpeg making 500 kbit/s of MPEG-2 test-pattern video, for the TS tests (the output
    /// format and URL follow).
    let ffmpegVideo = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                       "-t", "30", "-c:v", "mpeg2video", "-b:v", "500k"]

    /// Prints a measurement so the test log keeps the numbers.
    static func report(_ line: String) {
        FileHandle.standardError.write(Data(("RealStreamTests: " + line + "\n").utf8))
    }
}

/// What `listen` on `vb` saw of one stream from a sender on A, and the fault's own count.
private struct StreamRun {
    /// The per-datagram JSON lines.
    var datagrams: [[String: Any]]
    /// The summary's stream object.
    var stream: [String: Any]
    /// Datagrams the nftables rule dropped (its counter; 0 without one).
    var dropped: Int
}

/// Runs a sender in A against `mcexpert listen` in B.
private struct RealSender {
    let hosts: TwoHosts
    let group: String
    let port: UInt16

    /// Starts listen (JSON) on vb, waits for its join, starts `sender` in A, waits until listen has
    /// settled the stream's kind, then runs a fault window of `window` seconds (dropping every
    /// `dropEvery`th datagram when that is not 0), then 1.5 s without faults so every PID shows
    /// its gaps (ffmpeg repeats the SDT every 0.5 s). The sender stops (or, with
    /// `senderEndsByItself`, finishes) half a second before listen, so a capture on vb and
    /// listen see the same datagrams.
    func measure(listen options: [String] = [], sender: [String], detectedKind: String, dropEvery: Int = 0,
                 window: Double = 2.5, senderEndsByItself: Bool = false) throws -> StreamRun {
        let listener = try CLI.spawn(["listen", "\(group):\(port)", "-i", "vb", "--format", "json", "--duration", "30"] + options, in: hosts.b)
        defer { listener.stop() }
        try waitForJoin()
        let source = try hosts.a.spawn(sender)
        defer { source.stop() }
        guard listener.waitForOutput(containing: "\"kind\":\"\(detectedKind)\"", seconds: 10) else {
            throw LabError.commandFailed("listen never settled on kind \(detectedKind)", status: -1, output: listener.output + "\nsender: " + source.output)
        }
        usleep(300_000)
        var dropped = 0
        if dropEvery > 0 {
            let drop = try NthDatagramDrop(in: hosts.a, device: "va", port: port, every: dropEvery)
            usleep(UInt32(window * 1_000_000))
            dropped = try drop.stop()
        } else {
            usleep(UInt32(window * 1_000_000))
        }
        usleep(1_500_000)
        if senderEndsByItself {
            #expect(source.waitForExit(seconds: 20) == 0, "the sender finished: \(source.output)")
        } else {
            source.stop()
        }
        usleep(500_000)
        let output = listener.stop()
        let json = output.split(separator: "\n").filter { $0.hasPrefix("{\"") }
        let datagrams = CLI.jsonLines(json.filter { !$0.hasPrefix("{\"summary\"") }.joined(separator: "\n"))
        let summaryLine = try #require(json.last { $0.hasPrefix("{\"summary\"") }, "listen printed a summary: \(output.suffix(2000))")
        let summary = try #require(CLI.jsonLines(String(summaryLine)).first?["summary"] as? [String: Any])
        let streams = (summary["streams"] as? [[String: Any]]) ?? []
        #expect(streams.count == 1, "one stream: \(streams)")
        let stream = try #require(streams.first, "listen saw the stream: \(output.suffix(2000))")
        #expect(summary.int("datagrams") == datagrams.count, "a JSON line per datagram")
        return StreamRun(datagrams: datagrams, stream: stream, dropped: dropped)
    }

    /// Waits until B's vb has joined the group (so the sender's first datagram is heard).
    private func waitForJoin() throws {
        for _ in 0..<250 {
            let table = try hosts.b.sh("ip maddr show dev vb")
            // Lines read "inet  239.71.0.1" or, with several sockets joined, "inet  239.71.0.1 users 2".
            if table.split(separator: "\n").contains(where: { $0.split(separator: " ").dropFirst().first.map(String.init) == group }) { return }
            usleep(20_000)
        }
        throw LabError.commandFailed("listen did not join \(group) on vb", status: -1, output: try hosts.b.sh("ip maddr show dev vb"))
    }
}

/// The RFC 3550 A.8 interarrival jitter estimate after each packet, in ms, from capture stamps
/// (`frame.time_epoch`) and RTP timestamps, as Wireshark computes it (in floating point).
private struct RFC3550Jitter {
    var estimates: [Double] = []

    /// `rows`: frame.time_epoch, (anything), rtp.timestamp — in arrival order.
    init(rows: [[String]], clockRate: Double) {
        var previous: (seconds: Int, fraction: Double, timestamp: UInt32)?
        var jitter = 0.0  // timestamp units
        for row in rows {
            let parts = row[0].split(separator: ".")
            guard let seconds = Int(parts[0]), let fraction = Double("0." + (parts.count > 1 ? parts[1] : "0")),
                  let timestamp = UInt32(row[2]) else { continue }
            if let previous {
                let arrival = (Double(seconds - previous.seconds) + (fraction - previous.fraction)) * clockRate
                let difference = arrival - Double(Int32(bitPattern: timestamp &- previous.timestamp))
                jitter += (abs(difference) - jitter) / 16
            }
            previous = (seconds, fraction, timestamp)
            estimates.append(jitter / clockRate * 1000)
        }
    }

    var final: Double { estimates.last ?? 0 }
    var max: Double { estimates.max() ?? 0 }
    /// Wireshark's mean: over the estimates after the first packet's.
    var mean: Double { estimates.count > 1 ? estimates.dropFirst().reduce(0, +) / Double(estimates.count - 1) : 0 }
}

private extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int? { self[key] as? Int }
    func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
}
