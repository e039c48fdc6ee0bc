//! Group commit (decision 009): on SQLite one writer task runs the write transactions of
//! concurrent requests together — each in its own savepoint, all in one durable commit — so that
//! `synchronous=FULL` costs one fsync per batch instead of one per request. A request is answered
//! only after its batch is on disk; a request that fails rolls back to its savepoint and fails
//! alone. On PostgreSQL, where concurrent commits already share the WAL flush, each write is its
//! own transaction on the pool.

use crate::db::{Backend, Store};
use crate::error::StoreError;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AnyPool};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{mpsc, oneshot};

/// Called with the batch's commit outcome once it is known.
pub(crate) type Finish = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// One request's writes: run on the writer's connection inside a savepoint; says whether they
/// succeeded (keep the savepoint) and how to answer once the batch is committed.
type Job = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, (bool, Finish)> + Send>;

/// The most requests one commit carries: enough to amortise the fsync, few enough that the
/// first request of a batch does not wait long for the last.
pub(crate) const MAX_BATCH: usize = 256;

/// The sending side of the SQLite writer task. Cheap to clone.
#[derive(Clone)]
pub(crate) struct GroupWriter {
    jobs: mpsc::Sender<Job>,
    stats: Arc<Counters>,
}

#[derive(Default)]
struct Counters {
    batches: AtomicU64,
    writes: AtomicU64,
}

/// How the writer has batched so far: commits and the writes they carried.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupCommitStats {
    pub batches: u64,
    pub writes: u64,
}

impl GroupWriter {
    /// Starts the writer task on the current runtime. It ends when every sender is dropped.
    pub(crate) fn spawn(pool: AnyPool, backend: Backend) -> GroupWriter {
        let (jobs, rx) = mpsc::channel(4 * MAX_BATCH);
        // SQLite takes the write lock at BEGIN so that the batch never fails with SQLITE_BUSY.
        let begin = match backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let stats = Arc::new(Counters::default());
        tokio::spawn(run(pool, rx, begin, stats.clone()));
        GroupWriter { jobs, stats }
    }
}

/// A commit that failed, as every request of the batch sees it: an I/O failure of the
/// database (the edge answers 503; the client may retry, nothing of it was kept).
pub(crate) fn batch_failed(why: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Io(std::io::Error::other(format!(
        "group commit failed: {why}"
    ))))
}

async fn run(
    pool: AnyPool,
    mut rx: mpsc::Receiver<Job>,
    begin: &'static str,
    stats: Arc<Counters>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.writes.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        match pool.acquire().await {
            Ok(mut conn) => {
                let (finishes, committed) = run_batch(&mut conn, jobs, begin).await;
                for finish in finishes {
                    finish(match &committed {
                        Ok(()) => Ok(()),
                        Err(why) => Err(batch_failed(why)),
                    });
                }
            }
            // Dropped unrun: each request is answered that its write failed.
            Err(e) => tracing::warn!(error = %e, "group commit: no connection"),
        }
    }
}

/// Runs the jobs in one transaction, each in a savepoint, and commits. Returns the answers of
/// the jobs that ran and the commit's outcome; a job left unrun (the transaction broke) is
/// dropped, which answers its request with a failure.
async fn run_batch(
    conn: &mut AnyConnection,
    jobs: Vec<Job>,
    begin: &'static str,
) -> (Vec<Finish>, Result<(), String>) {
    let mut done: Vec<Finish> = Vec::with_capacity(jobs.len());
    if let Err(e) = sqlx::raw_sql(begin).execute(&mut *conn).await {
        return (done, Err(e.to_string()));
    }
    let mut broken: Option<String> = None;
    for job in jobs {
        if broken.is_some() {
            continue;
        }
        if let Err(e) = sqlx::raw_sql("SAVEPOINT request").execute(&mut *conn).await {
            broken = Some(e.to_string());
            continue;
        }
        let (ok, finish) = match AssertUnwindSafe(job(&mut *conn)).catch_unwind().await {
            Ok(r) => r,
            Err(_) => {
                tracing::error!("a write panicked inside the group commit; rolled back");
                (false, Box::new(|_| {}) as Finish)
            }
        };
        let end = if ok {
            "RELEASE request"
        } else {
            "ROLLBACK TO request; RELEASE request"
        };
        if let Err(e) = sqlx::raw_sql(end).execute(&mut *conn).await {
            broken = Some(e.to_string());
        }
        done.push(finish);
    }
    let committed = match broken {
        Some(why) => Err(why),
        None => sqlx::raw_sql("COMMIT")
            .execute(&mut *conn)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
    };
    if committed.is_err() {
        let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
    }
    (done, committed)
}

