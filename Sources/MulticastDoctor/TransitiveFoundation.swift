// MulticastDoctor itself needs nothing from Foundation. This import remains only because
// MulticastTUI (Terminal/TerminalScreen.swift: `replacingOccurrences`) relies on Foundation
// reaching it through this module. Delete this file once that file imports Foundation itself
// or drops the call.
import Foundation
