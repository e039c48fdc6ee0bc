//! Keeping the index current: a task per server tails the case events by their global id and
//! re-reads the cases they touch, and watches the record log's head (notices and power items
//! write there in their transaction) to read the public kinds again; it commits at most every
//! 500 ms, with its position saved in the same commit. Every server on one PostgreSQL follows
//! the same tail into its own index, so every server answers the same.
//!
//! PostgreSQL hands out ids before commit, so an event with a lower id can become visible after
//! a higher one: the tail re-reads a window of the last `LOOKBACK` ids and indexes the events
//! it has not seen, instead of trusting that ids arrive in order.

use super::docs;
use crate::state::AppState;
use gongzhi_domain::notice_board::NoticeState;
use gongzhi_domain::power_list::PowerState;
use gongzhi_search::{SearchError, SearchIndex, Segmenter};
use gongzhi_store::{CaseFilter, NoticeFilter, PowerFilter, StoreError};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, OnceCell};

/// How often the tail looks for new events and commits.
pub const TICK: Duration = Duration::from_millis(500);
/// Ids behind the cursor read again (see the module's doc).
const LOOKBACK: i64 = 1_000;
/// Events read per step.
const BATCH: i64 = 5_000;
/// The public kinds are read again at least this often (areas and grids are imported without
/// a record event).
const PUBLIC_EVERY: Duration = Duration::from_secs(60);
/// Most notices and power items indexed.
const MAX_PUBLIC: i64 = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] SearchError),
}

/// The server's search index, opened on first use (commands that never search never lock it).
pub struct Inquiry {
    dir: PathBuf,
    seg: Segmenter,
    tail: OnceCell<Arc<Tail>>,
}

pub struct Tail {
    pub index: SearchIndex,
    pos: Mutex<Position>,
}

#[derive(Default)]
struct Position {
    cursor: i64,
    seen: BTreeSet<i64>,
    records_head: Option<i64>,
    public_at: Option<Instant>,
}

impl Inquiry {
    pub fn new(dir: PathBuf) -> Inquiry {
        Inquiry {
            dir,
            seg: Segmenter::Jieba,
            tail: OnceCell::new(),
        }
    }

    /// The index, caught up with the database, followed from then on by a task.
    pub async fn ready(&self, st: &AppState) -> Result<Arc<Tail>, FeedError> {
        self.tail
            .get_or_try_init(|| async {
                let tail = Arc::new(Tail::open(&self.dir, self.seg)?);
                tail.step(st).await?;
                let (follow, st) = (tail.clone(), st.clone());
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(TICK);
                    loop {
                        tick.tick().await;
                        if let Err(e) = follow.step(&st).await {
                            tracing::warn!(error = %e, "search index tail");
                        }
                    }
                });
                Ok(tail)
            })
            .await
            .cloned()
    }

    /// Drops the index and reads everything again (`gongzhi search rebuild`); returns the
    /// number of documents.
    pub async fn rebuild(&self, st: &AppState) -> Result<u64, FeedError> {
        let tail = match self.tail.get() {
            Some(t) => t.clone(),
            None => Arc::new(Tail::open(&self.dir, self.seg)?),
        };
        {
            let mut pos = tail.pos.lock().await;
            tail.index.clear()?;
            *pos = Position::default();
        }
        tail.step(st).await?;
        Ok(tail.index.num_docs())
    }
}

impl Tail {
    fn open(dir: &Path, seg: Segmenter) -> Result<Tail, FeedError> {
        let index = SearchIndex::open(dir, seg)?;
        let cursor = index.cursor()?.and_then(|c| c.parse().ok()).unwrap_or(0);
        Ok(Tail {
            index,
            pos: Mutex::new(Position {
                cursor,
                ..Default::default()
            }),
        })
    }

