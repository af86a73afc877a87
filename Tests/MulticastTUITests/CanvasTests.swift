@testable import MulticastTUI
import Testing

/// The canvas's put path, where every screen's cut text gets its ellipsis, and the text
/// helpers the views cut and wrap with.
@Suite("TUI canvas: cut text ends with an ellipsis")
struct CanvasTests {
    func canvas(_ width: Int, _ glyphs: Glyphs = .unicode) -> Canvas { Canvas(width: width, height: 2, glyphs: glyphs) }

    @Test("text cut by the canvas's edge or by maxWidth ends with … (... in ASCII), and the cut is remembered")
    func cutText() {
        var c = canvas(10)
        c.put(0, 0, "hello world")
        #expect(c.row(0) == "hello wor…")
        #expect(c.cuts == [Canvas.Cut(x: 9, y: 0, length: 1)])
        c.put(0, 1, "hello world", maxWidth: 5)
        #expect(c.row(1) == "hell…     ")
        var a = canvas(10, .ascii)
        a.put(2, 0, "hello world")
        #expect(a.row(0) == "  hello...")
        a.put(0, 1, "hello world", maxWidth: 2)
        #expect(a.row(1).hasPrefix("..") && a.cuts.last == Canvas.Cut(x: 0, y: 1, length: 2), "a cell too narrow for ... shows what fits of it")
    }

    @Test("text that fits, or loses only spaces, is not marked")
    func notCut() {
        var c = canvas(10)
        c.put(0, 0, "exactly 10")
        c.put(0, 1, "short     " + "     ")
        #expect(c.row(0) == "exactly 10" && c.row(1) == "short     " && c.cuts.isEmpty)
    }

    @Test("a line of several runs is marked where it is cut, even when a run starts past the edge")
    func spans() {
        var c = canvas(10)
        c.put(0, 0, spans: [("health: ", .dim), ("lost 53", .fail)])
        #expect(c.row(0) == "health: l…" && c.style(9, 0) == .fail)
        c.put(0, 1, spans: [("0123456789", .normal), ("more", .warn)])
        #expect(c.row(1) == "012345678…", "the run that did not show at all is still a cut")
    }

    @Test("a paragraph with rows left out ends its last row with the ellipsis, after the text when there is room")
    func wrappedAndContinued() {
        var c = Canvas(width: 20, height: 3)
        let used = c.putWrapped(0, 0, "one two three four five six seven eight nine ten", width: 20, rows: 2)
        #expect(used == 2)
        #expect(c.row(0).replacingTrailingSpaces() == "one two three four")
        #expect(c.row(1) == "five six seven eigh…", "a full row gives its last cell to the ellipsis")
        var room = Canvas(width: 20, height: 1)
        room.put(0, 0, "short", continues: true)
        #expect(room.row(0).replacingTrailingSpaces() == "short…")
    }

    @Test("a box, a pane or a cleared row over a cut takes its mark with it; a cut beside them keeps it")
    func covered() {
        var c = Canvas(width: 20, height: 4)
        c.put(0, 1, String(repeating: "x", count: 30))
        c.put(0, 2, String(repeating: "y", count: 30))
        c.put(0, 3, String(repeating: "z", count: 30))
        c.box(x: 15, y: 0, width: 5, height: 3, title: "", glyphs: .unicode)
        c.fillRow(3, .header)
        #expect(c.cuts.isEmpty)
        c.put(0, 1, String(repeating: "x", count: 30))
        var pane = Canvas(width: 5, height: 1)
        pane.put(0, 0, "abcdefgh")
        c.draw(pane, atX: 10, y: 2)
        #expect(c.cuts == [Canvas.Cut(x: 19, y: 1, length: 1), Canvas.Cut(x: 14, y: 2, length: 1)], "the pane's own cut moves with it")
    }

    @Test("fitted pads or cuts to the width with the given ellipsis; tail keeps a field's end in view")
    func helpers() {
        #expect("abc".fitted(5, "…") == "abc  ")
        #expect("abcdefgh".fitted(5, "…") == "abcd…")
        #expect("abcdefgh".fitted(5, "...") == "ab...")
        #expect(Format.tail("239.1.2.3:5000_", width: 8, ellipsis: "…") == "…3:5000_")
        #expect(Format.tail("short", width: 8, ellipsis: "...") == "short")
    }

    @Test("wrapping keeps the spacing inside a line and drops it where the line breaks")
    func wrap() {
        #expect(Format.wrap("ts 1/7: pid 0x0100  cc 3     pusi payload", width: 80) == ["ts 1/7: pid 0x0100  cc 3     pusi payload"])
        #expect(Format.wrap("seq 7  sent 12:00  latency 2 ms", width: 20) == ["seq 7  sent 12:00", "latency 2 ms"])
        #expect(Format.wrap("abcdefghijklmnopqrstuvwxyz", width: 10) == ["abcdefghij", "klmnopqrst", "uvwxyz"])
    }
}
