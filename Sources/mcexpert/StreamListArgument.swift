import MulticastExpert
import MulticastMonitor
import MulticastStreamList

/// Reads the stream-list file of `listen --streams` and `tui --streams`: a file that does not
/// read is bad input (exit status 2), said in one line with the file, line, column and field.
func loadStreamList(_ path: String) throws(CLIError) -> StreamList {
    do {
        return try StreamListFile.load(path: path)
    } catch {
        throw CLIError(error.description)
    }
}

/// Checks that every interface the list names is on this host before anything is joined (or
/// the TUI takes the terminal): one that is not is bad input (exit status 2), said at the place
/// in the file with the field and the stream's name. When the interface table cannot be read,
/// the joins report it themselves.
func checkStreamInterfaces(_ list: StreamList, path: String) throws(CLIError) {
    guard list.streams.contains(where: { $0.interface != nil }), let table = try? InterfaceTable.current() else { return }
    for stream in list.streams {
        guard let text = stream.interface else { continue }
        do throws(MulticastError) {
            _ = try table.interface(matching: InterfaceSpecifier(text))
        } catch {
            throw CLIError(list.interfaceError(stream, path: path, message: error.description).description)
        }
    }
}

/// Joins one of the list's streams; an interface gone since ``checkStreamInterfaces(_:path:)``
/// is said as that check says it.
func subscribe(_ stream: StreamDefinition, of list: StreamList, path: String, to monitor: Monitor) throws {
    do {
        try monitor.subscribe(stream.subscription)
    } catch MulticastError.interfaceNotFound(let name, let available) {
        throw CLIError(list.interfaceError(stream, path: path,
                                           message: MulticastError.interfaceNotFound(name, available: available).description).description)
    }
}

/// A name cut to fit a table column, with `…` where it was cut.
func truncatedName(_ name: String, _ width: Int) -> String {
    name.count <= width ? name : String(name.prefix(max(0, width - 1))) + "…"
}
