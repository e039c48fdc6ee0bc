//! Options every data command shares, and how they become an open store.
//! Order of precedence: flag > environment variable > config file > default.

use anyhow::{Context, bail};
use clap::Args;
use gongzhi_server::ServerConfig;
use gongzhi_store::Store;
use gongzhi_store::pii::{MasterKey, PiiCipher};
use std::path::{Path, PathBuf};

#[derive(Args, Clone, Debug, Default)]
pub struct DataOpts {
    /// Config file of `key = "value"` lines: database_url, listen, data_dir, master_key, secure_cookies
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://FILE?mode=rwc or postgres://USER@HOST/DB [default: SQLite file in the data dir]
    #[arg(long, env = "GONGZHI_DATABASE_URL", global = true)]
    pub database: Option<String>,
    /// Data directory: SQLite file, key files, uploads [default: ./gongzhi-data]
    #[arg(long, env = "GONGZHI_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
}

impl DataOpts {
    pub fn config(&self) -> anyhow::Result<ServerConfig> {
        let mut c = ServerConfig::default();
        if let Some(path) = &self.config {
            c.apply_file(path)?;
        }
        if let Some(url) = &self.database {
            c.database_url = Some(url.clone());
        }
        if let Some(dir) = &self.data_dir {
            c.data_dir = dir.clone();
        }
        if let Ok(k) = std::env::var("GONGZHI_MASTER_KEY")
            && !k.trim().is_empty()
        {
            c.master_key = Some(MasterKey::parse(&k).context("GONGZHI_MASTER_KEY")?);
        }
        Ok(c)
    }
}

/// The master key in force: configured, else the data dir's key file; with `create`, a new key
/// file (mode 0600) is made when there is none — only the demo does that.
pub fn master_key(c: &ServerConfig, create: bool) -> anyhow::Result<MasterKey> {
    if let Some(k) = &c.master_key {
        return Ok(k.clone());
    }
    let file = c.key_file();
    if file.exists() {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        return MasterKey::parse(&text).with_context(|| format!("key file {}", file.display()));
    }
    if !create {
        bail!(
            "没有个人信息加密主密钥：请设置 GONGZHI_MASTER_KEY（64位十六进制）或在配置文件中写 master_key\n\
             no master key for personal data: set GONGZHI_MASTER_KEY (64 hex characters) or master_key in the config file"
        );
    }
    let key = MasterKey::generate();
    write_secret(&file, &key.to_hex())?;
    eprintln!(
        "已生成演示用主密钥 / generated a demo master key: {}",
        file.display()
    );
    Ok(key)
}

fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
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
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

pub async fn open_store(c: &ServerConfig, create_key: bool) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&c.data_dir)
        .with_context(|| format!("creating {}", c.data_dir.display()))?;
    let key = master_key(c, create_key)?;
    let url = c.database_url();
    Store::open(&url, PiiCipher::new(&key))
        .await
        .with_context(|| format!("opening database {}", redact(&url)))
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_database_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
