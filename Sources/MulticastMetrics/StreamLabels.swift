import MulticastMonitor

/// The label set of one stream's series: the built-in labels (name, group, port, interface,
/// source, kind) and the file's own, bounded.
///
/// Values are passed to the exposition as they are (it escapes `\`, `"` and newlines); here
/// they are only cut to ``maximumValueBytes`` so one stream cannot make every scrape huge. Keys
/// that are not valid Prometheus label names, that repeat a built-in label or an earlier key,
/// or that go beyond ``maximumFileLabels``, are left out (the file parser refuses them first;
/// this keeps the exporter's registry safe whatever it is handed).
public enum StreamLabels {
    /// The labels every stream series has, in this order.
    public static let builtIn = ["name", "group", "port", "interface", "source", "kind"]
    /// The longest label value kept, in UTF-8 bytes; longer values are cut at a character boundary.
    public static let maximumValueBytes = 256
    /// File labels kept per stream.
    public static let maximumFileLabels = 16

    /// The labels of `stream`'s series. `kind` is the configured payload choice (`auto` when
    /// detected), so a series keeps its identity while detection settles; the detected kind is
    /// its own series (`mcexpert_stream_payload_kind`).
    public static func labels(of stream: MonitoredStream) -> [(String, String)] {
        var labels: [(String, String)] = [
            ("name", bounded(stream.name)),
            ("group", stream.group.description),
            ("port", String(stream.port)),
            ("interface", bounded(stream.interface ?? "")),
            ("source", stream.source?.description ?? ""),
            ("kind", stream.payload.choice.description),
        ]
        var taken = Set(builtIn)
        for label in stream.labels where labels.count < builtIn.count + maximumFileLabels {
            guard isValidName(label.key), !label.key.hasPrefix("__"), !taken.contains(label.key) else { continue }
            taken.insert(label.key)
            labels.append((label.key, bounded(label.value)))
        }
        return labels
    }

    /// Whether `key` is a Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`, at most 64 bytes.
    public static func isValidName(_ key: String) -> Bool {
        guard !key.isEmpty, key.utf8.count <= 64 else { return false }
        for (position, byte) in key.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9") where position > 0: continue
            default: return false
            }
        }
        return true
    }

    /// `value` cut to at most ``maximumValueBytes`` UTF-8 bytes without splitting a character.
    public static func bounded(_ value: String) -> String {
        guard value.utf8.count > maximumValueBytes else { return value }
        var kept = ""
        var bytes = 0
        for character in value {
            let size = character.utf8.count
            guard bytes + size <= maximumValueBytes else { break }
            kept.append(character)
            bytes += size
        }
        return kept
    }
}
