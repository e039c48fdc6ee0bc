//! C2SP tlog-checkpoint: the signed tree head of a log.
//!
//! The note text is the origin line, the tree size in decimal, the base64
//! root hash, and optional non-empty extension lines, each ending in a
//! newline. It is signed as a [signed note](crate::note).

use std::fmt;

use crate::hash::Hash;
use crate::note::{NoteError, Signer, Verifier, open, sign};

/// A checkpoint text is malformed, or its signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The text is not a checkpoint.
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The signed note did not verify.
    #[error(transparent)]
    Note(#[from] NoteError),
}

impl CheckpointError {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            CheckpointError::Malformed(_) => "checkpoint_malformed",
            CheckpointError::Note(e) => e.code(),
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            CheckpointError::Malformed(why) => format!("检查点格式错误：{why}"),
            CheckpointError::Note(e) => e.message_zh(),
        }
    }
}

/// A tree head: which log, how many entries, and the root hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line, e.g. `example.org/ledger`.
    pub origin: String,
    /// Number of entries in the tree.
    pub size: u64,
    /// RFC 9162 root hash of the tree.
    pub root: Hash,
    /// Extension lines (opaque, non-empty, not recommended).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: &str, size: u64, root: Hash) -> Checkpoint {
        Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The note text: one line each for origin, size, root and extensions.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    /// Parses checkpoint note text (without signatures).
    pub fn parse(text: &str) -> Result<Checkpoint, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::Malformed("text must end in a newline"))?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::Malformed("fewer than three lines"));
        };
        if origin.is_empty() {
            return Err(CheckpointError::Malformed("empty origin"));
        }
        if size.is_empty()
            || !size.bytes().all(|b| b.is_ascii_digit())
            || (size.len() > 1 && size.starts_with('0'))
        {
            return Err(CheckpointError::Malformed(
                "tree size is not a decimal without leading zeroes",
            ));
        }
        let size: u64 = size
            .parse()
            .map_err(|_| CheckpointError::Malformed("tree size out of range"))?;
        let root = Hash::from_base64(root)
            .map_err(|_| CheckpointError::Malformed("root is not a base64 SHA-256 hash"))?;
        let mut extensions = Vec::new();
        for line in lines {
            if line.is_empty() {
                return Err(CheckpointError::Malformed("empty extension line"));
            }
            extensions.push(line.to_string());
        }
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions,
        })
    }

    /// Signs the checkpoint; returns the signed note.
    pub fn sign(&self, signer: &Signer) -> Result<String, CheckpointError> {
        if self.origin.is_empty() || self.origin.contains('\n') {
            return Err(CheckpointError::Malformed(
                "origin must be one non-empty line",
            ));
        }
        if self
            .extensions
            .iter()
            .any(|e| e.is_empty() || e.contains('\n'))
        {
            return Err(CheckpointError::Malformed(
                "extension lines must be non-empty single lines",
            ));
        }
        Ok(sign(&self.to_text(), &[signer])?)
    }

    /// Verifies a signed checkpoint against known keys and parses it.
    /// Callers should also check that the origin is the log they expect.
    pub fn open(signed: &str, verifiers: &[Verifier]) -> Result<Checkpoint, CheckpointError> {
        let note = open(signed, verifiers)?;
        Checkpoint::parse(&note.text)
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::Note;

    /// The example of the C2SP tlog-checkpoint specification.
    const SPEC: &str = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

    #[test]
    fn spec_example_parses() {
        let note = Note::parse(SPEC).unwrap();
        let c = Checkpoint::parse(&note.text).unwrap();
        assert_eq!(c.origin, "example.com/behind-the-sofa");
        assert_eq!(c.size, 20_852_163);
        assert_eq!(
            c.root.to_base64(),
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
        );
        assert!(c.extensions.is_empty());
        assert_eq!(c.to_text(), note.text);
        assert_eq!(note.signatures[0].name, "example.com/behind-the-sofa");
    }

    #[test]
    fn sign_and_open() {
        let signer = Signer::from_seed("gongzhi.example/ledger", [7; 32]).unwrap();
        let mut c = Checkpoint::new("gongzhi.example/ledger", 42, crate::hash::leaf_hash(b"x"));
        c.extensions.push("ext one".into());
        let signed = c.sign(&signer).unwrap();
        assert!(signed.starts_with("gongzhi.example/ledger\n42\n"));
        assert_eq!(Checkpoint::open(&signed, &[signer.verifier()]).unwrap(), c);
        let other = Signer::from_seed("gongzhi.example/ledger", [8; 32]).unwrap();
        assert_eq!(
            Checkpoint::open(&signed, &[other.verifier()]),
            Err(CheckpointError::Note(NoteError::UnknownKey))
        );
        let tampered = signed.replacen("\n42\n", "\n43\n", 1);
        assert!(matches!(
            Checkpoint::open(&tampered, &[signer.verifier()]),
            Err(CheckpointError::Note(NoteError::BadSignature { .. }))
        ));
        let bad = Checkpoint::new("", 1, c.root);
        assert!(bad.sign(&signer).is_err());
    }

    #[test]
    fn malformed_checkpoints_are_rejected() {
        let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
        for text in [
            String::new(),
            "o\n1\n".to_string(),
            format!("o\n1\n{root}"),
            format!("\n1\n{root}\n"),
            format!("o\n01\n{root}\n"),
            format!("o\n-1\n{root}\n"),
            format!("o\n+1\n{root}\n"),
            format!("o\n1 \n{root}\n"),
            format!("o\n18446744073709551616\n{root}\n"),
            "o\n1\nAAAA\n".to_string(),
            format!("o\n1\n{root}\n\n"),
            format!("o\n1\n{root}\next\n\nmore\n"),
        ] {
            assert!(Checkpoint::parse(&text).is_err(), "{text:?} accepted");
        }
        assert_eq!(
            Checkpoint::parse(&format!("o\n0\n{root}\n")).unwrap().size,
            0
        );
        let c = Checkpoint::parse(&format!("o\n18446744073709551615\n{root}\na\nb\n")).unwrap();
        assert_eq!(c.size, u64::MAX);
        assert_eq!(c.extensions, vec!["a", "b"]);
    }
}
