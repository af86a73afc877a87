import MulticastMetrics
import MulticastStreamList

/// The stream-list file's entries as the exporter follows them.
enum StreamListAdapter {
    /// Every stream of `list`, with its labels, as a ``MonitoredStream``.
    static func monitoredStreams(_ list: StreamList) -> [MonitoredStream] {
        list.streams.map { definition in
            MonitoredStream(name: definition.name, group: definition.group, port: definition.port, interface: definition.interface,
                            source: definition.source, payload: definition.payload, expectedPacketRate: definition.expectedPacketRate,
                            expectedBitRate: definition.expectedBitRate, timeout: definition.timeout,
                            labels: definition.labels.map { MetricLabel(key: $0.key, value: $0.value) })
        }
    }
}
