//! Ledger benchmark (not a test). Run in release:
//!
//! ```text
//! cargo run --release -p gongzhi-ledger --example bench -- [ENTRIES] [ENTRY_BYTES]
//! ```
//!
//! Prints the raw SHA-256 rate of this machine (via the same sha2 crate),
//! the integration rate (entries hashed, integrated into the tree and their
//! stored hashes kept), the full verification rate of the whole log against
//! a signed checkpoint, inclusion-proof generation time and tile export time.
//! Compare the raw rate with `openssl speed sha256` run beside it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gongzhi_ledger::tiles::{read_tile, tiles_for_size};
use gongzhi_ledger::{
    Checkpoint, MemoryTree, Signer, TreeBuilder, full_verify_threads, inclusion_proof, leaf_hash,
    verify_inclusion,
};
use sha2::{Digest, Sha256};

fn mb_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

/// Raw SHA-256 throughput over messages of `len` bytes, for about a second.
fn raw_sha256(len: usize) -> f64 {
    let buf = vec![0x5au8; len];
    let start = Instant::now();
    let mut bytes = 0u64;
    let mut n = 0u64;
    while !n.is_multiple_of(1024) || start.elapsed() < Duration::from_millis(700) {
        black_box(Sha256::digest(black_box(&buf)));
        bytes += len as u64;
        n += 1;
    }
    mb_per_s(bytes, start.elapsed())
}

