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

/// A name cut to fit a table column, with `…` where it was cut.
func truncatedName(_ name: String, _ width: Int) -> String {
    name.count <= width ? name : String(name.prefix(max(0, width - 1))) + "…"
}
