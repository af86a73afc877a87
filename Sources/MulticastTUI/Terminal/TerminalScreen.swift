#if canImport(Glibc)
import Glibc
#endif
import CNcurses
import MulticastExpert
import MulticastMonitor
import MulticastText

/// Why the terminal UI could not start.
public struct TUIError: Error, CustomStringConvertible {
    public var description: String
}

/// What the terminal reported.
enum TerminalInput {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}

/// The one type that talks to ncurses: start-up and shut-down, reading keys and mouse reports,
/// and copying a ``Canvas`` to the terminal. Only the thread that made it may use it.
final class TerminalScreen {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    let glyphs: Glyphs
    let hasColour: Bool
    /// Whether the terminal reports the mouse (asked for, and granted).
    let hasMouse: Bool
    /// The last click of the left button: where and when (monotonic), to tell a double-click.
    private var lastPress: (x: Int, y: Int, at: Int64)?
    /// A second click on the same cell within this long is a double-click.
    static let doubleClickNanoseconds: Int64 = 400_000_000

    /// Starts curses mode; with `mouse`, the terminal reports clicks and the wheel.
    init(mouse: Bool) throws(TUIError) {
        _ = mcx_set_locale()
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TUIError(description: "the TUI needs a terminal on stdin and stdout; use `mcexpert listen` or `mcexpert doctor` in scripts")
        }
        guard let screen = mcx_newterm() else {
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw TUIError(description: "cannot start the terminal UI: TERM=\(term) is not a terminal type this system knows; try TERM=xterm-256color")
        }
        self.screen = screen
        set_term(screen)
        FatalSignalGuard.install()
        guard let window = mcx_stdscr() else { throw TUIError(description: "ncurses gave no screen window") }
        self.window = window
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        let codeset = mcx_codeset().map { String(cString: $0) } ?? ""
        glyphs = String(codeset.uppercased().filter { $0 != "-" }) == "UTF8" ? .unicode : .ascii
        let wantColour = getenv("NO_COLOR") == nil && has_colors()
        if wantColour {
            start_color()
            use_default_colors()
            let pairs: [(Style, Int16, Int16)] = [
                (.title, Int16(COLOR_BLACK), Int16(COLOR_CYAN)), (.header, Int16(COLOR_WHITE), Int16(COLOR_BLUE)),
                (.selected, Int16(COLOR_BLACK), Int16(COLOR_WHITE)), (.key, Int16(COLOR_YELLOW), Int16(COLOR_BLUE)),
                (.ok, Int16(COLOR_GREEN), -1), (.info, Int16(COLOR_CYAN), -1), (.warn, Int16(COLOR_YELLOW), -1),
                (.fail, Int16(COLOR_RED), -1), (.accent, Int16(COLOR_CYAN), -1), (.error, Int16(COLOR_RED), -1), (.dim, -1, -1),
            ]
            for (style, foreground, background) in pairs { init_pair(Int16(style.rawValue + 1), foreground, background) }
        }
        hasColour = wantColour
        hasMouse = mouse && mcx_enable_mouse() != 0
    }

    /// Restores the terminal. Safe to call more than once.
    func close() {
        if hasMouse { mcx_disable_mouse() }
        FatalSignalGuard.uninstall()
        endwin()
    }

    deinit {
        endwin()
        delscreen(screen)
    }

    var size: (width: Int, height: Int) { (Int(mcx_cols()), Int(mcx_lines())) }

    /// Compares the terminal's real size with ncurses' idea of it and catches up if a SIGWINCH
    /// was missed (two resizes in quick succession can coalesce). Returns the new size when it changed.
    func catchUpWithSize() -> (width: Int, height: Int)? {
        var rows: Int32 = 0, columns: Int32 = 0
        guard mcx_terminal_size(&rows, &columns) == 0, rows != mcx_lines() || columns != mcx_cols() else { return nil }
        resizeterm(rows, columns)
        return (Int(columns), Int(rows))
    }

    /// Waits up to `milliseconds` for a key.
    func read(timeoutMilliseconds milliseconds: Int32) -> TerminalInput? {
        wtimeout(window, milliseconds)
        var code: Int32 = 0
        let result = mcx_read_key(window, &code)
        if result == mcx_err() { return nil }
        if result == mcx_key_code_yes() {
            switch code {
            case mcx_KEY_RESIZE(): return .resize(width: Int(mcx_cols()), height: Int(mcx_lines()))
            case mcx_KEY_MOUSE(): return readMouse()
            case mcx_KEY_UP(): return .key(.up)
            case mcx_KEY_DOWN(): return .key(.down)
            case mcx_KEY_LEFT(): return .key(.left)
            case mcx_KEY_RIGHT(): return .key(.right)
            case mcx_KEY_PPAGE(): return .key(.pageUp)
            case mcx_KEY_NPAGE(): return .key(.pageDown)
            case mcx_KEY_HOME(): return .key(.home)
            case mcx_KEY_END(): return .key(.end)
            case mcx_KEY_F1(): return .key(.f1)
            case mcx_KEY_BACKSPACE(): return .key(.backspace)
            case mcx_KEY_DC(): return .key(.delete)
            case mcx_KEY_ENTER(): return .key(.enter)
            case mcx_KEY_BTAB(): return .key(.backTab)
            default: return nil
            }
        }
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)), code >= 32, !TerminalText.isUnsafe(scalar) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// The mouse report ncurses has ready: a click (a double-click when it follows another on
    /// the same cell quickly), or a wheel turn of one notch.
    private func readMouse() -> TerminalInput? {
        var x: Int32 = 0, y: Int32 = 0
        switch mcx_read_mouse(&x, &y) {
        case 1:
            let now = monotonicNanoseconds()
            let point = (x: Int(x), y: Int(y))
            if let last = lastPress, last.x == point.x, last.y == point.y, now - last.at < Self.doubleClickNanoseconds {
                lastPress = nil
                return .mouse(MouseEvent(.doubleClick, x: point.x, y: point.y))
            }
            lastPress = (point.x, point.y, now)
            return .mouse(MouseEvent(.click, x: point.x, y: point.y))
        case 2: return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y)))
        case 3: return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y)))
        default: return nil
        }
    }

    /// Copies the canvas to the terminal in one update.
    func draw(_ canvas: Canvas) {
        werase(window)
        let (width, height) = size
        for y in 0..<min(canvas.height, height) {
            var x = 0
            while x < min(canvas.width, width) {
                let style = canvas.style(x, y)
                var run: [wchar_t] = []
                let start = x
                while x < min(canvas.width, width), canvas.style(x, y) == style {
                    for scalar in canvas.character(x, y).unicodeScalars.prefix(1) {
                        run.append(glyphs == .ascii && !scalar.isASCII ? wchar_t(63) : wchar_t(bitPattern: scalar.value))
                    }
                    x += 1
                }
                // The bottom-right cell cannot be written without scrolling; leave it blank.
                if y == height - 1 && start + run.count >= width { run = Array(run.dropLast()) }
                _ = mcx_set_attributes(window, attributes(for: style))
                run.withUnsafeBufferPointer { _ = mcx_put(window, Int32(y), Int32(start), $0.baseAddress, Int32($0.count)) }
            }
        }
        _ = mcx_set_attributes(window, mcx_attr_normal())
        wnoutrefresh(window)
        doupdate()
    }

    private func attributes(for style: Style) -> Int32 {
        if hasColour {
            let pair = mcx_color_pair(Int32(style.rawValue + 1))
            switch style {
            case .normal: return mcx_attr_normal()
            case .title, .fail, .error, .key: return pair | mcx_attr_bold()
            case .dim: return mcx_attr_dim()
            default: return pair
            }
        }
        switch style {
        case .normal, .ok, .info: return mcx_attr_normal()
        case .title, .header: return mcx_attr_reverse()
        case .selected: return mcx_attr_reverse() | mcx_attr_bold()
        case .key, .fail, .error, .warn, .accent: return mcx_attr_bold()
        case .dim: return mcx_attr_dim()
        }
    }
}
