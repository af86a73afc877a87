/// Every metric's name and help text in one place: the registry stops the process when one
/// name is registered with two help texts, so each name is spelled exactly once, here.
public enum MetricNames {
    /// A metric's name and the help text its `# HELP` line carries.
    public struct Metric: Sendable {
        /// The metric name, `mcexpert_` and snake case with its unit.
        public let name: String
        /// The `# HELP` text.
        public let help: String
    }

    /// A per-stream counter and the figure it mirrors.
    struct StreamCounter: Sendable {
        let name: String
        let help: String
        let figure: @Sendable (StreamFigures) -> UInt64
        /// Mirrored per sender (``StreamFigures/senders``) and summed, for figures that can fall
        /// in one sender while another's grow; else mirrored as the stream's total.
        var bySender = true
    }

    static let streamCounters: [StreamCounter] = [
        StreamCounter(name: "mcexpert_stream_packets_total", help: "Datagrams received.", figure: { $0.packets }, bySender: false),
        StreamCounter(name: "mcexpert_stream_bytes_total", help: "UDP payload bytes received.", figure: { $0.bytes }, bySender: false),
        StreamCounter(name: "mcexpert_stream_lost_packets_total",
                      help: "Datagrams that never arrived, by the sequence numbers of probes, RTP or iperf2.", figure: { $0.lost }),
        StreamCounter(name: "mcexpert_stream_reordered_packets_total", help: "Datagrams that arrived after a later one.", figure: { $0.reordered }),
        StreamCounter(name: "mcexpert_stream_duplicate_packets_total", help: "Datagrams that arrived more than once.", figure: { $0.duplicates }),
        StreamCounter(name: "mcexpert_stream_kernel_drops_total",
                      help: "Datagrams the kernel dropped on this host for lack of receive buffer (SO_RXQ_OVFL).", figure: { $0.kernelDrops }, bySender: false),
        StreamCounter(name: "mcexpert_stream_rtp_lost_packets_total", help: "RTP packets lost by RTP sequence numbers.", figure: { $0.rtpLost }),
        StreamCounter(name: "mcexpert_stream_ts_continuity_errors_total",
                      help: "MPEG-TS continuity counter errors (ETSI TR 101 290 1.4).", figure: { $0.tsContinuityErrors }),
        StreamCounter(name: "mcexpert_stream_ts_pat_errors_total",
                      help: "MPEG-TS PAT errors: missing for 0.5 s, wrong table id or scrambled (TR 101 290 1.3).", figure: { $0.tsPATErrors }),
        StreamCounter(name: "mcexpert_stream_ts_pmt_errors_total",
                      help: "MPEG-TS PMT errors: missing for 0.5 s or scrambled (TR 101 290 1.5).", figure: { $0.tsPMTErrors }),
        StreamCounter(name: "mcexpert_stream_ts_sync_errors_total",
                      help: "MPEG-TS sync byte errors and losses of sync (TR 101 290 1.1, 1.2).", figure: { $0.tsSyncErrors }),
        StreamCounter(name: "mcexpert_stream_ts_pid_errors_total",
                      help: "MPEG-TS elementary streams missing for 5 s (TR 101 290 1.6).", figure: { $0.tsPIDErrors }),
    ]