/// A request's outcome held until its batch's commit is known: whether to keep its savepoint,
/// and how to answer it then (its own refusal, or the commit's failure, or its value).
pub(crate) fn answer_after_commit<T, E>(
    result: Result<T, E>,
    tx: oneshot::Sender<Result<T, E>>,
) -> (bool, Finish)
where
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let ok = result.is_ok();
    let finish: Finish = Box::new(move |committed| {
        let answer = match (result, committed) {
            (Ok(v), Ok(())) => Ok(v),
            (Ok(_), Err(e)) => Err(E::from(e)),
            (Err(e), _) => Err(e),
        };
        let _ = tx.send(answer);
    });
    (ok, finish)
}

/// The answer to a request handed to a writer (`sent`: the writer took it).
pub(crate) async fn answer<T, E: From<StoreError>>(
    sent: bool,
    rx: oneshot::Receiver<Result<T, E>>,
) -> Result<T, E> {
    if !sent {
        return Err(E::from(batch_failed("the writer has stopped")));
    }
    rx.await
        .unwrap_or_else(|_| Err(E::from(batch_failed("the write was abandoned"))))
}

impl Store {
    /// Commits and the writes they carried since the store opened (zero without batching).
    pub fn group_commit_stats(&self) -> GroupCommitStats {
        if let Some(w) = &self.lite {
            return GroupCommitStats {
                batches: w.batches.load(Ordering::Relaxed),
                writes: w.writes.load(Ordering::Relaxed),
            };
        }
        self.group
            .as_ref()
            .map(|g| GroupCommitStats {
                batches: g.stats.batches.load(Ordering::Relaxed),
                writes: g.stats.writes.load(Ordering::Relaxed),
            })
            .unwrap_or_default()
    }

    /// Runs `f` as one write transaction and answers once it is durable. On SQLite it joins the
    /// writer's current batch (group commit); on PostgreSQL it is a transaction of its own. An
    /// `Err` from `f` rolls back everything `f` wrote and is returned as it is.
    pub(crate) async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        match &self.group {
            Some(group) => {
                let (tx, rx) = oneshot::channel::<Result<T, E>>();
                let job: Job = Box::new(move |conn| {
                    Box::pin(async move { answer_after_commit(f(conn).await, tx) })
                });
                let sent = group.jobs.send(job).await.is_ok();
                answer(sent, rx).await
            }
            None => {
                let mut tx = self.write_tx().await.map_err(E::from)?;
                let result = f(&mut tx).await;
                match result {
                    Ok(v) => {
                        tx.commit().await.map_err(|e| E::from(e.into()))?;
                        Ok(v)
                    }
                    Err(e) => {
                        let _ = tx.rollback().await;
                        Err(e)
                    }
                }
            }
        }
    }
}

/// Runs a case write on the store's writer: `body` is async code over `$x: &mut impl Exec`. On
/// SQLite's writer thread it runs on rusqlite (every call completes at once); elsewhere on sqlx,
/// batched by the group writer or as a transaction of its own.
macro_rules! write_case {
    ($store:expr, $x:ident => $body:expr) => {{
        match &$store.lite {
            Some(lite) => {
                lite.run(move |conn, cube| {
                    let mut exec = crate::exec::LiteExec {
                        conn,
                        cube: Some(cube),
                    };
                    let $x = &mut exec;
                    crate::exec::run_now(async move { $body })
                })
                .await
            }
            None => {
                let backend = $store.backend;
                $store
                    .write(move |conn| {
                        Box::pin(async move {
                            let mut exec = crate::exec::SqlxExec { conn, backend };
                            let $x = &mut exec;
                            $body
                        })
                    })
                    .await
            }
        }
    }};
}
pub(crate) use write_case;
