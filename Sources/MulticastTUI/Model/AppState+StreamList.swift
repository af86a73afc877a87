import MulticastMonitor
import MulticastStreamList

/// The save form's keys (`w`, its Enter and Esc) and what the app reports back from the write.
extension AppState {
    mutating func performSave(_ action: KeyAction) -> [Effect] {
        switch action {
        case .openSaveForm:
            guard let subscriptions = snapshot?.subscriptions, !subscriptions.isEmpty else {
                status = StatusMessage(text: "nothing joined to save: join a group with j first", style: .warn)
                return []
            }
            streamList.form = SaveStreamsForm(path: streamList.lastPath)
        case .submitSave:
            guard let form = streamList.form else { return [] }
            let path = form.path
            guard !path.isEmpty else {
                status = StatusMessage(text: "type a file name, e.g. \(SaveStreamsForm.defaultPath)", style: .error)
                return []
            }
            let list = streamList.listToSave(snapshot?.subscriptions ?? [:])
            guard !list.streams.isEmpty else {
                status = StatusMessage(text: "nothing joined to save: join a group with j first", style: .warn)
                return []
            }
            return [.saveStreams(path: path, list: list, overwrite: form.confirmingOverwrite == path)]
        case .cancelSave:
            streamList.form = nil
        default:
            break
        }
        return []
    }

    /// The app's answer to ``Effect/saveStreams(path:list:overwrite:)``.
    mutating func handleSave(_ event: Event) -> [Effect] {
        switch event {
        case .streamsSaved(let path, let count):
            streamList.form = nil
            streamList.lastPath = path
            status = StatusMessage(text: "saved \(count) stream\(count == 1 ? "" : "s") to \(path); mcexpert tui --streams \(path) joins them again", style: .ok)
        case .streamsFileExists(let path):
            streamList.form?.confirmingOverwrite = path
            status = StatusMessage(text: "\(path) exists: Enter again overwrites it, Esc cancels", style: .warn)
        default:
            break
        }
        return []
    }
}
