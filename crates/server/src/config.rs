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
    /// Cookies carry `Secure` (and the session cookie the `__Host-` prefix), and responses
    /// `Strict-Transport-Security`. `None`: on, unless serving on a loopback address or the
    /// demo — see [`ServerConfig::cookies_secure`].
    pub secure_cookies: Option<bool>,
    /// Serving the demo city (`serve --demo`).
    pub demo: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (per-address limits); none
    /// by default.
    pub trusted_proxies: crate::throttle::TrustedProxies,
    /// Register and dispatch new reports by the dispatch rules (智能派遣).
    pub auto_dispatch: bool,
    /// The ledger's signing key (`PRIVATE+KEY+…`); default: `ledger.key` in the data dir,
    /// generated on first start. Its `Debug` hides the private key.
    pub ledger_key: Option<gongzhi_ledger::Signer>,
    /// The ledger's checkpoint origin, e.g. `gongzhi.example.gov.cn/ledger`; default
    /// `gongzhi.local/ledger`.
    pub ledger_origin: Option<String>,
    /// 吹哨报到: check-in windows, reminder share, arrival radius, rating scale
    /// (`whistle_urgent_minutes`, `whistle_normal_hours`, `whistle_remind_percent`,
    /// `whistle_radius_m`, `whistle_rating_scale`). Community grants are kept in the database.
    pub whistle: gongzhi_domain::case::WhistleConfig,
    /// A tile service drawn under the maps (`tile_url`, `tile_attribution`); none by default:
    /// the maps draw only our own layers.
    pub tiles: Option<crate::tiles::TileLayer>,
    /// Where the search index lives (`search_dir`); default `search/` in the data dir. Each
    /// server keeps its own, following the same database.
    pub search_dir: Option<PathBuf>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            database_url: None,
            listen: "127.0.0.1:8080".parse().expect("literal address"),
            data_dir: PathBuf::from("gongzhi-data"),
            master_key: None,
            secure_cookies: None,
            demo: false,
            trusted_proxies: Default::default(),
            auto_dispatch: true,
            ledger_key: None,
            ledger_origin: None,
            whistle: Default::default(),
            tiles: None,
            search_dir: None,
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

    /// Whether cookies are `Secure`: as configured, else on — a server reachable from other
    /// machines is meant to sit behind TLS — except on a loopback address or for the demo,
    /// which are plain http.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies
            .unwrap_or(!(self.listen.ip().is_loopback() || self.demo))
    }

    /// The search index's folder.
    pub fn search_dir(&self) -> PathBuf {
        self.search_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("search"))
    }

    pub fn key_file(&self) -> PathBuf {
        self.data_dir.join("master.key")
    }

    /// Reads `database_url`, `listen`, `data_dir`, `master_key`, `secure_cookies`,
    /// `trusted_proxies` and the settings below from a file of
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
                "secure_cookies" => {
                    self.secure_cookies =
                        Some(parse_bool(v).ok_or_else(|| err("expected true or false"))?)
                }
                "trusted_proxies" => {
                    self.trusted_proxies =
                        crate::throttle::TrustedProxies::parse(v).map_err(|e| err(&e))?
                }
                "auto_dispatch" => self.auto_dispatch = v == "true",
                "ledger_key" => {
                    self.ledger_key =
                        Some(gongzhi_ledger::Signer::parse(v).map_err(|e| err(&e.to_string()))?)
                }
                "ledger_origin" => self.ledger_origin = Some(v.to_string()),
                "search_dir" => self.search_dir = Some(PathBuf::from(v)),
                "tile_url" => {
                    let attribution = self.tiles.as_ref().map(|t| t.attribution.clone());
                    self.tiles = Some(
                        crate::tiles::TileLayer::parse(v, &attribution.unwrap_or_default())
                            .map_err(|e| err(&e))?,
                    )
                }
                "tile_attribution" => match &mut self.tiles {
                    Some(t) => t.attribution = v.to_string(),
                    None => return Err(err("tile_attribution needs a tile_url line before it")),
                },
                "whistle_urgent_minutes"
                | "whistle_normal_hours"
                | "whistle_remind_percent"
                | "whistle_radius_m"
                | "whistle_rating_scale" => {
                    let n: i64 = v
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| err("expected a positive whole number"))?;
                    let w = &mut self.whistle;
                    match k.trim() {
                        "whistle_urgent_minutes" => w.urgent_ms = n * 60_000,
                        "whistle_normal_hours" => w.normal_ms = n * 3_600_000,
                        "whistle_remind_percent" => {
                            w.remind_percent = u8::try_from(n)
                                .ok()
                                .filter(|p| *p <= 100)
                                .ok_or_else(|| err("a percentage from 1 to 100"))?
                        }
                        "whistle_radius_m" => w.radius_m = n,
                        _ => {
                            w.rating_scale = u8::try_from(n)
                                .ok()
                                .filter(|s| (2..=10).contains(s))
                                .ok_or_else(|| err("a rating scale from 2 to 10"))?
                        }
                    }
                }
                other => return Err(err(&format!("unknown key {other}"))),
            }
        }
        Ok(())
    }
}

/// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`), as the config file, the
/// environment and flags write them.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
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
        std::fs::write(
            &f,
            "whistle_urgent_minutes = 20\nwhistle_radius_m = 300\nwhistle_rating_scale = 10\n",
        )
        .unwrap();
        c.apply_file(&f).unwrap();
        assert_eq!(c.whistle.urgent_ms, 20 * 60_000);
        assert_eq!(c.whistle.radius_m, 300);
        assert_eq!(c.whistle.rating_scale, 10);
        // Cookies are Secure unless configured off or served on loopback / for the demo.
        assert!(c.cookies_secure(), "0.0.0.0:9000");
        c.demo = true;
        assert!(!c.cookies_secure());
        c.demo = false;
        c.listen = "127.0.0.1:8080".parse().unwrap();
        assert!(!c.cookies_secure());
        std::fs::write(
            &f,
            "secure_cookies = true\ntrusted_proxies = \"10.0.0.1\"\n",
        )
        .unwrap();
        c.apply_file(&f).unwrap();
        assert!(c.cookies_secure());
        assert!(!c.trusted_proxies.is_empty());
        std::fs::write(&f, "secure_cookies = maybe\n").unwrap();
        assert!(c.apply_file(&f).is_err());
        std::fs::write(
            &f,
            "tile_url = \"https://t{s}.example.gov.cn/{z}/{x}/{y}.png\"\ntile_attribution = \"天地图\"\n",
        )
        .unwrap();
        c.apply_file(&f).unwrap();
        assert_eq!(c.tiles.as_ref().unwrap().attribution, "天地图");
        std::fs::write(&f, "tile_url = \"https://x/{z}.png\"\n").unwrap();
        assert!(c.apply_file(&f).is_err());
        std::fs::write(&f, "whistle_rating_scale = 50\n").unwrap();
        assert!(c.apply_file(&f).is_err());
        std::fs::write(&f, "listen = nowhere\n").unwrap();
        let e = c.apply_file(&f).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
    }
}
