import MulticastExpert
import MulticastMonitor

/// Turns a ``YAMLNode`` tree into a checked ``StreamList``, or the first problem with its line,
/// column and field. Pure: text in, values or one error out.
struct StreamListDecoder {
    /// The file's name, for errors.
    let path: String

    /// Keys a stream may have, in the order ``StreamListFile/render(_:)`` writes them.
    static let streamKeys = ["name", "group", "interface", "source", "payload", "rtp_clock", "rate", "bitrate", "timeout", "labels"]
    /// Keys the defaults may have: every stream key but the two that identify a stream.
    static let defaultKeys = streamKeys.filter { $0 != "name" && $0 != "group" }
    /// Keys the top level may have.
    static let topKeys = ["defaults", "streams"]

    func decode(_ root: YAMLNode?) throws(StreamListError) -> StreamList {
        guard let root else {
            throw StreamListError(path: path, line: nil, column: nil, field: nil,
                                  message: "the file is empty; a stream list is a mapping with a streams: list (see examples/streams.yaml)")
        }
        guard case .mapping = root.content else {
            throw error(at: root, nil, "the file is \(root.kindWord), not a mapping; a stream list starts with streams: (see examples/streams.yaml)")
        }
        let top = try fields(of: root, at: nil, allowed: Self.topKeys)
        var defaults = Settings()
        if let node = top["defaults"] {
            defaults = try settings(of: node, at: "defaults", allowed: Self.defaultKeys, inheriting: Settings())
        }
        guard let streamsNode = top["streams"] else {
            throw error(at: root, nil, "there is no streams: list; a stream list names its streams under streams:")
        }
        guard case .sequence(let items) = streamsNode.content else {
            throw error(at: streamsNode, "streams", "expected a list of streams (lines starting with '- '), found \(streamsNode.kindWord)")
        }
        guard !items.isEmpty else { throw error(at: streamsNode, "streams", "the list is empty; name at least one stream") }
        var streams: [StreamDefinition] = []
        var interfacePlaces: [String: StreamListPlace] = [:]
        var firstByName: [String: (index: Int, line: Int)] = [:]
        var firstByAddress: [AddressKey: (index: Int, line: Int)] = [:]
        for (index, item) in items.enumerated() {
            let field = "streams[\(index)]"
            guard index < StreamListFile.maximumStreams else {
                throw error(at: item, field, "more than \(StreamListFile.maximumStreams) streams; split the list among several processes")
            }
            let (stream, interfacePlace) = try streamDefinition(item, at: field, defaults: defaults)
            if let first = firstByName[stream.name] {
                throw error(at: item, "\(field).name", "\(quoted(stream.name)) is already the name of streams[\(first.index)] (line \(first.line)); names must be unique")
            }
            firstByName[stream.name] = (index, item.line)
            let key = AddressKey(stream)
            if let first = firstByAddress[key] {
                throw error(at: item, "\(field).group", "\(stream.groupText) with the same interface and source is already streams[\(first.index)] (line \(first.line)); each stream once")
            }
            firstByAddress[key] = (index, item.line)
            streams.append(stream)
            interfacePlaces[stream.name] = interfacePlace
        }
        return StreamList(streams: streams, interfacePlaces: interfacePlaces)
    }

    /// What identifies a stream on the wire: two entries with the same key are one stream.
    private struct AddressKey: Hashable {
        var group: MulticastGroup, port: UInt16, interface: String?, source: IPAddress?
        init(_ stream: StreamDefinition) {
            group = stream.group
            port = stream.port
            interface = stream.interface
            source = stream.source
        }
    }

    /// Fields a stream may inherit from the defaults; nil where nothing was said.
    struct Settings {
        var interface: String?? = nil
        /// Where the interface in force was written (the stream's own or the defaults').
        var interfacePlace: StreamListPlace?
        var source: IPAddress?? = nil
        var payload: PayloadChoice?
        var rtpClock: UInt32?
        var rate: Double?? = nil
        var bitrate: Double?? = nil
        var timeout: Duration?? = nil
        var labels: [StreamLabel] = []
        var labelLines: [String: Int] = [:]
    }

