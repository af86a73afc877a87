#!/usr/bin/env bash
# Builds the release `mcexpert` and `mcexpert-monitor` (the Prometheus exporter; Swift runtime
# linked in statically), strips them and installs them with mcexpert's man page and shell completions.
#
#   scripts/install.sh [--prefix DIR] [--destdir DIR] [--no-build]
#
#   --prefix DIR    where it goes (default /usr/local); e.g. --prefix "$HOME/.local" as a user
#   --destdir DIR   staging root put in front of the prefix, for packaging (default: none)
#   --no-build      install what an earlier run built in .build-release (e.g. build as yourself,
#                   then `sudo scripts/install.sh --no-build`)
#
# Installs, under DESTDIR+PREFIX and nowhere else:
#   bin/mcexpert                                      (install -m 755, stripped)
#   bin/mcexpert-monitor                              (install -m 755, stripped)
#   share/man/man1/mcexpert.1                         (swift-argument-parser's generate-manual)
#   share/bash-completion/completions/mcexpert        (mcexpert --generate-completion-script ...)
#   share/zsh/site-functions/_mcexpert
#   share/fish/vendor_completions.d/mcexpert.fish
# Builds in .build-release (the checkout's debug build in .build is left alone):
#   swift build -c release --static-swift-stdlib --scratch-path .build-release --product mcexpert
#   swift build -c release --static-swift-stdlib --scratch-path .build-release --product mcexpert-monitor
#   swift package --scratch-path .build-release plugin generate-manual --configuration debug
# The binary then needs only glibc, libstdc++/libgcc_s and libncursesw/libtinfo at run time
# (scripts/check-static-binary.sh shows it).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 2; }

prefix=/usr/local
destdir="${DESTDIR:-}"
build=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --destdir) [ $# -ge 2 ] || die "--destdir needs a directory"; destdir="$2"; shift 2 ;;
        --destdir=*) destdir="${1#--destdir=}"; shift ;;
        --no-build) build=no; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
case "$prefix" in
    /*) ;;
    *) die "--prefix must be an absolute path (got '$prefix')" ;;
esac
case "$destdir" in
    "" | /*) ;;
    *) die "--destdir must be an absolute path (got '$destdir')" ;;
esac
prefix="${prefix%/}"
destdir="${destdir%/}"
root="$destdir$prefix"

cd "$(dirname "$0")/.."
scratch=.build-release
binary="$scratch/release/mcexpert"
exporter="$scratch/release/mcexpert-monitor"
manual="$scratch/plugins/GenerateManual/outputs/mcexpert/mcexpert.1"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

if [ "$build" = yes ]; then
    command -v swift >/dev/null 2>&1 || die "swift is not on PATH (or use --no-build after building elsewhere)"
    echo "== building the release binary (static Swift runtime) in $scratch; a minute or two from scratch"
    start=$SECONDS
    if ! swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product mcexpert \
        > "$stage/build.log" 2>&1; then
        cat "$stage/build.log" >&2
        die "swift build failed"
    fi
    # The exporter is a product of its own: its HTTP server (SwiftNIO) stays out of mcexpert.
    if ! swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product mcexpert-monitor \
        >> "$stage/build.log" 2>&1; then
        cat "$stage/build.log" >&2
        die "swift build of mcexpert-monitor failed"
    fi
    # (FoundationEssentials' archive makes the linker warn about mktemp; that is not ours.)
    grep -v "the use of \`mktemp' is dangerous" "$stage/build.log" | tail -n 1 || true
    echo "built in $((SECONDS - start)) s"

    echo "== generating the man page (swift-argument-parser's generate-manual plugin)"
    # The plugin builds every product in the configuration it is given and writes the page into
    # the scratch path, not the package directory. It reads only --help output, so a debug build
    # gives the same page and keeps the static release objects in $scratch from being rebuilt.
    start=$SECONDS
    rm -f "$manual"
    if ! swift package --scratch-path "$scratch" plugin generate-manual --configuration debug \
        --date "$(git log -1 --format=%cs 2>/dev/null || date -u +%F)" > "$stage/manual.log" 2>&1; then
        cat "$stage/manual.log" >&2
        die "swift package plugin generate-manual failed"
    fi
    echo "generated in $((SECONDS - start)) s"
fi

[ -x "$binary" ] || die "no $binary; run scripts/install.sh without --no-build first"
[ -x "$exporter" ] || die "no $exporter; run scripts/install.sh without --no-build first"
[ -s "$manual" ] || die "no $manual; run scripts/install.sh without --no-build first"
strip_tool="$(command -v strip || command -v llvm-strip || true)"
[ -n "$strip_tool" ] || die "strip not found (Debian: apt-get install binutils)"

"$strip_tool" -o "$stage/mcexpert" "$binary"
"$stage/mcexpert" --version >/dev/null || die "the stripped binary does not run"
"$strip_tool" -o "$stage/mcexpert-monitor" "$exporter"
"$stage/mcexpert-monitor" --version >/dev/null || die "the stripped mcexpert-monitor does not run"
"$stage/mcexpert" --generate-completion-script bash > "$stage/mcexpert.bash"
"$stage/mcexpert" --generate-completion-script zsh > "$stage/_mcexpert"
"$stage/mcexpert" --generate-completion-script fish > "$stage/mcexpert.fish"
for f in "$stage/mcexpert.bash" "$stage/_mcexpert" "$stage/mcexpert.fish"; do
    [ -s "$f" ] || die "empty completion script: $(basename "$f")"
done

echo "== installing into $root"
install -d -m 755 "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 755 "$stage/mcexpert" "$root/bin/mcexpert"
install -m 755 "$stage/mcexpert-monitor" "$root/bin/mcexpert-monitor"
install -m 644 "$manual" "$root/share/man/man1/mcexpert.1"
install -m 644 "$stage/mcexpert.bash" "$root/share/bash-completion/completions/mcexpert"
install -m 644 "$stage/_mcexpert" "$root/share/zsh/site-functions/_mcexpert"
install -m 644 "$stage/mcexpert.fish" "$root/share/fish/vendor_completions.d/mcexpert.fish"

for f in bin/mcexpert bin/mcexpert-monitor share/man/man1/mcexpert.1 share/bash-completion/completions/mcexpert \
    share/zsh/site-functions/_mcexpert share/fish/vendor_completions.d/mcexpert.fish; do
    printf '  %10s  %s\n' "$(stat -c %s "$root/$f")" "$root/$f"
done
echo "$("$root/bin/mcexpert" --version); stripped $(stat -c %s "$root/bin/mcexpert") bytes, unstripped $(stat -c %s "$binary") bytes"

if [ -z "$destdir" ]; then
    case ":$PATH:" in
        *":$prefix/bin:"*) ;;
        *) echo "note: $prefix/bin is not on PATH" ;;
    esac
    if [ "$prefix" != /usr ] && [ "$prefix" != /usr/local ]; then
        echo "note: zsh finds _mcexpert once $prefix/share/zsh/site-functions is in fpath (fpath+=($prefix/share/zsh/site-functions) before compinit)"
    fi
fi
