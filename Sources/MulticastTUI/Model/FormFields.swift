/// A form's fields and which one has the focus; the join form and the send form edit the same way.
protocol FormFields {
    var fields: [TextField] { get set }
    var focus: Int { get set }
}

extension FormFields {
    /// The field keys type into.
    var focusedField: TextField { fields[focus] }

    mutating func focusNext() { focus = (focus + 1) % fields.count }

    mutating func focusPrevious() { focus = (focus + fields.count - 1) % fields.count }

    mutating func type(_ character: Character) { fields[focus].type(character) }

    mutating func deleteCharacter() { fields[focus].deleteLast() }
}
