// CNcurses: libncursesw for Swift. NCURSES_WIDECHAR must be defined before <ncurses.h>.
// Macros and mutable globals do not import into Swift 6, so they are wrapped here.
#ifndef C_NCURSES_SHIM_H
#define C_NCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncurses.h>
#include <sys/ioctl.h>
#include <unistd.h>

static inline WINDOW *mcx_stdscr(void) { return stdscr; }
static inline int mcx_lines(void) { return LINES; }
static inline int mcx_cols(void) { return COLS; }
static inline int mcx_colors(void) { return COLORS; }
static inline SCREEN *mcx_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int mcx_set_locale(void) { return setlocale(LC_ALL, "") != NULL; }
static inline const char *mcx_codeset(void) { return nl_langinfo(CODESET); }

static inline int mcx_attr_normal(void) { return (int)A_NORMAL; }
static inline int mcx_attr_bold(void) { return (int)A_BOLD; }
static inline int mcx_attr_reverse(void) { return (int)A_REVERSE; }
static inline int mcx_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int mcx_attr_dim(void) { return (int)A_DIM; }
static inline int mcx_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int mcx_set_attributes(WINDOW *w, int attributes) { return wattrset(w, attributes); }

/// Reads one key: returns ERR on timeout, OK for a character, KEY_CODE_YES for a function key.
static inline int mcx_read_key(WINDOW *w, int *code) {
    wint_t ch = 0;
    int result = wget_wch(w, &ch);
    *code = (int)ch;
    return result;
}
static inline int mcx_key_code_yes(void) { return KEY_CODE_YES; }
static inline int mcx_err(void) { return ERR; }

static inline int mcx_put(WINDOW *w, int y, int x, const wchar_t *text, int count) {
    return mvwaddnwstr(w, y, x, text, count);
}

/// The terminal's real size from the kernel (TIOCGWINSZ); 0 on success.
static inline int mcx_terminal_size(int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

static inline int mcx_KEY_UP(void) { return KEY_UP; }
static inline int mcx_KEY_DOWN(void) { return KEY_DOWN; }
static inline int mcx_KEY_LEFT(void) { return KEY_LEFT; }
static inline int mcx_KEY_RIGHT(void) { return KEY_RIGHT; }
static inline int mcx_KEY_PPAGE(void) { return KEY_PPAGE; }
static inline int mcx_KEY_NPAGE(void) { return KEY_NPAGE; }
static inline int mcx_KEY_HOME(void) { return KEY_HOME; }
static inline int mcx_KEY_END(void) { return KEY_END; }
static inline int mcx_KEY_RESIZE(void) { return KEY_RESIZE; }
static inline int mcx_KEY_F1(void) { return KEY_F(1); }
static inline int mcx_KEY_BACKSPACE(void) { return KEY_BACKSPACE; }
static inline int mcx_KEY_ENTER(void) { return KEY_ENTER; }
static inline int mcx_KEY_BTAB(void) { return KEY_BTAB; }
static inline int mcx_KEY_DC(void) { return KEY_DC; }
static inline int mcx_KEY_MOUSE(void) { return KEY_MOUSE; }

/// Turns mouse reporting on: button 1 and the wheel (buttons 4 and 5), each reported at once (no
/// click resolution: the caller tells a double-click by its own clock, so a click is never held
/// back waiting for a second one). Returns 0 when the terminal cannot.
static inline int mcx_enable_mouse(void) {
    mmask_t wanted = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    mmask_t granted = mousemask(wanted, NULL);
    mouseinterval(0);
    return granted != 0;
}

static inline void mcx_disable_mouse(void) { mousemask(0, NULL); }

/// What a mouse report was, for Swift: 1 a click of button 1 (its release, as htop takes it:
/// ncurses may fold a quick press into the release, and a held button is one click, not two),
/// 2 wheel up, 3 wheel down, 0 anything else (a press, another button); -1 when there was no
/// report to read.
static inline int mcx_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x;
    *y = event.y;
    if (event.bstate & (BUTTON1_RELEASED | BUTTON1_CLICKED)) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 2;
    if (event.bstate & BUTTON5_PRESSED) return 3;
    return 0;
}

#endif
