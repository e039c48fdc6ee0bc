#!/usr/bin/env bash
# P4 transparency log: integrate and full verification, in memory (1,000,000 entries of 256 B)
# and through the store on SQLite (2,000 cases × 50 events), beside `openssl speed -bytes 256
# sha256` run in between, in the same run.
# Usage: bash bench/ledger/run.sh [RUNS]   (default 3). Prints ROW| lines (bench/run keeps them in ROWS).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build -q --release -p gongzhi-ledger --example bench
cargo build -q --release -p gongzhi-server --example ledger_bench
for run in $(seq 1 "$RUNS"); do
  openssl speed -seconds 2 -bytes 256 sha256 2>/dev/null | grep '^sha256' | tee -a "$work/openssl"
  cargo run -q --release -p gongzhi-ledger --example bench | tee -a "$work/memory"
  openssl speed -seconds 2 -bytes 256 sha256 2>/dev/null | grep '^sha256' | tee -a "$work/openssl"
  cargo run -q --release -p gongzhi-server --example ledger_bench -- 2000 50 | tee -a "$work/store"
done
python3 - "$work" "$RUNS" <<'PY'
import re, statistics, sys, os
w, runs = sys.argv[1], sys.argv[2]
read = lambda f: open(os.path.join(w, f)).read()
med = statistics.median
nums = lambda pat, text: [float(x.replace(",", "")) for x in re.findall(pat, text)]
# openssl: "sha256   1199567.03k" = thousands of bytes per second on 256-byte messages.
ossl = [float(x) / 1000 for x in re.findall(r"^sha256\s+([\d.]+)k", read("openssl"), re.M)]
ossl_mb = med(ossl)
ossl_h = ossl_mb * 1e6 / 256
mem, sto = read("memory"), read("store")
integ = nums(r"integrate \(hash entry \+ tree \+ keep stored hashes\): ([\d.]+) entries/s", mem)
ver_mb = nums(r"full verify, 1 thread\(s\): [\d.]+ entries/s, [\d.]+ s, ([\d.]+) MB/s", mem)
ver_e = nums(r"full verify, 1 thread\(s\): ([\d.]+) entries/s", mem)
s_int = nums(r"integrate \(read pending.*= ([\d.]+) entries/s", sto)
s_ver = nums(r"verify --database .*= ([\d.]+) entries/s", sto)
s_app = nums(r"append, 50 events per transaction: .*= ([\d.]+) entries/s", sto)
avg = nums(r"in memory, same entries \(avg ([\d.]+) bytes\)", sto)
j = lambda v, f="{:,.0f}": "/".join(f.format(x) for x in v)
cmd = f"bench/ledger/run.sh {runs}"
base = f"openssl sha256, 256-B messages: {ossl_h:,.0f} hashes/s = {ossl_mb:,.0f} MB/s (runs {j(ossl)} MB/s)"
def verdict(ok, goal):
    return goal + ": " + ("met" if ok else "**not met**")
print(f"ROW|P4 ledger integrate, in memory (1 M entries of 256 B: hash, extend tree, keep stored hashes)"
      f"|{med(integ):,.0f} entries/s (runs {j(integ)})|{base}|{med(integ)/ossl_h:.2f}×"
      f"|{verdict(med(integ) >= 200_000, '≥ 200,000 entries/s')}|{cmd}")
pct = 100 * med(ver_mb) / ossl_mb
print(f"ROW|P4 ledger full verify of 1 M entries, in memory, one thread (entries + tree against a signed checkpoint)"
      f"|{med(ver_mb):,.0f} MB/s of SHA-256 input, {med(ver_e):,.0f} entries/s (runs {j(ver_mb)} MB/s)|{base}|{pct/100:.2f}×"
      f"|{verdict(pct >= 50, '≥ 50% of raw SHA-256')} ({pct:.0f}%)|{cmd}")
print(f"ROW|P4 ledger integrate through the store on SQLite (read pending, hash, store hashes, assign indexes; 100,000 entries)"
      f"|{med(s_int):,.0f} entries/s (runs {j(s_int)})|{base}|{med(s_int)/ossl_h:.2f}×"
      f"|{verdict(med(s_int) >= 200_000, '≥ 200,000 entries/s')}|{cmd}")
# Bytes hashed per entry in a verification: the entry with its 0x00 prefix, plus one 65-byte node.
vb = med(s_ver) * (med(avg) + 1 + 65) / 1e6
pct = 100 * vb / ossl_mb
print(f"ROW|P4 ledger `verify --database` (re-derive every entry from its event, rebuild the tree, compare stored hashes)"
      f"|{med(s_ver):,.0f} entries/s ≈ {vb:,.0f} MB/s of SHA-256 input (runs {j(s_ver)})|{base}|{pct/100:.2f}×"
      f"|{verdict(pct >= 50, '≥ 50% of raw SHA-256')} ({pct:.0f}%)|{cmd}")
print(f"ROW|P4 ledger append through the store (50 events + entries per transaction, synchronous=FULL)"
      f"|{med(s_app):,.0f} entries/s (runs {j(s_app)})|{base}|{med(s_app)/ossl_h:.3f}×|no goal given|{cmd}")
PY
