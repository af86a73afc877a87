#!/usr/bin/env bash
# Builds the libFuzzer targets (Tests/Fuzz) and runs each for a while; exits non-zero on any
# finding (crash, failed invariant, leak, timeout, out-of-memory) or when a target cannot run.
#
#   scripts/fuzz.sh [-j N] [--no-build] [seconds-per-target] [target...]
#
#   seconds-per-target  how long each target runs (default 60)
#   target...           which targets (default all: FuzzDatagramPath FuzzPayloadDecoders
#                       FuzzIGMPFrames FuzzProcParsers FuzzArguments FuzzTerminalText
#                       FuzzMeshBeacons FuzzStreamList FuzzMetrics)
#   -j N                run N targets at a time (default 1; the build itself is always serial)
#   --no-build          reuse the binaries already in .build-fuzz
#
# Each run seeds a scratch corpus from the committed one (Tests/Fuzz/Corpus/<target>) and works
# in .build-fuzz/runs/<time>/, never in git: new corpus entries, logs and crashing inputs
# (artifacts/) stay there. Reproduce a finding with
#   SWIFT_BACKTRACE=enable=no .build-fuzz/debug/<target> <crash-file>
# and, if it is small, commit it to Tests/Fuzz/Corpus/<target>/ as a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

all_targets=(FuzzDatagramPath FuzzPayloadDecoders FuzzIGMPFrames FuzzProcParsers FuzzArguments FuzzTerminalText FuzzMeshBeacons FuzzStreamList FuzzMetrics)
jobs=1
build=1
seconds=60
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        -j) jobs="${2:?-j needs a number}"; shift 2 ;;
        -j*) jobs="${1#-j}"; shift ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *[!0-9]*) targets+=("$1"); shift ;;
        *) seconds="$1"; shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target \"$t\"; targets: ${all_targets[*]}" >&2; exit 2; }
done
case "$jobs" in ''|*[!0-9]*|0) echo "fuzz.sh: -j needs a positive number" >&2; exit 2 ;; esac

scratch="$root/.build-fuzz"
if [ "$build" -eq 1 ]; then
    echo "== building ${targets[*]} (debug, -sanitize=fuzzer,address, scratch path .build-fuzz)"
    mkdir -p "$scratch"
    build_start=$SECONDS
    for t in "${targets[@]}"; do
        # One product per invocation: another executable's main would collide with libFuzzer's.
        # swiftc keeps only the last -sanitize= option, and SwiftPM passes --sanitize=fuzzer and
        # --sanitize=address as two (in no fixed order): compiled that way a module gets either no
        # coverage counters (libFuzzer then sees 18 and explores nothing) or no address sanitizer.
        # The combined option last gives every module both; SwiftPM's flags still link both runtimes.
        if ! MCEXPERT_FUZZ=1 swift build -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -parse-as-library -Xswiftc -sanitize=fuzzer,address \
            --product "$t" --scratch-path "$scratch" >"$scratch/fuzz-build.log" 2>&1; then
            grep -E "error:" "$scratch/fuzz-build.log" | head -n 20 || tail -n 30 "$scratch/fuzz-build.log"
            echo "fuzz.sh: building $t failed (full log: $scratch/fuzz-build.log)"
            exit 1
        fi
    done
    echo "   built in $((SECONDS - build_start)) s"
fi
bin="$(MCEXPERT_FUZZ=1 swift build -c debug --scratch-path "$scratch" --show-bin-path 2>/dev/null || echo "$scratch/debug")"

run="$scratch/runs/$(date +%Y%m%d-%H%M%S)"
artifacts="$run/artifacts"
mkdir -p "$artifacts"
echo "== fuzzing ${#targets[@]} target(s), ${seconds} s each, $jobs at a time"
echo "   work directory:   $run"
echo "   crashing inputs:  $artifacts"

export SWIFT_BACKTRACE=enable=no  # let libFuzzer, not Swift's backtracer, catch the trap and save the input

fuzz_one() {
    local t="$1" corpus="$run/corpus/$1"
    mkdir -p "$corpus"
    cp "$root/Tests/Fuzz/Corpus/$t/"* "$corpus/" 2>/dev/null || true
    set +e
    (cd "$run" && "$bin/$t" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$t-") >"$run/$t.log" 2>&1
    echo $? >"$run/$t.status"
    set -e
}

start=$SECONDS
running=0
for t in "${targets[@]}"; do
    if [ ! -x "$bin/$t" ]; then echo "fuzz.sh: $bin/$t is missing; run without --no-build" >&2; exit 1; fi
    fuzz_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=0
printf '\n%-18s %12s %8s  %s\n' target executions exec/s result
for t in "${targets[@]}"; do
    log="$run/$t.log"
    status="$(cat "$run/$t.status" 2>/dev/null || echo '?')"
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
    if grep -q 'ERROR: libFuzzer: timeout' "$log"; then result=timeout
    elif grep -qE 'ERROR: libFuzzer: out-of-memory|ERROR: libFuzzer: malloc' "$log"; then result=out-of-memory
    elif grep -q 'ERROR: LeakSanitizer' "$log"; then result=leak
    elif grep -qE 'ERROR: (libFuzzer: deadly signal|AddressSanitizer)' "$log"; then result=crash
    elif [ "$status" != 0 ]; then result="error (exit $status)"
    elif [ -z "$execs" ]; then result="error (no statistics)"
    else result=ok
    fi
    printf '%-18s %12s %8s  %s\n' "$t" "${execs:--}" "${rate:--}" "$result"
    if [ "$result" != ok ]; then
        failed=1
        # Where: the Swift runtime's message and the first frame in this package's code.
        what="$(grep -m 1 -E 'Fatal error|Precondition failed|Assertion failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$log" || true)"
        where="$(grep -m 1 -oE '/[^ ]*/(Sources|Tests/Fuzz)/[^ ]+:[0-9]+(:[0-9]+)?' "$log" | sed "s|^$root/||" || true)"
        input="$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)"
        [ -n "$what" ] && printf '%18s   %s\n' '' "${what:0:160}"
        [ -n "$where" ] && printf '%18s   at %s\n' '' "$where"
        [ -n "$input" ] && printf '%18s   input: %s (%s bytes)\n' '' "$input" "$(wc -c <"$input" | tr -d ' ')"
        printf '%18s   log: %s\n' '' "$log"
    fi
done
echo "fuzzing took $((SECONDS - start)) s"
if [ "$failed" -ne 0 ]; then
    echo "fuzz.sh: findings above; reproduce with SWIFT_BACKTRACE=enable=no $bin/<target> <input>"
    exit 1
fi
echo "fuzz.sh: no findings"
