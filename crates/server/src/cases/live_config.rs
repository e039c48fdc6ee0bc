//! The loop configuration in force, shared by every handler and job of this server. Its
//! calendar lives in the database, where an administrator loads next year's schedule; several
//! servers share one PostgreSQL, so each re-reads the calendar when its copy is older than
//! `TTL` (like the store's lookups) and the loading server at once.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use gongzhi_domain::case::LoopConfig;
use gongzhi_store::{Store, StoreError};

/// How stale another server's calendar may be after an import: a few seconds, which no
/// deadline measured in days notices.
const TTL: Duration = Duration::from_secs(5);

pub struct LiveLoopConfig {
    current: RwLock<Arc<LoopConfig>>,
    checked: Mutex<Instant>,
}

impl LiveLoopConfig {
    pub fn new(cfg: LoopConfig) -> LiveLoopConfig {
        LiveLoopConfig {
            current: RwLock::new(Arc::new(cfg)),
            checked: Mutex::new(Instant::now()),
        }
    }

    /// The configuration as last read: for display, where a few seconds do not matter.
    pub fn current(&self) -> Arc<LoopConfig> {
        self.current.read().expect("loop config lock").clone()
    }

    /// The configuration with a calendar at most `TTL` old: for deciding commands.
    pub async fn fresh(&self, store: &Store) -> Result<Arc<LoopConfig>, StoreError> {
        let stale = {
            let mut checked = self.checked.lock().expect("loop config clock");
            let stale = checked.elapsed() >= TTL;
            if stale {
                // One caller re-reads; the others go on with the copy they have meanwhile.
                *checked = Instant::now();
            }
            stale
        };
        if stale {
            self.reload(store).await
        } else {
            Ok(self.current())
        }
    }

    /// Re-reads the calendar now (after an import on this server).
    pub async fn reload(&self, store: &Store) -> Result<Arc<LoopConfig>, StoreError> {
        let calendar = super::setup::stored_calendar(store).await?;
        let mut current = self.current.write().expect("loop config lock");
        if current.calendar != calendar {
            let mut cfg = (**current).clone();
            cfg.calendar = calendar;
            *current = Arc::new(cfg);
        }
        *self.checked.lock().expect("loop config clock") = Instant::now();
        Ok(current.clone())
    }
}
