/// Puts the registry's text in a stable order: metric families by name, and within a family its
/// samples by their label text. The registry writes families and series in hash order, which
/// changes from run to run; people read and diff scrapes, and a stable order costs one sort.
///
/// Works on the text format's lines: a family is its `# HELP` and `# TYPE` lines and the samples
/// after them, up to the next `# HELP` or `# TYPE` of another name. Pure: bytes in, bytes out.
public enum ExpositionOrder {
    /// `text` with its families sorted by name and each family's samples sorted.
    public static func sorted(_ text: [UInt8]) -> [UInt8] {
        var families: [(name: ArraySlice<UInt8>, comments: [ArraySlice<UInt8>], samples: [ArraySlice<UInt8>])] = []
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.starts(with: helpPrefix) || line.starts(with: typePrefix) {
                let name = commentName(line)
                // A comment after samples starts a new family even under the same name.
                if families.last?.name != name || families.last?.samples.isEmpty == false { families.append((name, [], [])) }
                families[families.count - 1].comments.append(line)
            } else if families.isEmpty {
                families.append(([], [], [line]))
            } else {
                families[families.count - 1].samples.append(line)
            }
        }
        // By name, and families of one name in the order they came (the sort need not be stable).
        let ordered = families.enumerated().sorted { a, b in
            a.element.name.elementsEqual(b.element.name) ? a.offset < b.offset : a.element.name.lexicographicallyPrecedes(b.element.name)
        }.map(\.element)
        var output: [UInt8] = []
        output.reserveCapacity(text.count + 1)
        for family in ordered {
            for line in family.comments + family.samples.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                output.append(contentsOf: line)
                output.append(UInt8(ascii: "\n"))
            }
        }
        return output
    }

    private static let helpPrefix = Array("# HELP ".utf8)
    private static let typePrefix = Array("# TYPE ".utf8)

    /// The metric name of a `# HELP name ...` or `# TYPE name ...` line.
    private static func commentName(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let rest = line.dropFirst(helpPrefix.count)
        return rest.prefix { $0 != UInt8(ascii: " ") }
    }
}