    private func streamDefinition(_ node: YAMLNode, at field: String, defaults: Settings) throws(StreamListError) -> (StreamDefinition, StreamListPlace?) {
        guard case .mapping = node.content else {
            throw error(at: node, field, "expected a stream (a mapping with name: and group:), found \(node.kindWord)")
        }
        let map = try fields(of: node, at: field, allowed: Self.streamKeys)
        guard let nameNode = map["name"] else { throw error(at: node, field, "the stream has no name:; every stream needs one") }
        guard let groupNode = map["group"] else { throw error(at: node, field, "the stream has no group:; write e.g. group: 239.1.1.1:5000") }
        let name = try text(nameNode, at: "\(field).name")
        try checkName(name, nameNode, at: "\(field).name")
        let (group, port) = try groupAndPort(groupNode, at: "\(field).group")
        let settings = try settings(of: node, at: field, allowed: Self.streamKeys, inheriting: defaults, fields: map)
        let source = settings.source ?? nil
        if let source, source.family != group.family {
            let place = map["source"] ?? node
            throw error(at: place, "\(field).source", "source \(source) is \(source.family) but group \(group) is \(group.family); a source must be of the group's family")
        }
        let stream = StreamDefinition(name: name, group: group, port: port, interface: settings.interface ?? nil, source: source,
                                payload: PayloadOptions(choice: settings.payload ?? .auto,
                                                        dynamicRTPClockRate: settings.rtpClock ?? PayloadOptions.defaultDynamicRTPClockRate),
                                expectedPacketRate: settings.rate ?? nil, expectedBitRate: settings.bitrate ?? nil,
                                timeout: settings.timeout ?? nil, labels: settings.labels)
        return (stream, stream.interface == nil ? nil : settings.interfacePlace)
    }

    /// The optional fields of a stream or of the defaults, over what is inherited.
    private func settings(of node: YAMLNode, at field: String, allowed: [String], inheriting base: Settings,
                          fields given: Fields? = nil) throws(StreamListError) -> Settings {
        if case .mapping = node.content {} else {
            throw error(at: node, field, "expected a mapping of settings, found \(node.kindWord)")
        }
        let map: Fields
        if let given {
            map = given
        } else {
            map = try fields(of: node, at: field, allowed: allowed)
        }
        var result = base
        if let value = map["interface"] {
            result.interface = isNull(value) ? .some(nil) : try interface(value, at: "\(field).interface")
            result.interfacePlace = StreamListPlace(line: value.line, column: value.column, field: "\(field).interface")
        }
        if let value = map["source"] {
            result.source = isNull(value) ? .some(nil) : try source(value, at: "\(field).source")
        }
        if let value = map["payload"] {
            let name = try text(value, at: "\(field).payload")
            guard let choice = PayloadChoice(name: name) else {
                throw error(at: value, "\(field).payload", "\(quoted(name)) is not a payload kind; use one of \(PayloadChoice.names.joined(separator: ", "))")
            }
            result.payload = choice
        }
        if let value = map["rtp_clock"] {
            let number = try self.number(value, at: "\(field).rtp_clock", in: 1_000...10_000_000, unit: "Hz")
            guard number == number.rounded() else { throw error(at: value, "\(field).rtp_clock", "\(quoted(scalarText(value))) is not a whole number of Hz") }
            result.rtpClock = UInt32(number)
        }
        if let value = map["rate"] {
            result.rate = isNull(value) ? .some(nil) : try number(value, at: "\(field).rate", in: 0.001...100_000_000, unit: "packets/s")
        }
        if let value = map["bitrate"] {
            result.bitrate = isNull(value) ? .some(nil) : try bitRate(value, at: "\(field).bitrate")
        }
        if let value = map["timeout"] {
            if isNull(value) {
                result.timeout = .some(nil)
            } else {
                let seconds = try number(value, at: "\(field).timeout", in: 0.001...86_400, unit: "seconds")
                result.timeout = .some(.nanoseconds(Int64((seconds * 1e9).rounded())))
            }
        }
        if let value = map["labels"] {
            try labels(value, at: "\(field).labels", into: &result)
        }
        return result
    }

    // MARK: Fields

