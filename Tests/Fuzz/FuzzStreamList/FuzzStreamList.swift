import FuzzSupport
import MulticastExpert
import MulticastStreamList

// Stream-list files (listen/tui --streams, mcexpert-monitor): arbitrary bytes read as a stream
// list must end in a list or a StreamListError, never a trap, a hang or unbounded memory
// (aliases refused, nesting and node counts capped). A list that reads is rendered and read
// again, and must come back the same, as the TUI's save relies on; its name index is queried too.
//
// Input layout: the whole input is the file's bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let list: StreamList
    do {
        list = try StreamListFile.parse(bytes: bytes, path: "fuzz.yaml")
    } catch {
        // Every refusal says something, in one line with no control character.
        if error.message.isEmpty || error.description.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }) {
            fatalError("bad error: \(error.description.debugDescription)")
        }
        return 0
    }
    guard !list.streams.isEmpty, list.streams.count <= StreamListFile.maximumStreams else { fatalError("a list that read has \(list.streams.count) streams") }
    let text = StreamListFile.render(list)
    guard let again = try? StreamListFile.parse(text, path: "rendered.yaml"), again == list else {
        fatalError("render then parse changed the list:\n\(text)")
    }
    let index = StreamNameIndex(list)
    for stream in list.streams.prefix(8) {
        guard index.name(group: stream.group, port: stream.port, interfaceIndex: 1, interfaceName: stream.interface ?? "eth0", source: stream.source) != nil
                || stream.interface != nil else { fatalError("an entry without an interface matches every interface") }
        _ = stream.subscription
    }
    return 0
}
