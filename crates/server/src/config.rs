//! Configuration: defaults, then a TOML-like `key = "value"` file, then environment variables,
//! then command-line flags (the CLI applies those). Secrets never print.

use gongzhi_store::pii::MasterKey;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub database_url: Option<String>,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub master_key: Option<MasterKey>,
    pub secure_cookies: bool,
    /// Register and dispatch new reports by the dispatch rules (智能派遣).
    pub auto_dispatch: bool,
    /// The ledger's signing key (`PRIVATE+KEY+…`); default: `ledger.key` in the data dir,
    /// generated on first start. Its `Debug` hides the private key.
    pub ledger_key: Option<gongzhi_ledger::Signer>,
    /// The ledger's checkpoint origin, e.g. `gongzhi.example.gov.cn/ledger`; default
    /// `gongzhi.local/ledger`.
    pub ledger_origin: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            database_url: None,
            listen: "127.0.0.1:8080".parse().expect("literal address"),
            data_dir: PathBuf::from("gongzhi-data"),
            master_key: None,
            secure_cookies: false,
            auto_dispatch: true,
            ledger_key: None,
            ledger_origin: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} line {line}: {reason}")]
    Syntax {
        path: PathBuf,
        line: usize,
        reason: String,
    },
}

impl ServerConfig {
    /// The database URL in force: the one given, or the SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("gongzhi.db").display()
            )
        })
    }

    pub fn key_file(&self) -> PathBuf {
        self.data_dir.join("master.key")
    }

    /// Reads `database_url`, `listen`, `data_dir`, `master_key`, `secure_cookies` from a file of
    /// `key = "value"` lines (`#` comments).
    pub fn apply_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            let err = |reason: &str| ConfigError::Syntax {
                path: path.into(),
                line: i + 1,
                reason: reason.into(),
            };
            let (k, v) = line
                .split_once('=')
                .ok_or_else(|| err("expected key = value"))?;
            let v = v.trim().trim_matches('"');
            match k.trim() {
                "database_url" => self.database_url = Some(v.to_string()),
                "listen" => self.listen = v.parse().map_err(|_| err("listen must be host:port"))?,
                "data_dir" => self.data_dir = PathBuf::from(v),
                "master_key" => {
                    self.master_key = Some(MasterKey::parse(v).map_err(|e| err(&e.to_string()))?)
                }
                "secure_cookies" => self.secure_cookies = v == "true",
                "auto_dispatch" => self.auto_dispatch = v == "true",
                "ledger_key" => {
                    self.ledger_key =
                        Some(gongzhi_ledger::Signer::parse(v).map_err(|e| err(&e.to_string()))?)
                }
                "ledger_origin" => self.ledger_origin = Some(v.to_string()),
                other => return Err(err(&format!("unknown key {other}"))),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_config_file_and_names_bad_lines() {
        let dir = std::env::temp_dir().join(format!("gz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("c.toml");
        std::fs::write(
            &f,
            "# c\nlisten = \"0.0.0.0:9000\"\ndata_dir = \"/tmp/x\"\n",
        )
        .unwrap();
        let mut c = ServerConfig::default();
        c.apply_file(&f).unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.database_url(), "sqlite:///tmp/x/gongzhi.db?mode=rwc");
        std::fs::write(&f, "listen = nowhere\n").unwrap();
        let e = c.apply_file(&f).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
    }
}
