/// What a key does. ``AppState`` carries out an action on the type whose state it changes.
public enum KeyAction: Sendable, Hashable {
    // Any screen
    case quit, showHelp, nextScreen, previousScreen, jumpToScreen, openJoinForm, togglePause, runDoctor, showMemberships, startSearch
    /// Esc on a screen: back from the inspector, else clear the status line.
    case back
    /// Moves a list's cursor.
    case move(ListMove)
    /// `n` and `N`: the next and the previous row matching the list's search.
    case nextMatch, previousMatch
    /// `g` and `G`: the first or last row of a list, line of the detail or the help, or packet
    /// of the inspector.
    case jump(ListMove)
    // Groups
    case cycleSortColumn, flipSortDirection, toggleSources, inspect, leave
    /// Opens the selected stream's detail over the whole body.
    case openDetail
    // Stream detail
    case closeDetail, scrollDetail(ListMove)
    // Inspector
    case stepPacket(ListMove), toggleFreeze
    // Doctor and Memberships
    case rerunDoctor, refreshMemberships
    /// IGMP/MLD: forget what the listener heard and start again.
    case resetIGMP
    // Forms (join form, send form) and the search line: what they mean depends on the context.
    case nextField, previousField, typeCharacter, deleteCharacter
    case submitJoin, cancelJoin
    case startOrStopSender
    // Mesh: Enter opens the start form or stops the mesh; left and right choose the sender
    case startOrStopMesh, selectSender(ListMove), submitMesh, cancelMesh
    case keepFilter, clearFilter
    /// `w`: save the current joins as a stream list (a form for the path), its Enter and Esc.
    case openSaveForm, submitSave, cancelSave
    // Help overlay
    case closeHelp, scrollHelp(ListMove)
}
