//! C2SP signed notes with Ed25519 signatures.
//!
//! A signed note is a text ending in a newline, a blank line, and one or more
//! signature lines `— <key name> <base64(key ID || signature)>` (an em dash
//! U+2014 and a space first). Keys are written as
//! `<name>+<hex key ID>+<base64(0x01 || public key)>` (verifier) and
//! `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>` (signer), where
//! the key ID is the first four bytes of
//! `SHA-256(name || 0x0A || 0x01 || public key)`, big-endian.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use crate::hash::sha256;

/// Signature type byte of Ed25519 in signed notes.
pub const ALG_ED25519: u8 = 0x01;
/// The prefix of every signature line: em dash and space.
pub const SIGNATURE_PREFIX: &str = "\u{2014} ";
/// Most signatures accepted on one note.
pub const MAX_SIGNATURES: usize = 100;
const PRIVATE_KEY_PREFIX: &str = "PRIVATE+KEY+";

/// A signed note or a key is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// A key name is empty or contains spaces or `+`.
    #[error("invalid key name {0:?}")]
    BadKeyName(String),
    /// A key string is malformed.
    #[error("malformed key: {0}")]
    MalformedKey(&'static str),
    /// A key uses another signature type than Ed25519.
    #[error("unsupported signature type 0x{0:02x}")]
    UnsupportedAlgorithm(u8),
    /// The key ID in a key string does not match the key.
    #[error("key ID does not match the key")]
    KeyIdMismatch,
    /// The note is not well formed.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// A signature by a known key does not verify.
    #[error("invalid signature by {name}+{key_id:08x}")]
    BadSignature {
        /// Key name.
        name: String,
        /// Key ID.
        key_id: u32,
    },
    /// No signature is from a known key.
    #[error("note has no signature from a known key")]
    UnknownKey,
    /// Too many signature lines.
    #[error("note has more than {MAX_SIGNATURES} signatures")]
    TooManySignatures,
    /// The operating system gave no randomness for a new key.
    #[error("no randomness for a new key: {0}")]
    Random(String),
}

impl NoteError {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            NoteError::BadKeyName(_) => "note_bad_key_name",
            NoteError::MalformedKey(_) => "note_malformed_key",
            NoteError::UnsupportedAlgorithm(_) => "note_unsupported_algorithm",
            NoteError::KeyIdMismatch => "note_key_id_mismatch",
            NoteError::Malformed(_) => "note_malformed",
            NoteError::BadSignature { .. } => "note_bad_signature",
            NoteError::UnknownKey => "note_unknown_key",
            NoteError::TooManySignatures => "note_too_many_signatures",
            NoteError::Random(_) => "note_no_randomness",
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            NoteError::BadKeyName(n) => format!("密钥名称无效：{n:?}"),
            NoteError::MalformedKey(why) => format!("密钥格式错误：{why}"),
            NoteError::UnsupportedAlgorithm(a) => format!("不支持的签名类型 0x{a:02x}"),
            NoteError::KeyIdMismatch => "密钥 ID 与密钥不符".to_string(),
            NoteError::Malformed(why) => format!("签名文本格式错误：{why}"),
            NoteError::BadSignature { name, key_id } => {
                format!("{name}+{key_id:08x} 的签名无效")
            }
            NoteError::UnknownKey => "没有来自已知密钥的签名".to_string(),
            NoteError::TooManySignatures => format!("签名超过 {MAX_SIGNATURES} 个"),
            NoteError::Random(e) => format!("生成新密钥时无法获得随机数：{e}"),
        }
    }
}

/// Whether `name` may name a key: non-empty, no Unicode spaces, no `+`.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// The key ID of an Ed25519 key:
/// `SHA-256(name || 0x0A || 0x01 || public key)[:4]`, big-endian.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let mut data = Vec::with_capacity(name.len() + 2 + 32);
    data.extend_from_slice(name.as_bytes());
    data.push(b'\n');
    data.push(ALG_ED25519);
    data.extend_from_slice(public_key);
    let h = sha256(&data);
    u32::from_be_bytes([h.0[0], h.0[1], h.0[2], h.0[3]])
}

/// Splits `<name>+<hex id>+<base64>` and decodes the `0x01 || 32 bytes` key.
fn parse_key_parts(s: &str) -> Result<(&str, u32, [u8; 32]), NoteError> {
    let mut parts = s.splitn(3, '+');
    let (Some(name), Some(id_hex), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::MalformedKey("expected name+keyid+key"));
    };
    if !is_valid_key_name(name) {
        return Err(NoteError::BadKeyName(name.to_string()));
    }
    if id_hex.len() != 8 || !id_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NoteError::MalformedKey("key ID is not 8 hex digits"));
    }
    let id = u32::from_str_radix(id_hex, 16).map_err(|_| NoteError::MalformedKey("bad key ID"))?;
    let raw = BASE64
        .decode(b64)
        .map_err(|_| NoteError::MalformedKey("key is not base64"))?;
    let (&alg, key) = raw
        .split_first()
        .ok_or(NoteError::MalformedKey("empty key"))?;
    if alg != ALG_ED25519 {
        return Err(NoteError::UnsupportedAlgorithm(alg));
    }
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| NoteError::MalformedKey("Ed25519 key is not 32 bytes"))?;
    Ok((name, id, key))
}

