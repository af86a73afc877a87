#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastDoctor
import MulticastExpert
import MulticastMetrics
import MulticastMonitor
import MulticastStreamList
import Synchronization

/// `mcexpert-monitor`: the headless probe Prometheus scrapes. Joins every stream of a stream
/// list, follows them with the same engine as `mcexpert listen` and the TUI, and serves the
/// figures on `/metrics`.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcexpert-monitor",
        abstract: "Join every stream of a stream list and serve their figures to Prometheus on /metrics.",
        discussion: """
            Per stream (labels name, group, port, interface, source, kind and the file's own): packets, bytes, lost, reordered and duplicate datagrams, kernel drops, RTP loss, MPEG-TS continuity/PAT/PMT/sync/PID errors, packet and byte rate (8x is the bit rate), jitter, seconds since the last datagram and up (a datagram within the stream's timeout, 5 s unless the file says). Per interface: whether an IGMP/MLD querier is heard and seconds since its last query (needs CAP_NET_RAW). GET /healthz answers 200 while the receive loop runs.

            SIGHUP reloads the file: unchanged streams keep their counters, removed ones vanish, changed ones start afresh; a bad file keeps the streams followed and counts a failed reload.

            The listener binds only where it is told (default 127.0.0.1:9277); 0.0.0.0 and :: need --allow-all-addresses. It is bound before any stream is joined.

            Exit status: 0 after SIGTERM or SIGINT; 2 for a bad command line or stream list; 1 when the listener cannot be bound (address not on this host, port in use) or the receive engine cannot start.

            Examples:
              mcexpert-monitor --streams /etc/mcexpert/streams.yaml
              mcexpert-monitor --streams streams.yaml --metrics-listen 10.0.0.7:9277
              kill -HUP "$(pidof mcexpert-monitor)"      # reload the list
            """,
        version: MonitorBuildInfo.line
    )

    @Option(help: "The stream list (YAML; see README, \"Stream lists\").")
    var streams: String

    @Option(help: "ADDR:PORT or [ADDR]:PORT to serve /metrics and /healthz on.")
    var metricsListen: String = MetricsListenAddress.defaultText

    @Flag(help: "Allow --metrics-listen 0.0.0.0 or [::] (every address of this host).")
    var allowAllAddresses = false

    @Option(help: "Streams followed at most; further streams are refused and counted (1...\(StreamListFile.maximumStreams)).")
    var maxStreams: Int = StreamListFile.maximumStreams

    @Option(help: "Receive buffer per socket, bytes; beyond net.core.rmem_max needs CAP_NET_ADMIN.")
    var receiveBuffer: Int = Monitor.defaultReceiveBufferBytes

    @Flag(help: "Do not listen for IGMP/MLD queriers (the listener needs CAP_NET_RAW).")
    var noIgmp = false

    func validate() throws {
        guard (1...StreamListFile.maximumStreams).contains(maxStreams) else {
            throw ValidationError("--max-streams must be between 1 and \(StreamListFile.maximumStreams)")
        }
        guard (4096...(1 << 30)).contains(receiveBuffer) else {
            throw ValidationError("--receive-buffer must be between 4096 and 1073741824 bytes")
        }
        do {
            _ = try MetricsListenAddress(parsing: metricsListen, allowAllAddresses: allowAllAddresses)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let startTime = Timestamp.now.nanosecondsSinceEpoch
        let address: MetricsListenAddress
        do {
            address = try MetricsListenAddress(parsing: metricsListen, allowAllAddresses: allowAllAddresses)
        } catch {
            throw ValidationError(error.description)
        }
        let list: StreamList
        do {
            list = try StreamListFile.load(path: streams)
        } catch {
            MonitorLog.line(error.description)
            throw ExitCode(2)
        }
        // One socket per stream: a thousand streams need more than the default soft limit of 1024 descriptors.
        let descriptors = DescriptorLimit.raiseSoftToHard()
        let monitor: Monitor
        do {
            monitor = try Monitor(limits: StatisticsLimits(maxSourcesPerStream: 16, capturedDatagramsPerStream: 0, captureLength: 0),
                                  maxStreams: maxStreams * 4, receiveBufferBytes: receiveBuffer)
        } catch {
            MonitorLog.line("cannot start the receive engine: \(error)")
            throw ExitCode.failure
        }
        let exporter = StreamExporter(monitor: monitor, maximumStreams: maxStreams, version: MonitorBuildInfo.version,
                                      configuration: MonitorBuildInfo.configuration, startTime: startTime)
        let failing = Atomic<Bool>(false)
        let receiveLoop = ReceiveLoop(monitor: monitor) { error in
            exporter.recordReceiveFailure()
            // One line when polls start failing, not one per round.
            if !failing.exchange(true, ordering: .relaxed) { MonitorLog.line("receiving failed, /healthz says 503 until it recovers: \(error)") }
        }
        // Bind before joining: a listener that cannot be had stops the start before any group is joined.
        let server: MetricsServer
        do {
            server = try MetricsServer(address: address, exporter: exporter, isHealthy: { receiveLoop.isAlive })
        } catch {
            MonitorLog.line("\(error)")
            throw ExitCode.failure
        }
        MonitorSignals.install()
        report(exporter.apply(StreamListAdapter.monitoredStreams(list)), verb: "following")
        if let descriptors, descriptors < exporter.streams.count + 64 {
            MonitorLog.line("the descriptor limit (\(descriptors)) is below one socket per stream; raise it (ulimit -n) to follow them all")
        }
        do {
            try receiveLoop.start()
        } catch {
            server.stop()
            MonitorLog.line("cannot start the receive loop: \(error)")
            throw ExitCode.failure
        }
        MonitorLog.line("serving /metrics on http://\(server.boundAddress)/metrics")

        var querierWatch = noIgmp ? nil : QuerierWatch.open()
        if noIgmp {
            MonitorLog.line("IGMP/MLD listener off (--no-igmp): mcexpert_igmp_listener_up is 0 and no querier series are exported")
        } else if querierWatch == nil {
            MonitorLog.line("IGMP/MLD listener off: hearing queriers needs CAP_NET_RAW (run as root or setcap cap_net_raw+ep); mcexpert_igmp_listener_up is 0")
        }
        exporter.setIGMPListener(running: querierWatch != nil)

        while !MonitorSignals.isStopRequested {
            if MonitorSignals.takeReload() { reload(exporter) }
            if querierWatch != nil {
                querierWatch!.listen(for: 200_000_000)
                if let figures = querierWatch!.figuresIfDue(streams: exporter.streams) { exporter.updateQueriers(figures) }
            } else {
                sleepUntil(monotonicNanoseconds: monotonicNanoseconds().addingSaturating(200_000_000))
            }
        }
        MonitorLog.line("stopping")
        server.stop()
        receiveLoop.stop()
        querierWatch?.close()
    }

    /// Reads the file again and applies it; a bad file keeps what is followed.
    private func reload(_ exporter: StreamExporter) {
        do {
            let list = try StreamListFile.load(path: streams)
            report(exporter.apply(StreamListAdapter.monitoredStreams(list)), verb: "reloaded")
        } catch {
            exporter.recordFailedReload()
            MonitorLog.line("reload failed, still following the \(exporter.streams.count) streams of before: \(error.description)")
        }
    }

    private func report(_ outcome: StreamExporter.Outcome, verb: String) {
        let plan = outcome.plan
        MonitorLog.line("\(verb) \(plan.streams.count) streams from \(streams) (\(outcome.counts))")
        if !plan.refused.isEmpty {
            MonitorLog.line("refused beyond --max-streams \(maxStreams): \(plan.refused.prefix(5).joined(separator: ", "))\(plan.refused.count > 5 ? ", ..." : "")")
        }
        for failure in outcome.joinFailures.prefix(20) {
            MonitorLog.line("stream \"\(failure.name)\" not joined: \(failure.reason)")
        }
        if outcome.joinFailures.count > 20 { MonitorLog.line("\(outcome.joinFailures.count - 20) more streams not joined") }
    }
}