/// `openssl speed sha256` on messages of `len` bytes, in MB/s, if the
/// openssl command is installed.
fn openssl_sha256(len: usize) -> Option<f64> {
    let out = std::process::Command::new("openssl")
        .args([
            "speed",
            "-seconds",
            "1",
            "-bytes",
            &len.to_string(),
            "sha256",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // Last line: "sha256   1199567.03k" (thousands of bytes per second).
    let line = text.lines().rev().find(|l| l.starts_with("sha256"))?;
    let k = line.split_whitespace().nth(1)?.strip_suffix('k')?;
    Some(k.parse::<f64>().ok()? / 1000.0)
}

/// Deterministic entries of `len` bytes, distinct per index.
fn entries(count: u64, len: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            let mut e = vec![0u8; len];
            let mut x = i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            for b in e.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            e[..8].copy_from_slice(&i.to_be_bytes());
            e
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: u64 = args
        .next()
        .map(|a| a.parse().expect("ENTRIES"))
        .unwrap_or(1_000_000);
    let len: usize = args
        .next()
        .map(|a| a.parse().expect("ENTRY_BYTES"))
        .unwrap_or(256);
    assert!(len >= 8, "entries are at least 8 bytes");

    println!("gongzhi-ledger bench: {count} entries of {len} bytes");
    let raw_entry = raw_sha256(len + 1);
    let raw_node = raw_sha256(65);
    let raw_8k = raw_sha256(8192);
    println!(
        "raw SHA-256 (sha2 crate): {raw_8k:.0} MB/s on 8 KiB messages, {raw_entry:.0} MB/s on {} B, {raw_node:.0} MB/s on 65 B",
        len + 1
    );

    let openssl_8k = openssl_sha256(8192);
    let openssl_entry = openssl_sha256(len + 1);
    match (openssl_8k, openssl_entry) {
        (Some(big), Some(small)) => println!(
            "raw SHA-256 (openssl speed sha256): {big:.0} MB/s on 8 KiB messages, {small:.0} MB/s on {} B",
            len + 1
        ),
        _ => println!("openssl not found: no openssl comparison"),
    }

    let data = entries(count, len);

    // Integration: hash each entry as a leaf, fold it into the tree and keep
    // every stored hash (what the sequencer writes to the database).
    let start = Instant::now();
    let mut tree = MemoryTree::with_capacity(count);
    for e in &data {
        tree.append_entry(e);
    }
    let integrate = start.elapsed();
    println!(
        "integrate (hash entry + tree + keep stored hashes): {:.0} entries/s ({:.3} s, {} stored hashes)",
        count as f64 / integrate.as_secs_f64(),
        integrate.as_secs_f64(),
        tree.stored_hashes().len()
    );

    // Integration of precomputed leaf hashes only (the tree part).
    let leaves: Vec<_> = (0..count)
        .map(|i| tree.leaf_hash(i).expect("leaf"))
        .collect();
    let mut stored = Vec::with_capacity(64);
    let mut builder = TreeBuilder::new();
    let start = Instant::now();
    for leaf in &leaves {
        stored.clear();
        builder.push(*leaf, &mut stored);
    }
    let tree_only = start.elapsed();
    assert_eq!(builder.root(), tree.root());
    println!(
        "integrate (leaf hashes given, tree only): {:.0} entries/s",
        count as f64 / tree_only.as_secs_f64()
    );

    // Full verification of the whole log against a signed checkpoint.
    let signer = Signer::from_seed("bench.example/ledger", [1; 32]).expect("key");
    let signed = Checkpoint::new("bench.example/ledger", tree.size(), tree.root())
        .sign(&signer)
        .expect("sign");
    let verifiers = [signer.verifier()];
    let hashed = count * (len as u64 + 1) + count.saturating_sub(1) * 65;
    // The raw rate for the same mix of message sizes.
    let raw_mix_secs = (count * (len as u64 + 1)) as f64 / (raw_entry * 1e6)
        + (count.saturating_sub(1) * 65) as f64 / (raw_node * 1e6);
    let raw_mix = hashed as f64 / raw_mix_secs / 1e6;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let mut thread_counts = vec![1];
    if cores > 1 {
        thread_counts.push(cores);
    }
    for threads in thread_counts {
        let start = Instant::now();
        let cp = full_verify_threads(
            data.iter().map(|e| e.as_slice()),
            &signed,
            &verifiers,
            None,
            threads,
        )
        .expect("log verifies");
        let verify = start.elapsed();
        assert_eq!(cp.size, count);
        let verify_rate = mb_per_s(hashed, verify);
        println!(
            "full verify, {threads} thread(s): {:.0} entries/s, {:.3} s, {verify_rate:.0} MB/s of SHA-256 input \
             ({:.0}% of raw sha2 on the same message sizes, {:.0}% of raw sha2 on 8 KiB), entry data {:.0} MB/s",
            count as f64 / verify.as_secs_f64(),
            verify.as_secs_f64(),
            100.0 * verify_rate / raw_mix,
            100.0 * verify_rate / raw_8k,
            mb_per_s(count * len as u64, verify)
        );
        if let (Some(big), Some(small)) = (openssl_8k, openssl_entry) {
            println!(
                "    = {:.0}% of openssl on 8 KiB, {:.0}% of openssl on {} B messages",
                100.0 * verify_rate / big,
                100.0 * verify_rate / small,
                len + 1
            );
        }
    }

    // Inclusion-proof generation (and verification) in the full tree.
    let proofs = 10_000u64.min(count);
    let root = tree.root();
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let start = Instant::now();
    let mut generated = Vec::with_capacity(proofs as usize);
    for _ in 0..proofs {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let index = x % count;
        generated.push((index, inclusion_proof(index, count, &tree).expect("proof")));
    }
    let gen_time = start.elapsed();
    let start = Instant::now();
    for (index, proof) in &generated {
        verify_inclusion(
            &leaf_hash(&data[*index as usize]),
            *index,
            count,
            proof,
            &root,
        )
        .expect("verifies");
    }
    let ver_time = start.elapsed();
    println!(
        "inclusion proof: generate {:.2} µs, verify {:.2} µs (mean of {proofs}, {} hashes each)",
        gen_time.as_secs_f64() * 1e6 / proofs as f64,
        ver_time.as_secs_f64() * 1e6 / proofs as f64,
        generated[0].1.len()
    );

    // Every tile of the tree, from stored hashes.
    let start = Instant::now();
    let tiles = tiles_for_size(count);
    let mut bytes = 0usize;
    for t in &tiles {
        bytes += read_tile(t, &tree).expect("tile").len();
    }
    println!(
        "tiles: {} tiles ({} bytes) in {:.3} s",
        tiles.len(),
        bytes,
        start.elapsed().as_secs_f64()
    );
}
