//! The small tables every intake reads — categories, departments, dispatch rules — held in memory
//! for a few seconds. Writes through this store drop the copy at once; another server's writes
//! are seen within `TTL`.

use crate::db::Store;
use crate::error::StoreError;
use crate::{CategoryRow, DepartmentRow, DispatchRuleRow};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct Lookups {
    pub categories: HashMap<String, CategoryRow>,
    pub departments: HashMap<String, DepartmentRow>,
    pub rules: Vec<DispatchRuleRow>,
}

/// Departments and categories by their names, for the lines events are shown as.
impl gongzhi_domain::case::CodeNames for Lookups {
    fn department(&self, code: &str) -> Option<String> {
        self.departments.get(code).map(|d| d.name.clone())
    }
    fn category(&self, code: &str) -> Option<String> {
        self.categories.get(code).map(|c| c.name.clone())
    }
}

#[derive(Default)]
pub(crate) struct LookupCache(RwLock<Option<(Instant, Arc<Lookups>)>>);

impl LookupCache {
    pub(crate) fn clear(&self) {
        *self.0.write().expect("lookup cache lock") = None;
    }
}

impl Store {
    pub async fn lookups(&self) -> Result<Arc<Lookups>, StoreError> {
        if let Some((at, l)) = self.lookups.0.read().expect("lookup cache lock").as_ref()
            && at.elapsed() < TTL
        {
            return Ok(l.clone());
        }
        let fresh = Arc::new(Lookups {
            categories: self
                .categories()
                .await?
                .into_iter()
                .map(|c| (c.code.clone(), c))
                .collect(),
            departments: self
                .departments()
                .await?
                .into_iter()
                .map(|d| (d.code.clone(), d))
                .collect(),
            rules: self.dispatch_rules().await?,
        });
        *self.lookups.0.write().expect("lookup cache lock") = Some((Instant::now(), fresh.clone()));
        Ok(fresh)
    }
}

impl Store {
    /// The cached lookups if any are held (fresh or not), without touching the database.
    pub fn lookups_cached(&self) -> Option<Arc<Lookups>> {
        self.lookups
            .0
            .read()
            .expect("lookup cache lock")
            .as_ref()
            .map(|(_, l)| l.clone())
    }
}
