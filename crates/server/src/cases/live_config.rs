//! The loop configuration in force, shared by every handler and job of this server. Its
//! calendar and the city's settings (`loop_settings`) live in the database, where an administrator loads next year's schedule; several
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
    ttl: Duration,
}

impl LiveLoopConfig {
    pub fn new(cfg: LoopConfig) -> LiveLoopConfig {
        LiveLoopConfig::with_ttl(cfg, TTL)
    }

    /// With another staleness bound (tests use a short one).
    pub fn with_ttl(cfg: LoopConfig, ttl: Duration) -> LiveLoopConfig {
        LiveLoopConfig {
            current: RwLock::new(Arc::new(cfg)),
            checked: Mutex::new(Instant::now()),
            ttl,
        }
    }

    /// The configuration as last read: for display, where a few seconds do not matter.
    pub fn current(&self) -> Arc<LoopConfig> {
        self.current.read().expect("loop config lock").clone()
    }

    /// The configuration with a calendar at most the TTL old: for deciding commands.
    pub async fn fresh(&self, store: &Store) -> Result<Arc<LoopConfig>, StoreError> {
        let stale = {
            let mut checked = self.checked.lock().expect("loop config clock");
            let stale = checked.elapsed() >= self.ttl;
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

    /// Re-reads the calendar and the city's settings now (after an import or a setting changed
    /// on this server).
    pub async fn reload(&self, store: &Store) -> Result<Arc<LoopConfig>, StoreError> {
        let calendar = super::setup::stored_calendar(store).await?;
        let settings = store.loop_settings().await?;
        let mut current = self.current.write().expect("loop config lock");
        let mut cfg = (**current).clone();
        cfg.calendar = calendar;
        super::setup::apply_settings(&mut cfg, &settings);
        if cfg != **current {
            *current = Arc::new(cfg);
        }
        *self.checked.lock().expect("loop config clock") = Instant::now();
        Ok(current.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::setup::{ensure_defaults, loop_config};
    use crate::test_app::open_store;
    use gongzhi_domain::calendar::Date;
    use gongzhi_testkit::{TestDb, backends};

    #[tokio::test]
    async fn a_year_loaded_by_another_server_is_in_force_here_once_the_copy_expires() {
        for backend in backends() {
            let db = TestDb::new(backend).await;
            let store = open_store(&db).await;
            ensure_defaults(&store).await.unwrap();
            let ttl = Duration::from_millis(300);
            let here = LiveLoopConfig::with_ttl(loop_config(&store).await.unwrap(), ttl);
            let new_year = Date::new(2027, 1, 1).unwrap();
            assert!(!here.fresh(&store).await.unwrap().calendar.covers(new_year));

            // Another server shares the database and loads 2027.
            crate::app::load_calendar(
                &store,
                &gongzhi_store::Actor::SYSTEM,
                "date,kind,name\n2027-01-01,holiday,元旦\n".as_bytes(),
                "another server",
            )
            .await
            .unwrap();
            // Within the TTL this server still counts on its copy...
            assert!(!here.fresh(&store).await.unwrap().calendar.covers(new_year));
            tokio::time::sleep(ttl).await;
            // ...and then on the stored calendar, 元旦 a rest day.
            let cfg = here.fresh(&store).await.unwrap();
            assert!(cfg.calendar.covers(new_year), "{backend:?}");
            assert!(!cfg.calendar.is_workday(new_year));
            assert!(Arc::ptr_eq(&cfg, &here.current()));
        }
    }
}
