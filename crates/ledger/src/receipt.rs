//! C2SP tlog-proof receipts: an offline-verifiable proof that an entry is in
//! the log, made of the entry's index, its inclusion proof and the signed
//! checkpoint it leads to.
//!
//! ```text
//! c2sp.org/tlog-proof@v1
//! [extra <base64>]
//! index <decimal>
//! <base64 hash>            (zero or more: the inclusion proof)
//!
//! <signed checkpoint, verbatim>
//! ```
//!
//! The entry itself is not in the receipt: whoever verifies it holds the
//! entry (or puts it in the unauthenticated `extra` line and verifies that).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::hash::{Hash, leaf_hash};
use crate::note::{Note, Verifier};
use crate::proof::{ProofError, VerifyError, inclusion_proof, verify_inclusion};
use crate::tree::HashReader;

/// First line of every receipt.
pub const TLOG_PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";

/// A receipt is malformed or does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// The text is not a tlog-proof.
    #[error("malformed receipt: {0}")]
    Malformed(&'static str),
    /// The checkpoint is malformed or its signature does not verify.
    #[error("receipt checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// The inclusion proof does not lead to the checkpoint's root.
    #[error("receipt inclusion proof: {0}")]
    Proof(#[from] VerifyError),
}

impl ReceiptError {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            ReceiptError::Malformed(_) => "receipt_malformed",
            ReceiptError::Checkpoint(e) => e.code(),
            ReceiptError::Proof(e) => e.code(),
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            ReceiptError::Malformed(why) => format!("回执格式错误：{why}"),
            ReceiptError::Checkpoint(e) => format!("回执中的检查点：{}", e.message_zh()),
            ReceiptError::Proof(e) => format!("回执中的包含证明：{}", e.message_zh()),
        }
    }
}

/// A tlog-proof receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Optional opaque data (not authenticated by the receipt).
    pub extra: Option<Vec<u8>>,
    /// Index of the entry in the log.
    pub index: u64,
    /// Inclusion proof from the entry to the checkpoint's root.
    pub proof: Vec<Hash>,
    /// The signed checkpoint, verbatim (a signed note).
    pub checkpoint: String,
}

impl Receipt {
    /// Builds the receipt for entry `index` against a signed checkpoint,
    /// computing the inclusion proof from the log's stored hashes. The
    /// checkpoint's signature is not checked here.
    pub fn build<R: HashReader + ?Sized>(
        index: u64,
        signed_checkpoint: &str,
        reader: &R,
    ) -> Result<Receipt, ReceiptBuildError<R::Error>> {
        let note =
            Note::parse(signed_checkpoint).map_err(|e| ReceiptBuildError::Checkpoint(e.into()))?;
        let checkpoint = Checkpoint::parse(&note.text).map_err(ReceiptBuildError::Checkpoint)?;
        let proof =
            inclusion_proof(index, checkpoint.size, reader).map_err(ReceiptBuildError::Proof)?;
        Ok(Receipt {
            extra: None,
            index,
            proof,
            checkpoint: signed_checkpoint.to_string(),
        })
    }

    /// The receipt text.
    pub fn encode(&self) -> String {
        let mut s = String::with_capacity(64 + self.proof.len() * 45 + self.checkpoint.len());
        s.push_str(TLOG_PROOF_HEADER);
        s.push('\n');
        if let Some(extra) = &self.extra {
            s.push_str("extra ");
            s.push_str(&BASE64.encode(extra));
            s.push('\n');
        }
        s.push_str(&format!("index {}\n", self.index));
        for h in &self.proof {
            s.push_str(&h.to_base64());
            s.push('\n');
        }
        s.push('\n');
        s.push_str(&self.checkpoint);
        s
    }

    /// Parses receipt text.
    pub fn parse(text: &str) -> Result<Receipt, ReceiptError> {
        let mut rest = text;
        let mut next_line = || -> Result<&str, ReceiptError> {
            let (line, tail) = rest
                .split_once('\n')
                .ok_or(ReceiptError::Malformed("unexpected end of receipt"))?;
            rest = tail;
            Ok(line)
        };
        if next_line()? != TLOG_PROOF_HEADER {
            return Err(ReceiptError::Malformed(
                "first line is not c2sp.org/tlog-proof@v1",
            ));
        }
        let mut line = next_line()?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            extra = Some(
                BASE64
                    .decode(b64)
                    .map_err(|_| ReceiptError::Malformed("extra is not base64"))?,
            );
            line = next_line()?;
        }
        let index = line
            .strip_prefix("index ")
            .ok_or(ReceiptError::Malformed("missing index line"))?;
        if index.is_empty()
            || !index.bytes().all(|b| b.is_ascii_digit())
            || (index.len() > 1 && index.starts_with('0'))
        {
            return Err(ReceiptError::Malformed(
                "index is not a decimal without leading zeroes",
            ));
        }
        let index: u64 = index
            .parse()
            .map_err(|_| ReceiptError::Malformed("index out of range"))?;
        let mut proof = Vec::new();
        loop {
            let line = next_line()?;
            if line.is_empty() {
                break;
            }
            if proof.len() == 64 {
                return Err(ReceiptError::Malformed(
                    "inclusion proof longer than 64 hashes",
                ));
            }
            proof.push(
                Hash::from_base64(line)
                    .map_err(|_| ReceiptError::Malformed("proof line is not a base64 hash"))?,
            );
        }
        if rest.is_empty() {
            return Err(ReceiptError::Malformed("missing checkpoint"));
        }
        Ok(Receipt {
            extra,
            index,
            proof,
            checkpoint: rest.to_string(),
        })
    }

    /// Verifies that `entry` is in the log: the checkpoint must be signed by
    /// one of `verifiers` and the proof must lead from the entry's leaf hash
    /// to its root. Returns the checkpoint.
    pub fn verify(&self, entry: &[u8], verifiers: &[Verifier]) -> Result<Checkpoint, ReceiptError> {
        self.verify_leaf_hash(&leaf_hash(entry), verifiers)
    }

    /// Like [`verify`](Receipt::verify), given the entry's leaf hash.
    pub fn verify_leaf_hash(
        &self,
        leaf: &Hash,
        verifiers: &[Verifier],
    ) -> Result<Checkpoint, ReceiptError> {
        let checkpoint = Checkpoint::open(&self.checkpoint, verifiers)?;
        verify_inclusion(
            leaf,
            self.index,
            checkpoint.size,
            &self.proof,
            &checkpoint.root,
        )?;
        Ok(checkpoint)
    }
}

