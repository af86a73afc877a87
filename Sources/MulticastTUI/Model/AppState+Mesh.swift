import MulticastExpert

/// The Mesh screen's keys and clicks: Enter opens the start form or stops the mesh, the form's
/// Enter and Esc, left and right for the sender (the receiver is the list cursor, moved by the
/// lists' keys), and a click on a cell selecting that pair.
extension AppState {
    mutating func performMesh(_ action: KeyAction) -> [Effect] {
        switch action {
        case .startOrStopMesh:
            let gateway = interfaceTable.interfaces.first { interfaces.defaultGateways.contains($0.index) }?.name ?? ""
            let (effects, message) = mesh.startOrStop(hostName: hostName, defaultInterface: gateway)
            if let message { status = message }
            return effects
        case .submitMesh:
            let (effects, message) = mesh.submit(against: interfaceTable)
            status = message
            return effects
        case .cancelMesh:
            mesh.form = nil
        case .selectSender(let move):
            mesh.selectSender(move, page: max(meshLayout.columnsShown, 1))
        default:
            break
        }
        return []
    }

    /// Where the Mesh screen's matrix is drawn now.
    var meshLayout: MeshView.Layout { MeshView.layout(mesh, width: body.width, height: body.height) }

    /// A click on the matrix: on a cell selects its pair, on a receiver's label its row, on a
    /// column's title its sender.
    mutating func clickMesh(_ mouse: MouseEvent, line: Int) {
        guard mesh.snapshot != nil else { return }
        let layout = meshLayout
        if line == 1, let sender = layout.sender(atX: mouse.x) {
            mesh.column = sender
        } else if line >= 2, line < 2 + layout.rowsShown {
            mesh.cursor = ListCursor(index: layout.firstRow + line - 2)
            if let sender = layout.sender(atX: mouse.x) { mesh.column = sender }
        }
        mesh.clamp()
    }
}
