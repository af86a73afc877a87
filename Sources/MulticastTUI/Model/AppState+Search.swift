import MulticastMonitor

/// `/`, `n` and `N` on the list screens: the search of the list on screen, its rows as text,
/// and the cursor following the matches. On the Groups screen the search is the table's filter,
/// so every row shown matches and `n`/`N` step through them.
extension AppState {
    /// The search of the list on screen (see ``list``).
    public var currentSearch: ListSearch? {
        get { list?.search }
        set { if let newValue { list?.search = newValue } }
    }

    /// The rows of the list on screen as the search reads them.
    var searchRows: [String] {
        switch screen {
        case .interfaces:
            interfaceTable.interfaces.map { interface in
                "\(interface.index) \(interface.name) " + (interface.ipv4Addresses + interface.ipv6Addresses).map(\.description).joined(separator: " ")
                    + " " + igmp.querierText(interface, privileged: privileged)
            }
        case .groups: visibleStreams.map { [names = streamNames] stream in GroupsScreen.searchText(stream, name: names?(stream)) }
        case .doctor: doctor.findings.map { "\($0.severity) \($0.interface ?? "host") \($0.summary) \($0.id)" }
        case .memberships:
            memberships.memberships.map { "\($0.interfaceName) \($0.group) " + $0.sources.map { "\($0.source)" }.joined(separator: " ") }
        case .igmp:
            igmpRows.searchTexts
        case .mesh:
            mesh.searchTexts
        case .inspector, .send: []
        }
    }

    /// Whether the search being typed finds nothing (the status line says so).
    var searchFindsNothing: Bool {
        guard let search = currentSearch, !search.text.isEmpty else { return false }
        return !searchRows.contains(where: search.matches)
    }

    /// `/`: starts typing a new search from the cursor's row.
    mutating func startSearch() {
        var search = ListSearch(typing: true)
        search.origin = listCursor?.index ?? 0
        currentSearch = search
        if screen == .groups { groups.cursor = ListCursor() }
    }

    mutating func typeInSearch(_ character: Character) {
        guard var search = currentSearch, search.text.count < TextField.maximumLength else { return }
        search.text.append(character)
        currentSearch = search
        followSearch()
    }

    mutating func deleteFromSearch() {
        guard var search = currentSearch, !search.text.isEmpty else { return }
        search.text.removeLast()
        currentSearch = search
        followSearch()
    }

    /// Enter while typing: keeps the search and stops typing into it.
    mutating func keepSearch() {
        currentSearch?.typing = false
        if screen == .groups { groups.cursor = ListCursor() }
    }

    /// Esc while typing: drops the search (on Groups, the filter).
    mutating func clearSearch() {
        currentSearch = ListSearch()
        if screen == .groups { groups.cursor = ListCursor() }
    }

    /// `n` and `N`: the next or previous matching row after the cursor, wrapping around.
    mutating func nextMatch(backwards: Bool) {
        guard let search = currentSearch, !search.text.isEmpty else {
            status = StatusMessage(text: "nothing to search for: press / and type", style: .info)
            return
        }
        let cursor = listCursor?.index ?? 0
        guard let index = search.match(in: searchRows, from: backwards ? cursor - 1 : cursor + 1, backwards: backwards) else {
            status = StatusMessage(text: "no row contains \"\(search.text)\"", style: .warn)
            return
        }
        listCursor = ListCursor(index: index)
    }

    /// After typing: the Groups table starts again from its first row (the filter changed what
    /// it shows); another list's cursor goes to the first match from where the search began.
    private mutating func followSearch() {
        guard let search = currentSearch else { return }
        if screen == .groups {
            groups.cursor = ListCursor()
        } else if let index = search.match(in: searchRows, from: search.origin) {
            listCursor = ListCursor(index: index)
        }
    }
}
