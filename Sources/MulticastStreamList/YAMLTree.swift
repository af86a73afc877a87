import CYaml

/// A YAML document as plain values with the place of every node: what the stream-list decoder
/// walks. Scalars stay text; the decoder decides what each field's text must be.
struct YAMLNode {
    /// What the node holds.
    enum Content {
        /// Text, and whether it was written plain (unquoted), where `~`, `null` and nothing mean no value.
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    var content: Content
    /// 1-based line and column (in Unicode scalars) where the node starts.
    var line: Int
    var column: Int

    /// A word for the node's kind in messages ("a list", "a mapping", "text").
    var kindWord: String {
        switch content {
        case .scalar: "text"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// A syntax or limit problem found while reading the YAML, at its place.
struct YAMLReadError: Error {
    var line: Int?
    var column: Int?
    var message: String
}

/// Reads YAML bytes into a ``YAMLNode`` tree through libyaml's event parser (the C library
/// inside Yams), with bounds that make hostile files cheap to refuse:
///
/// - aliases (`*name`) and anchors (`&name`) are refused at the first one, so a "billion
///   laughs" file never expands (composing it with Yams would share the nodes, but anything
///   that walks or hashes them, as Yams' own duplicate-key check does for keys, takes
///   exponential time);
/// - nesting deeper than ``maximumDepth`` is refused (the format needs four levels), so no
///   walk recurses far;
/// - more than ``maximumNodes`` nodes are refused, a bound on memory beside the file-size cap;
/// - more than one document (`---`) is refused.
///
/// The tree is built with an explicit stack, not recursion. A pure function of the bytes.
enum YAMLTree {
    /// Deepest nesting of lists and mappings accepted.
    static let maximumDepth = 16
    /// Most nodes (scalars, lists, mappings) accepted in one file. The largest valid file has
    /// 217,141: the top mapping, defaults with every field and 16 labels (50 with its key), the
    /// streams key and list, and 4096 streams of 53 (a mapping, nine keys with their values,
    /// labels with its mapping and 16 pairs). 4 MiB of `1,` would make two million.
    static let maximumNodes = 250_000

    /// The document's root, or nil for a file with no document (empty, or only comments).
    static func read(_ bytes: [UInt8]) throws(YAMLReadError) -> YAMLNode? {
        let outcome: Result<YAMLNode?, YAMLReadError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .failure(YAMLReadError(message: "out of memory starting the YAML parser")) }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            // libyaml reads from the pointer until the last event: the buffer outlives the loop.
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = Builder()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(syntaxError(parser, buffer)) }
                defer { yaml_event_delete(&event) }
                do throws(YAMLReadError) {
                    if try builder.take(event) { return .success(builder.root) }
                } catch {
                    return .failure(error)
                }
            }
        }
        return try outcome.get()
    }

    /// libyaml's problem and context as one message, at the problem's place.
    private static func syntaxError(_ parser: yaml_parser_t, _ bytes: UnsafeBufferPointer<UInt8>) -> YAMLReadError {
        var message = "YAML syntax: " + (parser.problem.map { String(cString: $0) } ?? "unreadable")
        if let context = parser.context {
            message += " (\(String(cString: context)) at line \(parser.context_mark.line + 1))"
        }
        if parser.error == YAML_READER_ERROR {
            // The reader (invalid UTF-8, NUL and other refused characters) reports only a byte
            // offset: count the lines and characters before it.
            let (line, column) = place(ofByte: parser.problem_offset, in: bytes)
            return YAMLReadError(line: line, column: column, message: message)
        }
        return YAMLReadError(line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1, message: message)
    }

    /// The 1-based line and column (in characters as UTF-8 starts them, as libyaml counts
    /// columns) of byte `offset`: newlines before it, and bytes since the last one that are not
    /// UTF-8 continuation bytes.
    static func place(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(max(0, min(offset, bytes.count))) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// Assembles nodes from events with an explicit stack. Frames are changed in place
    /// (`stack[last].items.append`), so each node is copied once, not once per sibling.
    private struct Builder {
        private struct Frame {
            var isMapping: Bool
            var items: [YAMLNode] = []
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            var pendingKey: YAMLNode?
            var line: Int
            var column: Int
        }

        private var stack: [Frame] = []
        private(set) var root: YAMLNode?
        private var nodes = 0
        private var documents = 0

        /// Takes one event; true once the stream has ended.
        mutating func take(_ event: yaml_event_t) throws(YAMLReadError) -> Bool {
            let line = event.start_mark.line + 1
            let column = event.start_mark.column + 1
            switch event.type {
            case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT, YAML_NO_EVENT:
                return false
            case YAML_STREAM_END_EVENT:
                return true
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 { throw YAMLReadError(line: line, column: column, message: "a second YAML document (---); a stream list is one document") }
                return false
            case YAML_ALIAS_EVENT:
                throw YAMLReadError(line: line, column: column, message: "aliases (*name) are not allowed in a stream list; write the value out (a defaults: section gives every stream the same values)")
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                if scalar.anchor != nil { throw anchorError(line, column) }
                let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
                try add(YAMLNode(content: .scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line, column: column))
                return false
            case YAML_SEQUENCE_START_EVENT:
                if event.data.sequence_start.anchor != nil { throw anchorError(line, column) }
                try push(Frame(isMapping: false, line: line, column: column))
                return false
            case YAML_MAPPING_START_EVENT:
                if event.data.mapping_start.anchor != nil { throw anchorError(line, column) }
                try push(Frame(isMapping: true, line: line, column: column))
                return false
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { throw YAMLReadError(line: line, column: column, message: "YAML syntax: unbalanced end of a collection") }
                try add(YAMLNode(content: frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items), line: frame.line, column: frame.column))
                return false
            default:
                return false
            }
        }

        private func anchorError(_ line: Int, _ column: Int) -> YAMLReadError {
            YAMLReadError(line: line, column: column, message: "anchors (&name) are not allowed in a stream list; write the value out (a defaults: section gives every stream the same values)")
        }

        private mutating func push(_ frame: Frame) throws(YAMLReadError) {
            let line = frame.line, column = frame.column
            guard stack.count < YAMLTree.maximumDepth else {
                throw YAMLReadError(line: line, column: column, message: "nested more than \(YAMLTree.maximumDepth) levels deep; a stream list needs four")
            }
            try count(line: line, column: column)
            stack.append(frame)
        }

        private mutating func count(line: Int, column: Int) throws(YAMLReadError) {
            nodes += 1
            guard nodes <= YAMLTree.maximumNodes else {
                throw YAMLReadError(line: line, column: column, message: "more than \(YAMLTree.maximumNodes) YAML nodes; split the list into several files")
            }
        }

        /// Puts a finished node into its parent (or makes it the root).
        private mutating func add(_ node: YAMLNode) throws(YAMLReadError) {
            if case .scalar = node.content { try count(line: node.line, column: node.column) }
            guard !stack.isEmpty else {
                root = node
                return
            }
            let top = stack.count - 1
            if !stack[top].isMapping {
                stack[top].items.append(node)
            } else if let key = stack[top].pendingKey {
                stack[top].pairs.append((key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        }
    }
}