/// A receipt could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptBuildError<E> {
    /// The signed checkpoint is malformed.
    #[error("checkpoint: {0}")]
    Checkpoint(CheckpointError),
    /// The inclusion proof could not be generated.
    #[error("inclusion proof: {0}")]
    Proof(ProofError<E>),
}

impl<E> ReceiptBuildError<E> {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            ReceiptBuildError::Checkpoint(e) => e.code(),
            ReceiptBuildError::Proof(e) => e.code(),
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            ReceiptBuildError::Checkpoint(e) => e.message_zh(),
            ReceiptBuildError::Proof(e) => e.message_zh(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::{NoteError, Signer};
    use crate::tree::MemoryTree;

    /// The example of the C2SP tlog-proof specification (signatures
    /// abbreviated there, so only its syntax can be checked).
    const SPEC: &str = "c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

example.com/fancylog
109482
sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=

\u{2014} example.com/fancylog hI2DJw[...]1roloI=
";

    #[test]
    fn spec_example_layout_parses() {
        let r = Receipt::parse(SPEC).unwrap();
        assert_eq!(r.index, 73_894);
        assert!(
            r.extra
                .as_deref()
                .unwrap()
                .starts_with(b"age-v1.2.1-darwin-arm64.tar.gz")
        );
        assert_eq!(r.proof.len(), 5);
        assert_eq!(
            r.proof[0].to_base64(),
            "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ="
        );
        assert!(r.checkpoint.starts_with("example.com/fancylog\n109482\n"));
        assert_eq!(r.encode(), SPEC);
        // Without the optional extra line.
        let text = SPEC.replace(
            "extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ\n",
            "",
        );
        let r = Receipt::parse(&text).unwrap();
        assert_eq!(r.extra, None);
        assert_eq!(r.encode(), text);
    }

    fn log(n: u64) -> (MemoryTree, Signer, String) {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.append_entry(format!("entry {i}").as_bytes());
        }
        let signer = Signer::from_seed("gongzhi.test/ledger", [3; 32]).unwrap();
        let signed = Checkpoint::new("gongzhi.test/ledger", t.size(), t.root())
            .sign(&signer)
            .unwrap();
        (t, signer, signed)
    }

    #[test]
    fn build_encode_parse_verify() {
        let (t, signer, signed) = log(1000);
        let v = [signer.verifier()];
        for index in [0u64, 1, 499, 998, 999] {
            let mut r = Receipt::build(index, &signed, &t).unwrap();
            r.extra = Some(format!("case {index}").into_bytes());
            let text = r.encode();
            let back = Receipt::parse(&text).unwrap();
            assert_eq!(back, r);
            let cp = back
                .verify(format!("entry {index}").as_bytes(), &v)
                .unwrap();
            assert_eq!(cp.size, 1000);
            // Another entry, index or key fails.
            assert!(matches!(
                back.verify(b"entry x", &v),
                Err(ReceiptError::Proof(VerifyError::RootMismatch))
            ));
            let mut moved = back.clone();
            moved.index = (index + 1) % 1000;
            assert!(
                moved
                    .verify(format!("entry {index}").as_bytes(), &v)
                    .is_err()
            );
            let stranger = Signer::from_seed("gongzhi.test/ledger", [4; 32])
                .unwrap()
                .verifier();
            assert_eq!(
                back.verify(format!("entry {index}").as_bytes(), &[stranger]),
                Err(ReceiptError::Checkpoint(CheckpointError::Note(
                    NoteError::UnknownKey
                )))
            );
        }
    }

    #[test]
    fn one_entry_log_has_an_empty_proof() {
        let (t, signer, signed) = log(1);
        let r = Receipt::build(0, &signed, &t).unwrap();
        assert!(r.proof.is_empty());
        let text = r.encode();
        assert!(text.starts_with("c2sp.org/tlog-proof@v1\nindex 0\n\ngongzhi.test/ledger\n1\n"));
        let back = Receipt::parse(&text).unwrap();
        assert_eq!(
            back.verify(b"entry 0", &[signer.verifier()]).unwrap().size,
            1
        );
        assert!(Receipt::build(1, &signed, &t).is_err());
    }

    #[test]
    fn malformed_receipts_are_rejected() {
        let (t, _, signed) = log(10);
        let good = Receipt::build(3, &signed, &t).unwrap().encode();
        for bad in [
            String::new(),
            good.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
            good.replace("index 3", "index 03"),
            good.replace("index 3", "index -3"),
            good.replace("index 3", "idx 3"),
            good.replace("index 3\n", "extra !!\nindex 3\n"),
            good.replacen("=\n", "\n", 1),
            good[..good.find("\n\n").unwrap() + 2].to_string(),
            good.replace("\n\n", "\n"),
        ] {
            assert!(Receipt::parse(&bad).is_err(), "{bad:?} accepted");
        }
    }
}