    /// The `mcexpert_stream_packets_per_second` series (its help text says what it counts).
    public static let packetsPerSecond = Metric(name: "mcexpert_stream_packets_per_second", help: "Datagrams per second over the last second.")
    /// Bytes, not bits: Prometheus's base unit (promtool refuses `_bits`); `8 *` it in PromQL for a bit rate.
    public static let bytesPerSecond = Metric(name: "mcexpert_stream_bytes_per_second",
                                              help: "UDP payload bytes per second over the last second (8 times it is the bit rate).")
    /// The `mcexpert_stream_jitter_seconds` series (its help text says what it counts).
    public static let jitter = Metric(name: "mcexpert_stream_jitter_seconds",
                                      help: "Interarrival jitter (RFC 3550) of the worst sender with sequence numbers and times; 0 without.")
    /// The `mcexpert_stream_last_packet_age_seconds` series (its help text says what it counts).
    public static let lastPacketAge = Metric(name: "mcexpert_stream_last_packet_age_seconds",
                                             help: "Seconds since the latest datagram, or since the stream was joined if none arrived.")
    /// The `mcexpert_stream_up` series (its help text says what it counts).
    public static let up = Metric(name: "mcexpert_stream_up", help: "1 when a datagram arrived within the stream's timeout, else 0.")
    /// The `mcexpert_stream_joined` series (its help text says what it counts).
    public static let joined = Metric(name: "mcexpert_stream_joined", help: "1 when the stream's groups are joined, 0 when the join was refused.")
    /// The `mcexpert_stream_timeout_seconds` series (its help text says what it counts).
    public static let timeout = Metric(name: "mcexpert_stream_timeout_seconds", help: "Silence after which the stream counts as down.")
    /// The `mcexpert_stream_expected_packets_per_second` series (its help text says what it counts).
    public static let expectedPacketRate = Metric(name: "mcexpert_stream_expected_packets_per_second",
                                                  help: "Datagrams per second the stream list says the stream carries.")
    /// The `mcexpert_stream_expected_bytes_per_second` series (its help text says what it counts).
    public static let expectedByteRate = Metric(name: "mcexpert_stream_expected_bytes_per_second",
                                                help: "UDP payload bytes per second the stream list says the stream carries (its bitrate / 8).")
    /// The `mcexpert_stream_payload_kind` series (its help text says what it counts).
    public static let payloadKind = Metric(name: "mcexpert_stream_payload_kind", help: "1 for the payload kind detected or forced on the stream.")

    /// The `mcexpert_interface_querier_seen` series (its help text says what it counts).
    public static let querierSeen = Metric(name: "mcexpert_interface_querier_seen",
                                           help: "1 when an IGMP or MLD querier is heard querying on the interface, else 0.")
    /// The `mcexpert_interface_last_query_age_seconds` series (its help text says what it counts).
    public static let lastQueryAge = Metric(name: "mcexpert_interface_last_query_age_seconds",
                                            help: "Seconds since the querier's latest query; absent until one is heard.")
    /// The `mcexpert_igmp_listener_up` series (its help text says what it counts).
    public static let igmpListenerUp = Metric(name: "mcexpert_igmp_listener_up",
                                              help: "1 when the IGMP/MLD listener runs; 0 without CAP_NET_RAW or when disabled.")
    /// The `mcexpert_start_time_seconds` series (its help text says what it counts).
    public static let startTime = Metric(name: "mcexpert_start_time_seconds", help: "When the monitor started, seconds since the Unix epoch.")
    /// The `mcexpert_build_info` series (its help text says what it counts).
    public static let buildInfo = Metric(name: "mcexpert_build_info", help: "Always 1; the labels say which build runs.")
    /// The `mcexpert_streams` series (its help text says what it counts).
    public static let streams = Metric(name: "mcexpert_streams", help: "Streams followed now.")
    /// The `mcexpert_streams_refused_total` series (its help text says what it counts).
    public static let streamsRefused = Metric(name: "mcexpert_streams_refused_total",
                                              help: "Streams of a stream list not followed: beyond the cap or a repeated name.")
    /// The `mcexpert_config_reloads_total` series (its help text says what it counts).
    public static let reloads = Metric(name: "mcexpert_config_reloads_total", help: "Stream-list loads and reloads, by result.")
    /// The `mcexpert_receive_failures_total` series (its help text says what it counts).
    public static let receiveFailures = Metric(name: "mcexpert_receive_failures_total",
                                               help: "Receive-loop polls that failed (epoll_wait); /healthz is 503 once none succeeded for 5 s.")
    /// The `mcexpert_untracked_packets_total` series (its help text says what it counts).
    public static let untrackedPackets = Metric(name: "mcexpert_untracked_packets_total",
                                                help: "Datagrams of engine streams beyond the engine's stream cap.")
}