    private func checkName(_ name: String, _ node: YAMLNode, at field: String) throws(StreamListError) {
        guard !name.isEmpty else { throw error(at: node, field, "the name is empty") }
        // Bytes first: counting characters walks every combining mark of a heavy one.
        guard name.utf8.count <= StreamListFile.maximumNameBytes else {
            throw error(at: node, field, "the name is \(name.utf8.count) bytes; at most \(StreamListFile.maximumNameBytes)")
        }
        guard name.count <= StreamListFile.maximumNameLength else {
            throw error(at: node, field, "the name is \(name.count) characters; at most \(StreamListFile.maximumNameLength)")
        }
        guard !StreamListFile.hasControlCharacters(name) else { throw error(at: node, field, "\(quoted(name)) has control characters; a name is one line of text") }
    }

    private func groupAndPort(_ node: YAMLNode, at field: String) throws(StreamListError) -> (MulticastGroup, UInt16) {
        let text = try oneLine(node, at: field)
        let spec: GroupSpec
        do {
            spec = try GroupSpec(parsing: text)
        } catch {
            throw self.error(at: node, field, error.description)
        }
        guard let port = spec.port else {
            throw error(at: node, field, "\(quoted(text)) has no port; write \(GroupSpec.text(spec.group, port: 5000)), the port is required")
        }
        return (spec.group, port)
    }

    private func interface(_ node: YAMLNode, at field: String) throws(StreamListError) -> String {
        let text = try self.text(node, at: field)
        if let problem = StreamListFile.interfaceProblem(text) { throw error(at: node, field, problem) }
        return text
    }

    private func source(_ node: YAMLNode, at field: String) throws(StreamListError) -> IPAddress {
        let text = try oneLine(node, at: field)
        do throws(InputError) {
            guard let address = try GroupSpec.sources([text]).first else { throw InputError("no source") }
            return address
        } catch {
            throw self.error(at: node, field, error.description)
        }
    }

    private func bitRate(_ node: YAMLNode, at field: String) throws(StreamListError) -> Double {
        let text = try self.text(node, at: field)
        guard let value = StreamListFile.bitRate(text) else {
            throw error(at: node, field, "\(quoted(text)) is not a bit rate; write bits per second as 8000000, 8M, 8.5M or 500k")
        }
        guard (1...1e12).contains(value) else {
            throw error(at: node, field, "\(quoted(text)) is out of range; give 1 bit/s to 1000G")
        }
        return value
    }

    private func labels(_ node: YAMLNode, at field: String, into settings: inout Settings) throws(StreamListError) {
        guard case .mapping = node.content else {
            throw error(at: node, field, "expected a mapping of labels, e.g. labels: {site: ams1, tier: gold}; found \(node.kindWord)")
        }
        let pairs = try entries(of: node, at: field)
        for (key, keyNode, value) in pairs {
            let place = Self.path(field, key)
            if let problem = StreamListFile.labelKeyProblem(key) { throw error(at: keyNode, place, problem) }
            let text = try self.text(value, at: place)
            guard text.utf8.count <= StreamListFile.maximumLabelValueBytes else {
                throw error(at: value, place, "the value is \(text.utf8.count) bytes; at most \(StreamListFile.maximumLabelValueBytes)")
            }
            guard text.count <= StreamListFile.maximumLabelValueLength else {
                throw error(at: value, place, "the value is \(text.count) characters; at most \(StreamListFile.maximumLabelValueLength)")
            }
            guard !StreamListFile.hasControlCharacters(text) else { throw error(at: value, place, "\(quoted(text)) has control characters; a label value is one line of text") }
            if let existing = settings.labels.firstIndex(where: { $0.key == key }) {
                settings.labels[existing].value = text  // a stream's own label overrides the defaults' in place
            } else {
                guard settings.labels.count < StreamListFile.maximumLabels else {
                    throw error(at: keyNode, place, "more than \(StreamListFile.maximumLabels) labels (counting the defaults'); keep the label set small")
                }
                settings.labels.append(StreamLabel(key: key, value: text))
            }
        }
    }

    // MARK: Nodes

    /// A mapping's values by key, after checking keys are text, unique and known.
    typealias Fields = [String: YAMLNode]