fn encode_key(name: &str, id: u32, key: &[u8; 32]) -> String {
    let mut raw = Vec::with_capacity(33);
    raw.push(ALG_ED25519);
    raw.extend_from_slice(key);
    format!("{name}+{id:08x}+{}", BASE64.encode(raw))
}

/// A public key that verifies note signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl Verifier {
    /// Parses a verifier key `<name>+<hex key ID>+<base64(0x01 || public key)>`.
    pub fn parse(vkey: &str) -> Result<Verifier, NoteError> {
        let (name, id, key) = parse_key_parts(vkey)?;
        if key_id(name, &key) != id {
            return Err(NoteError::KeyIdMismatch);
        }
        let key = VerifyingKey::from_bytes(&key)
            .map_err(|_| NoteError::MalformedKey("not an Ed25519 public key"))?;
        Ok(Verifier {
            name: name.to_string(),
            key_id: id,
            key,
        })
    }

    /// A verifier for an Ed25519 public key under `name`.
    pub fn from_public_key(name: &str, public_key: &[u8; 32]) -> Result<Verifier, NoteError> {
        if !is_valid_key_name(name) {
            return Err(NoteError::BadKeyName(name.to_string()));
        }
        let key = VerifyingKey::from_bytes(public_key)
            .map_err(|_| NoteError::MalformedKey("not an Ed25519 public key"))?;
        Ok(Verifier {
            name: name.to_string(),
            key_id: key_id(name, public_key),
            key,
        })
    }

    /// The verifier key string.
    pub fn encode(&self) -> String {
        encode_key(&self.name, self.key_id, self.key.as_bytes())
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The raw Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Whether `signature` (64 bytes, without key ID) is this key's
    /// signature of `text` (strict RFC 8032 verification).
    pub fn verify(&self, text: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = Signature::from_slice(signature) else {
            return false;
        };
        self.key.verify_strict(text, &sig).is_ok()
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verifier({})", self.encode())
    }
}

impl fmt::Display for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// A private key that signs notes.
#[derive(Clone)]
pub struct Signer {
    name: String,
    key_id: u32,
    key: SigningKey,
}

impl Signer {
    /// A new random key named `name`.
    pub fn generate(name: &str) -> Result<Signer, NoteError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| NoteError::Random(e.to_string()))?;
        Signer::from_seed(name, seed)
    }

    /// The key with this 32-byte Ed25519 seed, named `name`.
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Signer, NoteError> {
        if !is_valid_key_name(name) {
            return Err(NoteError::BadKeyName(name.to_string()));
        }
        let key = SigningKey::from_bytes(&seed);
        Ok(Signer {
            name: name.to_string(),
            key_id: key_id(name, key.verifying_key().as_bytes()),
            key,
        })
    }

    /// Parses a signer key `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`.
    pub fn parse(skey: &str) -> Result<Signer, NoteError> {
        let rest = skey
            .strip_prefix(PRIVATE_KEY_PREFIX)
            .ok_or(NoteError::MalformedKey(
                "signer key must start with PRIVATE+KEY+",
            ))?;
        let (name, id, seed) = parse_key_parts(rest)?;
        let signer = Signer::from_seed(name, seed)?;
        if signer.key_id != id {
            return Err(NoteError::KeyIdMismatch);
        }
        Ok(signer)
    }

    /// The signer key string (secret: store it like a password).
    pub fn encode(&self) -> String {
        format!(
            "{PRIVATE_KEY_PREFIX}{}",
            encode_key(&self.name, self.key_id, self.key.as_bytes())
        )
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The matching verifier.
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    /// The Ed25519 signature of `text`.
    pub fn sign(&self, text: &[u8]) -> [u8; 64] {
        self.key.sign(text).to_bytes()
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Signer({}+{:08x}, private key hidden)",
            self.name, self.key_id
        )
    }
}

/// One signature line of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    /// Key name.
    pub name: String,
    /// Key ID.
    pub key_id: u32,
    /// The signature bytes after the key ID.
    pub signature: Vec<u8>,
}

impl NoteSignature {
    /// The line `— <name> <base64(key ID || signature)>` without newline.
    pub fn line(&self) -> String {
        let mut raw = Vec::with_capacity(4 + self.signature.len());
        raw.extend_from_slice(&self.key_id.to_be_bytes());
        raw.extend_from_slice(&self.signature);
        format!("{SIGNATURE_PREFIX}{} {}", self.name, BASE64.encode(raw))
    }

