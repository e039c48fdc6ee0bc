//! The verifiable history on the server (issue 5): the log's signing key, the sequencer that
//! integrates entries and signs checkpoints, the public C2SP tlog-tiles read API under
//! `/ledger`, case receipts, the timeline's "verified" marks, and the verification that
//! `gongzhi verify` runs.

pub mod routes;
pub mod sequencer;
pub mod timeline;
pub mod verify;

pub use routes::router;

use crate::config::ServerConfig;
use gongzhi_ledger::{NoteError, Signer, Verifier};
use std::path::{Path, PathBuf};

/// The checkpoint origin when none is configured.
pub const DEFAULT_ORIGIN: &str = "gongzhi.local/ledger";

/// The log's identity: its origin line and its Ed25519 note key.
pub struct Ledger {
    origin: String,
    signer: Signer,
    verifier: Verifier,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ledger({}, {})", self.origin, self.verifier)
    }
}

/// The signing key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum LedgerKeyError {
    #[error("ledger key file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("ledger key {what}: {source}")]
    Key { what: String, source: NoteError },
}

impl gongzhi_domain::Bilingual for LedgerKeyError {
    fn code(&self) -> &'static str {
        "ledger_key"
    }
    fn message_zh(&self) -> String {
        match self {
            LedgerKeyError::Io { path, source } => {
                format!("账本签名密钥文件 {} 无法读写：{source}", path.display())
            }
            LedgerKeyError::Key { what, source } => {
                format!("账本签名密钥 {what} 无效：{}", source.message_zh())
            }
        }
    }
    fn message_en(&self) -> String {
        self.to_string()
    }
}

impl Ledger {
    /// A ledger with this origin and key.
    pub fn new(origin: &str, signer: Signer) -> Ledger {
        Ledger {
            origin: origin.to_string(),
            verifier: signer.verifier(),
            signer,
        }
    }

    /// The configured key (`ledger_key`), else the data dir's `ledger.key`; on first start a
    /// new key named after the origin is generated into that file (mode 0600). `gongzhi serve`
    /// creates the data dir first; a library caller whose data dir does not exist (a test's
    /// state) gets a throwaway key that is never written anywhere.
    pub fn load(config: &ServerConfig) -> Result<Ledger, LedgerKeyError> {
        let origin = config
            .ledger_origin
            .clone()
            .unwrap_or_else(|| DEFAULT_ORIGIN.to_string());
        if let Some(signer) = &config.ledger_key {
            return Ok(Ledger::new(&origin, signer.clone()));
        }
        let bad_origin = |source| LedgerKeyError::Key {
            what: origin.clone(),
            source,
        };
        if !config.data_dir.is_dir() {
            tracing::warn!(dir = %config.data_dir.display(), "no data dir: the ledger signs with a throwaway key");
            return Ok(Ledger::new(
                &origin,
                Signer::generate(&origin).map_err(bad_origin)?,
            ));
        }
        let path = key_file(&config.data_dir);
        let io = |source| LedgerKeyError::Io {
            path: path.clone(),
            source,
        };
        if !path.exists() {
            let signer = Signer::generate(&origin).map_err(bad_origin)?;
            match write_secret(&path, &format!("{}\n", signer.encode())) {
                Ok(()) => {
                    tracing::info!(file = %path.display(), vkey = %signer.verifier(), "generated the ledger signing key");
                    return Ok(Ledger::new(&origin, signer));
                }
                // Another process created it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(e)),
            }
        }
        Ok(Ledger::new(&origin, read_key(&path)?))
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }
}

/// Where the generated signing key lives.
pub fn key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("ledger.key")
}

/// Reads a signer key file (`PRIVATE+KEY+…`).
pub fn read_key(path: &Path) -> Result<Signer, LedgerKeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| LedgerKeyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Signer::parse(text.trim()).map_err(|source| LedgerKeyError::Key {
        what: path.display().to_string(),
        source,
    })
}

fn write_secret(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_generated_once_and_kept_private() {
        let dir = std::env::temp_dir().join(format!("gz-ledger-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // No data dir: a throwaway key, nothing written.
        let loose = Ledger::load(&ServerConfig {
            data_dir: dir.clone(),
            ..Default::default()
        })
        .unwrap();
        assert!(!dir.exists());
        assert_eq!(loose.origin(), DEFAULT_ORIGIN);
        std::fs::create_dir_all(&dir).unwrap();
        let config = ServerConfig {
            data_dir: dir.clone(),
            ..Default::default()
        };
        let a = Ledger::load(&config).unwrap();
        assert_eq!(a.origin(), DEFAULT_ORIGIN);
        assert_eq!(a.verifier().name(), DEFAULT_ORIGIN);
        let b = Ledger::load(&config).unwrap();
        assert_eq!(a.verifier().encode(), b.verifier().encode());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key_file(&dir))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let given = Signer::from_seed("city.example/ledger", [4; 32]).unwrap();
        let c = Ledger::load(&ServerConfig {
            data_dir: dir.clone(),
            ledger_key: Some(given.clone()),
            ledger_origin: Some("city.example/ledger".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.verifier().encode(), given.verifier().encode());
        assert_eq!(c.origin(), "city.example/ledger");
        std::fs::write(key_file(&dir), "PRIVATE+KEY+broken").unwrap();
        assert!(Ledger::load(&config).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
