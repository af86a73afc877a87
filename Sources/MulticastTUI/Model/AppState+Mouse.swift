import MulticastMonitor

/// Mouse events (ncurses', unless `--no-mouse`): what is under the cell is found with the same
/// layout functions the views draw with, and the event does what the keys for it would do, so
/// the mouse is a shortcut, never a second behaviour. A click on a tab switches screens, on a
/// row selects it, on the Groups table's column title sorts by it, on a footer entry presses
/// its key; a double-click on a stream opens its detail (its first click, reported as a click,
/// selected the row); the wheel moves by three rows.
extension AppState {
    /// Rows the wheel moves per notch.
    static let wheelRows = 3

    mutating func click(_ mouse: MouseEvent) -> [Effect] {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight, joinForm == nil, mesh.form == nil else { return [] }
        if help != nil {
            switch mouse.kind {
            case .wheelUp, .wheelDown:
                for _ in 0..<Self.wheelRows { _ = perform(.scrollHelp(mouse.kind == .wheelUp ? .up : .down), key: .down) }
            case .click, .doubleClick:
                help = nil
            }
            return []
        }
        if currentSearch?.typing == true { keepSearch() }
        if mouse.y == 1 {
            guard mouse.kind == .click, let tab = Renderer.tabs(width: width).first(where: { mouse.x >= $0.x && mouse.x < $0.x + $0.label.count }) else { return [] }
            return show(tab.screen)
        }
        if mouse.y == height - 1 {
            guard mouse.kind == .click, let entry = KeyMap.footerLine(for: self, width: width).entries.first(where: { placed in
                mouse.x >= placed.x && mouse.x < placed.x + placed.entry.keys.count + 1 + placed.entry.text.count
            })?.entry, let binding = entry.bindings.first, case .keys(let keys) = binding.keys, let key = keys.first else { return [] }
            return perform(binding.action, key: key)
        }
        let area = body
        guard mouse.y >= area.top, mouse.y < area.top + area.height else { return [] }
        let line = mouse.y - area.top
        switch (screen, mouse.kind) {
        case (_, .wheelUp), (_, .wheelDown):
            wheel(up: mouse.kind == .wheelUp)
            return []
        case (.groups, _): return clickGroups(mouse, line: line)
        case (.interfaces, _):
            selectRow(line: line, visible: area.height - 1, count: interfaceTable.interfaces.count)
        case (.memberships, _):
            selectRow(line: line, visible: area.height - 1, count: memberships.memberships.count)
        case (.doctor, _):
            selectRow(line: line, visible: DoctorView.split(self, area).list - 1, count: doctor.findings.count)
        case (.igmp, _):
            if let index = IGMPView.itemIndex(atLine: line, self, area) { igmp.cursor = ListCursor(index: index) }
        case (.send, _):
            if send.form.fields.indices.contains(line - 2) { send.form.focus = line - 2 }
        case (.mesh, _):
            clickMesh(mouse, line: line)
        case (.inspector, _):
            break
        }
        return []
    }

    /// The wheel: scrolls the open detail, steps through the inspected packets, or moves a list's cursor.
    private mutating func wheel(up: Bool) {
        if screen == .groups && detail.isOpen {
            for _ in 0..<Self.wheelRows { _ = perform(.scrollDetail(up ? .up : .down), key: .down) }
        } else if screen == .inspector {
            inspector.step(up ? .up : .down, count: inspectedPackets.count)
        } else {
            moveCursor(up ? .pageUp : .pageDown, by: Self.wheelRows)
        }
    }

    /// Selects the row on body line `line` of a list whose rows start under a header, `visible`
    /// of them at a time, scrolled as the views scroll it.
    private mutating func selectRow(line: Int, visible: Int, count: Int) {
        guard let cursor = listCursor, line >= 1, line <= visible else { return }
        let index = scrollOffset(selection: cursor.index, count: count, visible: visible) + line - 1
        if index < count { listCursor = ListCursor(index: index) }
    }

    /// The Groups screen: the detail over it, the pane beside the table, the column titles, the rows.
    private mutating func clickGroups(_ mouse: MouseEvent, line: Int) -> [Effect] {
        guard !detail.isOpen else { return [] }
        let split = GroupsView.split(width: body.width)
        if let split, mouse.x > split.table {
            // The pane shows the selected stream; a double-click opens it over the whole body.
            if mouse.kind == .doubleClick { return perform(.openDetail, key: .enter) }
            return []
        }
        let streams = visibleStreams
        if line == 0 {
            guard mouse.kind == .click, let sort = GroupsView.layout(self, streams, width: split?.table ?? body.width, height: body.height).column(at: mouse.x)?.sortColumn else { return [] }
            status = groups.sort(by: sort)
            return []
        }
        guard let index = GroupsView.streamIndex(atLine: line, self, streams, height: body.height) else { return [] }
        // The first click of a double-click selected the row (and may have scrolled the table
        // to keep it in view): the second opens what is selected.
        if mouse.kind == .doubleClick { return perform(.openDetail, key: .enter) }
        groups.cursor = ListCursor(index: index)
        return []
    }
}
