//! Proof tests: the RFC 6962 example tree (the vectors used by the
//! certificate-transparency and transparency-dev test suites), corrupted
//! proofs, and property tests over random sizes up to 100,000.

use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::hash::{empty_root, leaf_hash, root_from_leaf_hashes};
use crate::tree::MemoryTree;

fn h(hex: &str) -> Hash {
    Hash::from_hex(hex).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The 8 leaf inputs of the RFC 6962 test tree.
const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Roots of the trees of sizes 1..=8 over [`LEAVES`].
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (leaf index, tree size, proof)
const INCLUSION: [(u64, u64, &[&str]); 5] = [
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (old size, new size, proof)
const CONSISTENCY: [(u64, u64, &[&str]); 5] = [
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

fn example_tree() -> MemoryTree {
    let mut t = MemoryTree::new();
    for l in LEAVES {
        t.append_entry(&unhex(l));
    }
    t
}

fn hashes(v: &[&str]) -> Vec<Hash> {
    v.iter().map(|s| h(s)).collect()
}

#[test]
fn rfc6962_roots_for_sizes_1_to_8() {
    let t = example_tree();
    let leaves: Vec<Hash> = LEAVES.iter().map(|l| leaf_hash(&unhex(l))).collect();
    for size in 1..=8u64 {
        let want = h(ROOTS[size as usize - 1]);
        assert_eq!(tree_hash(size, &t).unwrap(), want, "size {size}");
        assert_eq!(root_from_leaf_hashes(&leaves[..size as usize]), want);
    }
    assert_eq!(t.root(), h(ROOTS[7]));
    assert_eq!(tree_hash(0, &t).unwrap(), empty_root());
}

#[test]
fn rfc6962_inclusion_vectors_generate_and_verify() {
    let t = example_tree();
    for (index, size, proof) in INCLUSION {
        let proof = hashes(proof);
        let leaf = leaf_hash(&unhex(LEAVES[index as usize]));
        let root = h(ROOTS[size as usize - 1]);
        assert_eq!(
            inclusion_proof(index, size, &t).unwrap(),
            proof,
            "{index}/{size}"
        );
        assert_eq!(verify_inclusion(&leaf, index, size, &proof, &root), Ok(()));
        for (what, probe) in corrupt_inclusion(index, size, &proof, &root, &leaf) {
            assert!(
                verify_inclusion(
                    &probe.leaf,
                    probe.index,
                    probe.size,
                    &probe.proof,
                    &probe.root
                )
                .is_err(),
                "{index}/{size}: {what} verified"
            );
        }
    }
}

#[test]
fn every_inclusion_proof_in_the_example_tree_verifies() {
    let t = example_tree();
    for size in 1..=8u64 {
        let root = h(ROOTS[size as usize - 1]);
        for index in 0..size {
            let proof = inclusion_proof(index, size, &t).unwrap();
            let leaf = t.leaf_hash(index).unwrap();
            assert_eq!(verify_inclusion(&leaf, index, size, &proof, &root), Ok(()));
        }
    }
}

#[test]
fn rfc6962_consistency_vectors_generate_and_verify() {
    let t = example_tree();
    for (old, new, proof) in CONSISTENCY {
        let proof = hashes(proof);
        let r1 = h(ROOTS[old as usize - 1]);
        let r2 = h(ROOTS[new as usize - 1]);
        assert_eq!(
            consistency_proof(old, new, &t).unwrap(),
            proof,
            "{old}->{new}"
        );
        assert_eq!(verify_consistency(old, new, &r1, &r2, &proof), Ok(()));
        if proof.is_empty() {
            continue;
        }
        for (what, p) in corrupt_consistency(old, new, &r1, &r2, &proof) {
            assert!(
                verify_consistency(p.old, p.new, &p.r1, &p.r2, &p.proof).is_err(),
                "{old}->{new}: {what} verified"
            );
        }
    }
}

#[test]
fn every_consistency_proof_in_the_example_tree_verifies() {
    let t = example_tree();
    for new in 1..=8u64 {
        for old in 1..=new {
            let proof = consistency_proof(old, new, &t).unwrap();
            let r1 = h(ROOTS[old as usize - 1]);
            let r2 = h(ROOTS[new as usize - 1]);
            assert_eq!(
                verify_consistency(old, new, &r1, &r2, &proof),
                Ok(()),
                "{old}->{new}"
            );
        }
    }
}

#[test]
fn consistency_edge_cases() {
    let a = leaf_hash(b"a");
    let b = leaf_hash(b"b");
    let e = empty_root();
    // Equal sizes: empty proof, equal roots.
    assert_eq!(verify_consistency(0, 0, &a, &a, &[]), Ok(()));
    assert_eq!(verify_consistency(1, 1, &b, &b, &[]), Ok(()));
    assert!(verify_consistency(0, 0, &a, &b, &[]).is_err());
    assert!(verify_consistency(1, 1, &a, &b, &[]).is_err());
    assert!(verify_consistency(1, 1, &e, &e, &[e]).is_err());
    // Anything is consistent with the empty tree, with an empty proof.
    assert_eq!(verify_consistency(0, 1, &a, &b, &[]), Ok(()));
    assert!(verify_consistency(0, 1, &e, &e, &[e]).is_err());
    // Time travel.
    assert_eq!(
        verify_consistency(1, 0, &a, &b, &[]),
        Err(VerifyError::SizeDecreased { old: 1, new: 0 })
    );
    assert!(verify_consistency(2, 1, &a, &b, &[]).is_err());
    // Empty proof between different sizes.
    assert_eq!(
        verify_consistency(1, 2, &a, &b, &[]),
        Err(VerifyError::WrongProofLength)
    );
}

#[test]
fn inclusion_edge_cases() {
    let some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
    let e = empty_root();
    for (index, size) in [(0u64, 0u64), (1, 0), (2, 1), (1, 1)] {
        assert_eq!(
            verify_inclusion(&some, index, size, &[], &e),
            Err(VerifyError::IndexOutOfRange { index, size })
        );
    }
    // A one-leaf tree: the root is the leaf hash, the proof is empty.
    let leaf = leaf_hash(b"data");
    assert_eq!(verify_inclusion(&leaf, 0, 1, &[], &leaf), Ok(()));
    assert_eq!(
        verify_inclusion(&leaf, 0, 1, &[], &e),
        Err(VerifyError::RootMismatch)
    );
    assert_eq!(
        verify_inclusion(&leaf, 0, 1, &[leaf], &leaf),
        Err(VerifyError::WrongProofLength)
    );
}

#[test]
fn generation_rejects_bad_ranges() {
    let t = example_tree();
    assert!(matches!(
        inclusion_proof(8, 8, &t),
        Err(ProofError::Range { .. })
    ));
    assert!(matches!(
        consistency_proof(5, 4, &t),
        Err(ProofError::Range { .. })
    ));
    assert_eq!(consistency_proof(0, 8, &t).unwrap(), vec![]);
    assert!(matches!(
        inclusion_proof(3, 9, &t),
        Err(ProofError::Read(_))
    ));
}

struct InclusionProbe {
    index: u64,
    size: u64,
    root: Hash,
    leaf: Hash,
    proof: Vec<Hash>,
}

fn flip(h: &Hash, bit: u8) -> Hash {
    let mut b = *h;
    b.0[0] ^= 1 << bit;
    b
}

fn corrupt_inclusion(
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
    leaf: &Hash,
) -> Vec<(String, InclusionProbe)> {
    let some = leaf_hash(b"some other hash");
    let probe = |index, size, root: &Hash, leaf: &Hash, proof: Vec<Hash>| InclusionProbe {
        index,
        size,
        root: *root,
        leaf: *leaf,
        proof,
    };
    let with = |extra: Hash, front: bool| {
        let mut p = proof.to_vec();
        if front {
            p.insert(0, extra);
        } else {
            p.push(extra);
        }
        p
    };
    let mut out = vec![
        (
            "index + 1".into(),
            probe(index + 1, size, root, leaf, proof.to_vec()),
        ),
        (
            "index ^ 2".into(),
            probe(index ^ 2, size, root, leaf, proof.to_vec()),
        ),
        (
            "size * 2".into(),
            probe(index, size * 2, root, leaf, proof.to_vec()),
        ),
        (
            "size / 2".into(),
            probe(index, size / 2, root, leaf, proof.to_vec()),
        ),
        (
            "wrong leaf".into(),
            probe(index, size, root, &some, proof.to_vec()),
        ),
        (
            "empty root".into(),
            probe(index, size, &empty_root(), leaf, proof.to_vec()),
        ),
        (
            "random root".into(),
            probe(index, size, &some, leaf, proof.to_vec()),
        ),
        (
            "trailing zero".into(),
            probe(index, size, root, leaf, with(Hash::default(), false)),
        ),
        (
            "trailing root".into(),
            probe(index, size, root, leaf, with(*root, false)),
        ),
        (
            "preceding zero".into(),
            probe(index, size, root, leaf, with(Hash::default(), true)),
        ),
        (
            "preceding root".into(),
            probe(index, size, root, leaf, with(*root, true)),
        ),
    ];
    if index > 0 {
        out.push((
            "index - 1".into(),
            probe(index - 1, size, root, leaf, proof.to_vec()),
        ));
    }
    for i in 0..proof.len() {
        let mut p = proof.to_vec();
        p[i] = flip(&p[i], 3);
        out.push((
            format!("flipped proof[{i}]"),
            probe(index, size, root, leaf, p),
        ));
    }
    if !proof.is_empty() {
        let p = proof[..proof.len() - 1].to_vec();
        out.push(("removed last".into(), probe(index, size, root, leaf, p)));
    }
    if proof.len() > 1 {
        let mut p = proof.to_vec();
        p.insert(1, some);
        out.push((
            "inserted component".into(),
            probe(index, size, root, leaf, p),
        ));
    }
    out
}

struct ConsistencyProbe {
    old: u64,
    new: u64,
    r1: Hash,
    r2: Hash,
    proof: Vec<Hash>,
}

fn corrupt_consistency(
    old: u64,
    new: u64,
    r1: &Hash,
    r2: &Hash,
    proof: &[Hash],
) -> Vec<(String, ConsistencyProbe)> {
    let wrong = leaf_hash(b"WrongRoot");
    let p = |old, new, r1: &Hash, r2: &Hash, proof: Vec<Hash>| ConsistencyProbe {
        old,
        new,
        r1: *r1,
        r2: *r2,
        proof,
    };
    let with = |extra: Hash, front: bool| {
        let mut v = proof.to_vec();
        if front {
            v.insert(0, extra);
        } else {
            v.push(extra);
        }
        v
    };
    let mut out = vec![
        ("old - 1".into(), p(old - 1, new, r1, r2, proof.to_vec())),
        ("old + 1".into(), p(old + 1, new, r1, r2, proof.to_vec())),
        ("old ^ 2".into(), p(old ^ 2, new, r1, r2, proof.to_vec())),
        ("new * 2".into(), p(old, new * 2, r1, r2, proof.to_vec())),
        ("new / 2".into(), p(old, new / 2, r1, r2, proof.to_vec())),
        (
            "wrong root1".into(),
            p(old, new, &wrong, r2, proof.to_vec()),
        ),
        (
            "wrong root2".into(),
            p(old, new, r1, &wrong, proof.to_vec()),
        ),
        ("swapped roots".into(), p(old, new, r2, r1, proof.to_vec())),
        ("empty proof".into(), p(old, new, r1, r2, vec![])),
        (
            "trailing zero".into(),
            p(old, new, r1, r2, with(Hash::default(), false)),
        ),
        (
            "trailing root1".into(),
            p(old, new, r1, r2, with(*r1, false)),
        ),
        (
            "trailing root2".into(),
            p(old, new, r1, r2, with(*r2, false)),
        ),
        (
            "preceding zero".into(),
            p(old, new, r1, r2, with(Hash::default(), true)),
        ),
        (
            "preceding root1".into(),
            p(old, new, r1, r2, with(*r1, true)),
        ),
        (
            "preceding root2".into(),
            p(old, new, r1, r2, with(*r2, true)),
        ),
        (
            "preceding proof[0]".into(),
            p(old, new, r1, r2, with(proof[0], true)),
        ),
        (
            "truncated".into(),
            p(old, new, r1, r2, proof[..proof.len() - 1].to_vec()),
        ),
    ];
    for i in 0..proof.len() {
        let mut v = proof.to_vec();
        v[i] = flip(&v[i], 4);
        out.push((format!("flipped proof[{i}]"), p(old, new, r1, r2, v)));
    }
    out
}

const BIG: u64 = 100_000;

/// One tree of 100,000 leaves; a tree of any smaller size is a prefix of it,
/// and its stored hashes answer proofs for every size up to 100,000.
fn big_tree() -> &'static (MemoryTree, Vec<Hash>) {
    static TREE: OnceLock<(MemoryTree, Vec<Hash>)> = OnceLock::new();
    TREE.get_or_init(|| {
        let mut t = MemoryTree::with_capacity(BIG);
        let mut leaves = Vec::with_capacity(BIG as usize);
        for i in 0..BIG {
            let leaf = leaf_hash(&i.to_be_bytes());
            leaves.push(leaf);
            t.append_leaf_hash(leaf);
        }
        (t, leaves)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn inclusion_proofs_verify_for_random_sizes(
        size in 1..=BIG,
        pick in any::<u64>(),
        bit in 0u8..8,
        which in any::<usize>(),
    ) {
        let (tree, leaves) = big_tree();
        let index = pick % size;
        let root = tree_hash(size, tree).unwrap();
        prop_assert_eq!(root, root_from_leaf_hashes(&leaves[..size as usize]));
        let proof = inclusion_proof(index, size, tree).unwrap();
        prop_assert_eq!(proof.len(), inclusion_proof_ranges(index, size).len());
        let leaf = leaves[index as usize];
        prop_assert_eq!(verify_inclusion(&leaf, index, size, &proof, &root), Ok(()));
        // Any flipped bit in the proof, or another leaf, or another index fails.
        if !proof.is_empty() {
            let mut bad = proof.clone();
            let i = which % bad.len();
            bad[i] = flip(&bad[i], bit);
            prop_assert!(verify_inclusion(&leaf, index, size, &bad, &root).is_err());
        }
        let other = leaves[((index + 1) % size) as usize];
        if size > 1 {
            prop_assert!(verify_inclusion(&other, index, size, &proof, &root).is_err());
            let other_index = (index + 1 + (pick >> 32) % (size - 1)) % size;
            prop_assert!(verify_inclusion(&leaf, other_index, size, &proof, &root).is_err());
        }
    }

    #[test]
    fn consistency_proofs_verify_for_random_sizes(
        new in 1..=BIG,
        pick in any::<u64>(),
        bit in 0u8..8,
        which in any::<usize>(),
    ) {
        let (tree, _) = big_tree();
        let old = 1 + pick % new;
        let r1 = tree_hash(old, tree).unwrap();
        let r2 = tree_hash(new, tree).unwrap();
        let proof = consistency_proof(old, new, tree).unwrap();
        prop_assert_eq!(verify_consistency(old, new, &r1, &r2, &proof), Ok(()));
        if old < new {
            prop_assert!(!proof.is_empty());
            let mut bad = proof.clone();
            let i = which % bad.len();
            bad[i] = flip(&bad[i], bit);
            prop_assert!(verify_consistency(old, new, &r1, &r2, &bad).is_err());
            prop_assert!(verify_consistency(old, new, &r2, &r1, &proof).is_err());
            let mut longer = proof.clone();
            longer.push(r2);
            prop_assert!(verify_consistency(old, new, &r1, &r2, &longer).is_err());
            prop_assert!(verify_consistency(old, new, &r1, &r2, &proof[..proof.len() - 1]).is_err());
        }
    }
}