    private func fields(of node: YAMLNode, at field: String?, allowed: [String]) throws(StreamListError) -> Fields {
        var result: Fields = [:]
        for (key, keyNode, value) in try entries(of: node, at: field) {
            guard allowed.contains(key) else {
                let place = Self.path(field, key)
                let hint = StreamListFile.closest(to: key, among: allowed).map { "; did you mean \($0)?" } ?? "; known keys: \(allowed.joined(separator: ", "))"
                throw error(at: keyNode, place, "unknown key \(quoted(key))\(hint)")
            }
            result[key] = value
        }
        return result
    }

    /// A mapping's entries in order, with keys checked to be text and unique.
    private func entries(of node: YAMLNode, at field: String?) throws(StreamListError) -> [(String, YAMLNode, YAMLNode)] {
        guard case .mapping(let pairs) = node.content else { return [] }
        var seen: [String: Int] = [:]
        var result: [(String, YAMLNode, YAMLNode)] = []
        for pair in pairs {
            guard case .scalar(let key, _) = pair.key.content else {
                throw error(at: pair.key, field, "a key is \(pair.key.kindWord); keys are plain words such as name or group")
            }
            if let line = seen[key] {
                let place = Self.path(field, key)
                throw error(at: pair.key, place, "duplicate key \(quoted(key)) (first at line \(line)); each key once per mapping")
            }
            seen[key] = pair.key.line
            result.append((key, pair.key, pair.value))
        }
        return result
    }

    /// A scalar's text; an error for lists, mappings and empty values.
    private func text(_ node: YAMLNode, at field: String) throws(StreamListError) -> String {
        guard case .scalar(let text, _) = node.content else {
            throw error(at: node, field, "expected text, found \(node.kindWord)")
        }
        if isNull(node) { throw error(at: node, field, "has no value") }
        return text
    }

    /// Longest group or source text handed to the parsers shared with the command line; an
    /// address with a port is at most 53 bytes (`[ffff:…:255.255.255.255]:65535`).
    static let maximumAddressBytes = 100

    /// A scalar's text, refused when it has control characters or is longer than any address
    /// (the parsers shared with the command line quote what they refuse whole and as it is).
    private func oneLine(_ node: YAMLNode, at field: String) throws(StreamListError) -> String {
        let text = try self.text(node, at: field)
        guard !StreamListFile.hasControlCharacters(text) else { throw error(at: node, field, "\(quoted(text)) has control characters") }
        guard text.utf8.count <= Self.maximumAddressBytes else {
            throw error(at: node, field, "\(quoted(text)) is \(text.utf8.count) bytes, longer than any address")
        }
        return text
    }

    private func scalarText(_ node: YAMLNode) -> String {
        if case .scalar(let text, _) = node.content { return text }
        return node.kindWord
    }

    /// A plain `~`, `null` or nothing: YAML's way of saying no value.
    private func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let text, let plain) = node.content, plain else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    private func number(_ node: YAMLNode, at field: String, in range: ClosedRange<Double>, unit: String) throws(StreamListError) -> Double {
        let text = try self.text(node, at: field)
        guard let value = StreamListFile.decimal(text) else {
            throw error(at: node, field, "\(quoted(text)) is not a number; give \(unit) from \(StreamListFile.numberText(range.lowerBound)) to \(StreamListFile.numberText(range.upperBound))")
        }
        guard range.contains(value) else {
            throw error(at: node, field, "\(quoted(text)) is out of range; give \(unit) from \(StreamListFile.numberText(range.lowerBound)) to \(StreamListFile.numberText(range.upperBound))")
        }
        return value
    }

    /// A key's field path: `parent.key` for a plain word, else `parent["..."]` with the key
    /// escaped and cut, since keys come from the file and may hold anything (newlines included).
    static func path(_ parent: String?, _ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.count <= 64
            && key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x5f || $0 == 0x2d }
        if plain { return parent.map { "\($0).\(key)" } ?? key }
        return (parent ?? "") + "[" + StreamListFile.quotedForMessage(key) + "]"
    }

    private func error(at node: YAMLNode, _ field: String?, _ message: String) -> StreamListError {
        StreamListError(path: path, line: node.line, column: node.column, field: field, message: message)
    }

    private func quoted(_ text: String) -> String { StreamListFile.quotedForMessage(text) }
}
