//! Personal data at rest (PIPL): 身份证号 and phone numbers are stored encrypted with AES-256-GCM
//! and are exactly searchable through a keyed blind index (HMAC-SHA256), so that the database file
//! alone reveals neither. Both keys are derived from one master key. The same cipher keeps the
//! credentials of outgoing webhooks (signing secrets, robot URLs with their tokens): a copy of
//! the database must not be enough to post into a DingTalk or WeCom group in our name.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 12;

/// The 32-byte master key. Never printed.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum KeyError {
    #[error("master key must be 64 hex characters or base64 of 32 bytes")]
    Malformed,
}

impl gongzhi_domain::Bilingual for KeyError {
    fn code(&self) -> &'static str {
        "invalid_master_key"
    }
    fn message_zh(&self) -> String {
        "主密钥应为64位十六进制字符或32字节的base64编码".into()
    }
    fn message_en(&self) -> String {
        self.to_string()
    }
    fn field(&self) -> Option<String> {
        Some("GONGZHI_MASTER_KEY".into())
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        MasterKey(bytes)
    }

    /// A fresh random key (used once by `--demo` to create the key file).
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).expect("operating system random source");
        MasterKey(k)
    }

    /// Parses 64 hex characters or standard base64 of 32 bytes.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut k = [0u8; 32];
            for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
                let s = std::str::from_utf8(chunk).map_err(|_| KeyError::Malformed)?;
                k[i] = u8::from_str_radix(s, 16).map_err(|_| KeyError::Malformed)?;
            }
            return Ok(MasterKey(k));
        }
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| KeyError::Malformed)?;
        let k: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(MasterKey(k))
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn derive(&self, label: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("any key length");
        mac.update(label);
        mac.finalize().into_bytes().into()
    }
}

/// Which column a value belongs to; bound into the ciphertext so values cannot be swapped.
#[derive(Clone, Copy, Debug)]
pub enum PiiField {
    IdNumber,
    Phone,
    /// A webhook's URL: robot URLs carry their access token in the query string.
    WebhookUrl,
    /// A webhook's signing secret.
    WebhookSecret,
    /// A misconduct reporter's name (消极怠政举报人), shown only to the assigned investigators.
    ReporterName,
    /// A misconduct reporter's phone.
    ReporterPhone,
}

impl PiiField {
    fn label(self) -> &'static [u8] {
        match self {
            PiiField::IdNumber => b"resident.id_number",
            PiiField::Phone => b"resident.phone",
            PiiField::WebhookUrl => b"webhook.url",
            PiiField::WebhookSecret => b"webhook.secret",
            PiiField::ReporterName => b"misconduct.reporter_name",
            PiiField::ReporterPhone => b"misconduct.reporter_phone",
        }
    }
}

#[derive(Clone)]
pub struct PiiCipher {
    aead: Aes256Gcm,
    index_key: [u8; 32],
    lookup_key: [u8; 32],
}

impl fmt::Debug for PiiCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PiiCipher(…)")
    }
}

impl PiiCipher {
    pub fn new(master: &MasterKey) -> Self {
        let enc = master.derive(b"gongzhi pii encryption v1");
        PiiCipher {
            aead: Aes256Gcm::new_from_slice(&enc).expect("32-byte key"),
            index_key: master.derive(b"gongzhi pii blind index v1"),
            lookup_key: master.derive(b"gongzhi lookup code v2"),
        }
    }

    /// `version || nonce || ciphertext+tag`.
    pub fn encrypt(&self, field: PiiField, plain: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).expect("operating system random source");
        let sealed = self
            .aead
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: field.label(),
                },
            )
            .expect("AES-GCM encryption of a short value cannot fail");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn decrypt(&self, field: PiiField, sealed: &[u8]) -> Result<String, String> {
        if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != FORMAT_V1 {
            return Err("unknown ciphertext format".into());
        }
        let nonce: [u8; NONCE_LEN] = sealed[1..1 + NONCE_LEN].try_into().expect("length checked");
        let plain = self
            .aead
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &sealed[1 + NONCE_LEN..],
                    aad: field.label(),
                },
            )
            .map_err(|_| "decryption failed: wrong master key or tampered value".to_string())?;
        String::from_utf8(plain).map_err(|_| "decrypted value is not UTF-8".to_string())
    }

    /// Deterministic keyed digest of the normalised value: equal inputs give equal indexes,
    /// and without the key nobody can test a guess against the file.
    pub fn blind_index(&self, field: PiiField, normalised: &str) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.index_key).expect("any key length");
        mac.update(field.label());
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

impl PiiCipher {
    /// The stored form of a case's lookup code, keyed so that a copy of the database cannot
    /// test a guess. It is given the SHA-256 of the code's normal form, the form codes were
    /// stored in before they were keyed, so those are rewritten without being known.
    pub fn lookup_index(&self, code_sha256: &[u8]) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.lookup_key).expect("any key length");
        mac.update(code_sha256);
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> PiiCipher {
        PiiCipher::new(&MasterKey::from_bytes([7; 32]))
    }

    #[test]
    fn round_trips_and_binds_the_field() {
        let c = cipher();
        let sealed = c.encrypt(PiiField::IdNumber, "11010519491231002X");
        assert_eq!(
            c.decrypt(PiiField::IdNumber, &sealed).unwrap(),
            "11010519491231002X"
        );
        assert!(c.decrypt(PiiField::Phone, &sealed).is_err());
        assert!(!sealed.windows(6).any(|w| w == b"110105"));
    }

    #[test]
    fn same_value_encrypts_differently_but_indexes_equally() {
        let c = cipher();
        assert_ne!(
            c.encrypt(PiiField::Phone, "13800138000"),
            c.encrypt(PiiField::Phone, "13800138000")
        );
        assert_eq!(
            c.blind_index(PiiField::Phone, "13800138000"),
            c.blind_index(PiiField::Phone, "13800138000")
        );
        assert_ne!(
            c.blind_index(PiiField::Phone, "13800138000"),
            c.blind_index(PiiField::IdNumber, "13800138000")
        );
    }

    #[test]
    fn another_key_cannot_decrypt() {
        let sealed = cipher().encrypt(PiiField::Phone, "13800138000");
        let other = PiiCipher::new(&MasterKey::from_bytes([8; 32]));
        assert!(other.decrypt(PiiField::Phone, &sealed).is_err());
    }

    #[test]
    fn parses_hex_and_base64_keys() {
        let k = MasterKey::generate();
        assert_eq!(MasterKey::parse(&k.to_hex()).unwrap().0, k.0);
        assert!(matches!(
            MasterKey::parse("short"),
            Err(KeyError::Malformed)
        ));
    }
}