    fn parse_line(line: &str) -> Result<NoteSignature, NoteError> {
        let rest = line
            .strip_prefix(SIGNATURE_PREFIX)
            .ok_or(NoteError::Malformed(
                "signature line must start with an em dash and a space",
            ))?;
        let (name, b64) = rest
            .split_once(' ')
            .ok_or(NoteError::Malformed("signature line has no signature"))?;
        if !is_valid_key_name(name) {
            return Err(NoteError::Malformed("invalid key name in signature line"));
        }
        let raw = BASE64
            .decode(b64)
            .map_err(|_| NoteError::Malformed("signature is not base64"))?;
        if raw.len() < 5 {
            return Err(NoteError::Malformed("signature too short"));
        }
        Ok(NoteSignature {
            name: name.to_string(),
            key_id: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
            signature: raw[4..].to_vec(),
        })
    }
}

/// A note split into its text and signatures, not yet verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The text, ending in a newline.
    pub text: String,
    /// The signatures, in order.
    pub signatures: Vec<NoteSignature>,
}

fn check_text(text: &str) -> Result<(), NoteError> {
    if text.is_empty() || !text.ends_with('\n') {
        return Err(NoteError::Malformed("text must end in a newline"));
    }
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::Malformed("control character in note"));
    }
    Ok(())
}

impl Note {
    /// Splits a signed note at its last blank line and parses the signature
    /// lines. Checks syntax only; use [`open`] to verify.
    pub fn parse(msg: &str) -> Result<Note, NoteError> {
        if msg.chars().any(|c| c < ' ' && c != '\n') {
            return Err(NoteError::Malformed("control character in note"));
        }
        let split = msg
            .rfind("\n\n")
            .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
        let text = &msg[..=split];
        let sigs = &msg[split + 2..];
        check_text(text)?;
        let lines = sigs
            .strip_suffix('\n')
            .ok_or(NoteError::Malformed("signatures must end in a newline"))?;
        let mut signatures = Vec::new();
        for line in lines.split('\n') {
            if signatures.len() == MAX_SIGNATURES {
                return Err(NoteError::TooManySignatures);
            }
            signatures.push(NoteSignature::parse_line(line)?);
        }
        Ok(Note {
            text: text.to_string(),
            signatures,
        })
    }

    /// The note text followed by a blank line and the signature lines.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 1 + self.signatures.len() * 110);
        out.push_str(&self.text);
        out.push('\n');
        for s in &self.signatures {
            out.push_str(&s.line());
            out.push('\n');
        }
        out
    }
}

/// A note whose signatures have been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedNote {
    /// The text, ending in a newline.
    pub text: String,
    /// Signatures by known keys, all valid.
    pub verified: Vec<NoteSignature>,
    /// Signatures by keys not among the verifiers (ignored).
    pub unverified: Vec<NoteSignature>,
}

/// Signs `text` (which must end in a newline) with each signer and returns
/// the signed note.
pub fn sign(text: &str, signers: &[&Signer]) -> Result<String, NoteError> {
    check_text(text)?;
    if signers.is_empty() {
        return Err(NoteError::Malformed(
            "a signed note needs at least one signature",
        ));
    }
    if signers.len() > MAX_SIGNATURES {
        return Err(NoteError::TooManySignatures);
    }
    let note = Note {
        text: text.to_string(),
        signatures: signers
            .iter()
            .map(|s| NoteSignature {
                name: s.name().to_string(),
                key_id: s.key_id(),
                signature: s.sign(text.as_bytes()).to_vec(),
            })
            .collect(),
    };
    Ok(note.encode())
}

/// Parses a signed note and verifies it against known keys.
///
/// Signatures from unknown keys (name and key ID not both matching a
/// verifier) are ignored. A signature from a known key that does not verify
/// rejects the whole note, and so does a note with no valid signature from a
/// known key.
pub fn open(msg: &str, verifiers: &[Verifier]) -> Result<VerifiedNote, NoteError> {
    let note = Note::parse(msg)?;
    let mut verified: Vec<NoteSignature> = Vec::new();
    let mut unverified = Vec::new();
    for sig in note.signatures {
        let known = verifiers
            .iter()
            .find(|v| v.name == sig.name && v.key_id == sig.key_id);
        match known {
            None => unverified.push(sig),
            Some(v) => {
                if !v.verify(note.text.as_bytes(), &sig.signature) {
                    return Err(NoteError::BadSignature {
                        name: sig.name,
                        key_id: sig.key_id,
                    });
                }
                if !verified
                    .iter()
                    .any(|s| s.name == sig.name && s.key_id == sig.key_id)
                {
                    verified.push(sig);
                }
            }
        }
    }
    if verified.is_empty() {
        return Err(NoteError::UnknownKey);
    }
    Ok(VerifiedNote {
        text: note.text,
        verified,
        unverified,
    })
}

#[cfg(test)]
mod tests;