    /// One pass: new case events, the public kinds when the record log moved; one commit.
    async fn step(&self, st: &AppState) -> Result<(), FeedError> {
        let mut pos = self.pos.lock().await;
        let mut changed = false;
        let mut area_names: Option<HashMap<String, String>> = None;
        loop {
            let rows = st
                .store
                .case_event_tail((pos.cursor - LOOKBACK).max(0), BATCH)
                .await?;
            let fresh: Vec<(i64, i64)> = rows
                .iter()
                .copied()
                .filter(|(id, _)| !pos.seen.contains(id))
                .collect();
            if fresh.is_empty() {
                break;
            }
            if area_names.is_none() {
                area_names = Some(names_of(st).await?);
            }
            let names = area_names.as_ref().expect("read just above");
            let ids: Vec<i64> = fresh
                .iter()
                .map(|x| x.1)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            self.put_cases(st, &ids, names).await?;
            for (id, _) in &fresh {
                pos.seen.insert(*id);
                pos.cursor = pos.cursor.max(*id);
            }
            let floor = pos.cursor - LOOKBACK;
            pos.seen = pos.seen.split_off(&floor);
            if (rows.len() as i64) < BATCH {
                changed = true;
                break;
            }
            // Catching up with millions of events: commit as it goes. tantivy keeps each
            // replaced document's delete until the commit (a few hundred bytes each), and one
            // commit at the end of 20 million cases needed more memory than the machine has.
            self.index.commit(&pos.cursor.to_string())?;
        }
        let head = st.store.record_event_head().await?;
        if pos.records_head != Some(head)
            || pos.public_at.is_none_or(|t| t.elapsed() > PUBLIC_EVERY)
        {
            let names = match area_names {
                Some(n) => n,
                None => names_of(st).await?,
            };
            self.put_public(st, &names).await?;
            pos.records_head = Some(head);
            pos.public_at = Some(Instant::now());
            changed = true;
        }
        if changed {
            self.index.commit(&pos.cursor.to_string())?;
        }
        Ok(())
    }

    async fn put_cases(
        &self,
        st: &AppState,
        ids: &[i64],
        names: &HashMap<String, String>,
    ) -> Result<(), FeedError> {
        let lookups = st.store.lookups().await?;
        for chunk in ids.chunks(500) {
            let f = CaseFilter {
                ids: chunk.to_vec(),
                limit: chunk.len() as i64,
                ..Default::default()
            };
            let rows = st.store.cases(&f).await?;
            let events = st.store.case_events_of(chunk, false).await?;
            let docs: Vec<_> = rows
                .iter()
                .map(|r| {
                    docs::case(
                        r,
                        events.get(&r.id).map_or(&[][..], |e| &e[..]),
                        &lookups,
                        names,
                    )
                })
                .collect();
            self.index.put(&docs)?;
        }
        Ok(())
    }

    /// Places, organisations, published notices and power items, read again whole.
    async fn put_public(
        &self,
        st: &AppState,
        names: &HashMap<String, String>,
    ) -> Result<(), FeedError> {
        let mut all = Vec::new();
        for a in st.store.areas().await? {
            all.push(docs::area(&a, names));
        }
        for g in st.store.grids().await? {
            all.push(docs::grid(&g, names));
        }
        for d in st.store.departments().await? {
            all.push(docs::department(&d));
        }
        let nf = NoticeFilter {
            state: Some(NoticeState::Published),
            ..Default::default()
        };
        for n in st.store.notices(&nf, MAX_PUBLIC).await? {
            all.push(docs::notice(&n));
        }
        let pf = PowerFilter {
            state: Some(PowerState::Published),
            ..Default::default()
        };
        for p in st.store.power_items(&pf, MAX_PUBLIC).await? {
            all.push(docs::power_item(&p));
        }
        for kind in ["place", "org", "notice", "power"] {
            self.index.remove_kind(kind);
        }
        self.index.put(&all)?;
        Ok(())
    }
}

async fn names_of(st: &AppState) -> Result<HashMap<String, String>, StoreError> {
    Ok(st
        .store
        .areas()
        .await?
        .into_iter()
        .map(|a| (a.code.as_str().to_string(), a.name))
        .collect())
}
