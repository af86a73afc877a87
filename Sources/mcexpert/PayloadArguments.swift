import ArgumentParser
import MulticastMonitor

/// `--payload` and `--rtp-clock`, shared by `listen` and `tui`: how the streams' payload is read.
struct PayloadArguments: ParsableArguments {
    @Option(name: .customLong("payload"), help: ArgumentHelp(
        "What the streams carry: \(PayloadChoice.names.joined(separator: "|")). Default auto: detected per sender from its first datagrams.",
        discussion: "rtp and rtp-ts measure loss from RTP sequence numbers and jitter from RTP timestamps; ts and rtp-ts run the MPEG-TS checks (continuity, PAT/PMT repetition, PIDs); iperf reads iperf2's sequence numbers and send times; probe reads mcexpert's probes; raw only counts.",
        valueName: "kind"))
    var payload: String = "auto"

    @Option(name: .customLong("rtp-clock"), help: ArgumentHelp(
        "RTP clock rate in Hz for dynamic payload types 96-127 (8000-192000 for audio, 90000 for video). Default 90000.",
        valueName: "hz"))
    var rtpClock: Int?

    func validate() throws {
        if PayloadChoice(name: payload) == nil {
            throw ValidationError("--payload \(payload) is not one of \(PayloadChoice.names.joined(separator: ", "))")
        }
        if let rtpClock { try NumberBounds.check(rtpClock, "--rtp-clock", in: 1_000...10_000_000, unit: "Hz") }
    }

    /// The options every subscription of the command gets.
    var options: PayloadOptions {
        PayloadOptions(choice: PayloadChoice(name: payload) ?? .auto,
                       dynamicRTPClockRate: rtpClock.map { UInt32(clamping: $0) } ?? PayloadOptions.defaultDynamicRTPClockRate)
    }
}
