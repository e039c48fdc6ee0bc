#!/usr/bin/env bash
# Builds every cargo-fuzz target once, then runs each for SECONDS, one after the other.
#
#   bash fuzz/run.sh SECONDS [TARGET...]     (CI: bash fuzz/run.sh 30)
#
# Prints one line per target (runs executed, corpus size, crash or not) and exits non-zero if any
# target crashed (a panic, a failed property assertion, an ASan report, a timeout or running out
# of memory). A crashing input is kept in fuzz/artifacts/TARGET/ (gitignored); reproduce it with
#   fuzz/target/<triple>/release/TARGET fuzz/artifacts/TARGET/crash-...
#
# The committed seed corpus fuzz/corpus/TARGET is only read: what a run finds goes to a scratch
# corpus under $FUZZ_WORK (default: a fresh temporary directory), so the repository does not grow.
# To keep a long run's corpus between runs, set FUZZ_WORK to a directory of your own.
#
# Toolchain: cargo-fuzz needs nightly flags (-Zsanitizer). `cargo +nightly fuzz` when a nightly
# toolchain is installed, otherwise the stable toolchain with RUSTC_BOOTSTRAP=1.
# Sanitizer: cargo-fuzz's default, AddressSanitizer; it builds and runs here, so `--sanitizer
# none` is not used. Build: cargo-fuzz's default (optimised, with debug assertions and overflow
# checks), which is also what keeps the CI run short: one build for all eight targets.
set -euo pipefail

if [[ $# -lt 1 || ! "$1" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [TARGET...]" >&2
    exit 2
fi
seconds="$1"
shift

cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

all_targets=(geojson sheet_csv sheet_xlsx open311_form open311_xml id_number checkpoint signed_note)
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=("${all_targets[@]}")
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

if rustup run nightly rustc --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
    toolchain="nightly ($(rustup run nightly rustc --version))"
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
    toolchain="stable with RUSTC_BOOTSTRAP=1 ($(rustc --version))"
fi
triple="$(rustc -vV | sed -n 's/^host: //p')"
bin_dir="fuzz/target/$triple/release"

# FUZZ_CODEGEN_UNITS: cargo-fuzz builds each crate as one codegen unit in release mode (faster
# fuzzing, but the server crate alone then compiles for ten minutes on one core); a short run
# (CI) trades some executions per second for a build that uses every core.
build_opts=()
if [[ -n "${FUZZ_CODEGEN_UNITS:-}" ]]; then
    build_opts=(--codegen-units "$FUZZ_CODEGEN_UNITS")
fi
echo "fuzz: building all targets with $toolchain ${build_opts[*]}"
start=$(date +%s)
"${fuzz[@]}" build "${build_opts[@]}"
echo "fuzz: build took $(($(date +%s) - start)) s"

work="${FUZZ_WORK:-}"
if [[ -z "$work" ]]; then
    work="$(mktemp -d /tmp/gongzhi-fuzz.XXXXXX)"
fi

failed=0
summary=()
for t in "${targets[@]}"; do
    scratch="$work/corpus/$t"
    artifacts="fuzz/artifacts/$t"
    log="$work/$t.log"
    mkdir -p "$scratch" "$artifacts" "fuzz/corpus/$t"
    dict=()
    if [[ -f "fuzz/dict/$t.dict" ]]; then
        dict=("-dict=fuzz/dict/$t.dict")
    fi
    echo "fuzz: running $t for $seconds s"
    status=0
    t0=$(date +%s)
    # The first corpus directory receives new inputs; the committed seeds are only read.
    ASAN_OPTIONS="detect_odr_violation=0:${ASAN_OPTIONS:-}" \
        "$bin_dir/$t" \
        -max_total_time="$seconds" \
        -timeout=20 \
        -rss_limit_mb=2048 \
        -print_final_stats=1 \
        -artifact_prefix="$artifacts/" \
        "${dict[@]}" \
        "$scratch" "fuzz/corpus/$t" >"$log" 2>&1 || status=$?
    elapsed=$(($(date +%s) - t0))
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
    if [[ -z "$runs" ]]; then
        runs="$(grep -oE '^#[0-9]+' "$log" | tail -n1 | tr -d '#' || true)"
    fi
    corpus="$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -n1 | sed 's/corp: //' || true)"
    if [[ $status -eq 0 ]]; then
        result="no crash"
    else
        failed=1
        artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1 || true)"
        result="CRASHED (exit $status${artifact:+, input $artifact})"
        echo "---- $t: what the fuzzer reported (full log: $log)"
        grep -E -A8 "panicked at|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY" "$log" | grep -vE '^ +#[0-9]+ 0x' | head -n 40 || true
        echo "----"
    fi
    line="$(printf '%-13s %12s runs in %4s s, corpus %-12s %s' "$t" "${runs:-?}" "$elapsed" "${corpus:-?}" "$result")"
    echo "fuzz: $line"
    summary+=("$line")
done

# Keep the scratch directory (logs, grown corpus) only when it is needed: a crash, or asked for.
if [[ $failed -eq 0 && -z "${FUZZ_WORK:-}" ]]; then
    rm -rf "$work"
fi

echo
echo "fuzz summary ($toolchain, $seconds s per target):"
printf '  %s\n' "${summary[@]}"
exit "$failed"
