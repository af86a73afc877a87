/// What a reload of the stream list changes: the pure diff between the streams followed now and
/// the streams of the new file, matched by name.
///
/// A stream whose definition is unchanged is kept, counters and subscription and all; a
/// changed one is removed and added afresh (its old figures measured something else); streams
/// beyond the cap, and later repeats of a name, are refused.
public struct ReloadPlan: Sendable, Hashable {
    /// Names of streams that stay as they are.
    public var kept: [String] = []
    /// Names of streams to leave: gone from the file or changed.
    public var removed: [String] = []
    /// Streams to join: new in the file or changed.
    public var added: [MonitoredStream] = []
    /// Names of streams not followed: beyond `maximumStreams` or a repeated name.
    public var refused: [String] = []
    /// The streams followed after the reload, in file order.
    public var streams: [MonitoredStream] = []

    /// The plan that takes `current` to `wanted`, following at most `maximumStreams` streams.
    public init(current: [MonitoredStream], wanted: [MonitoredStream], maximumStreams: Int) {
        var now: [String: MonitoredStream] = [:]
        for stream in current { now[stream.name] = stream }
        var seen = Set<String>()
        for stream in wanted {
            // Names are compared as exported (cut to the label limit), so two series never share labels.
            let exported = StreamLabels.bounded(stream.name)
            guard !seen.contains(exported), streams.count < max(maximumStreams, 0) else {
                refused.append(stream.name)
                continue
            }
            seen.insert(exported)
            streams.append(stream)
            if let old = now[stream.name] {
                if old == stream {
                    kept.append(stream.name)
                } else {
                    removed.append(stream.name)
                    added.append(stream)
                }
            } else {
                added.append(stream)
            }
        }
        let followed = Set(streams.map(\.name))
        for stream in current where !followed.contains(stream.name) { removed.append(stream.name) }
    }
}
