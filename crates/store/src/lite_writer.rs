//! SQLite's writer thread (decision 011): case writes run here on a rusqlite connection of
//! their own, batched into one durable commit with a savepoint per request. A statement here is
//! a function call; through sqlx each one was a hand-off to the driver's worker thread and back,
//! which cost more than the statement itself.

use crate::error::StoreError;
use crate::group_commit::{Finish, MAX_BATCH, answer, answer_after_commit, batch_failed};
use crate::tallies::Deltas;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::sync::{mpsc, oneshot};

/// A request's writes on the writer's connection; its cube sums go to the `Deltas` given, which
/// the batch writes once before it commits (decision 043).
type Job = Box<dyn FnOnce(&mut rusqlite::Connection, &mut Deltas) -> (bool, Finish) + Send>;

/// Work that runs its own transaction on the writer's connection, between batches (a bulk
/// import: one savepoint around a million rows would copy every page it touches).
type Alone = Box<dyn FnOnce(&mut rusqlite::Connection) + Send>;

enum Work {
    Batched(Job),
    Alone(Alone),
}

#[derive(Clone)]
pub(crate) struct LiteWriter {
    jobs: mpsc::Sender<Work>,
    pub(crate) batches: Arc<AtomicU64>,
    pub(crate) writes: Arc<AtomicU64>,
    closed: Arc<AtomicBool>,
}

impl LiteWriter {
    /// Opens the database file a second time for writing and starts the thread. It ends when
    /// every sender is dropped.
    pub(crate) fn start(path: &Path) -> Result<LiteWriter, StoreError> {
        let conn = rusqlite::Connection::open(path).map_err(|e| {
            StoreError::Database(sqlx::Error::Io(std::io::Error::other(format!(
                "opening the writer connection: {e}"
            ))))
        })?;
        // Checkpoints run on a thread of their own (below), not inside the writer's commits.
        // Each request runs in a savepoint, so every page it first touches is copied to the
        // statement journal: in memory, not a temporary file written page by page. A case
        // write touches some forty rows of the rollup cube: the cache keeps their pages
        // instead of reading them again at every write (decision 043).
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; \
             PRAGMA wal_autocheckpoint=0; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;",
        )
        .map_err(|e| StoreError::corrupt(format!("writer connection settings: {e}")))?;
        // SQLite's own busy timeout sleeps up to 100 ms at a time; while another connection
        // (the sequencer, an import) holds the lock, look again every millisecond instead.
        conn.busy_handler(Some(retry_every_millisecond))
            .map_err(|e| StoreError::corrupt(format!("writer busy handler: {e}")))?;
        conn.set_prepared_statement_cache_capacity(128);
        let writing = Arc::new(AtomicBool::new(true));
        start_checkpointer(path, writing.clone())?;
        let (jobs, rx) = mpsc::channel(4 * MAX_BATCH);
        let w = LiteWriter {
            jobs,
            batches: Arc::default(),
            writes: Arc::default(),
            closed: Arc::default(),
        };
        let (batches, writes) = (w.batches.clone(), w.writes.clone());
        std::thread::Builder::new()
            .name("gongzhi-writer".into())
            .spawn(move || {
                run(conn, rx, &batches, &writes);
                writing.store(false, Ordering::Relaxed);
            })
            .map_err(|e| StoreError::corrupt(format!("starting the writer thread: {e}")))?;
        Ok(w)
    }

    /// Refuses every later write, as the closed sqlx pool does.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
    }

    /// Runs `f` in the writer's next batch and answers once that batch is durable. An `Err`
    /// rolls back what `f` wrote and is returned as it is.
    pub(crate) async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut rusqlite::Connection, &mut Deltas) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        if self.closed.load(Ordering::Relaxed) {
            return Err(E::from(StoreError::Database(sqlx::Error::PoolClosed)));
        }
        let (tx, rx) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn, cube| answer_after_commit(f(conn, cube), tx));
        let sent = self.jobs.send(Work::Batched(job)).await.is_ok();
        answer(sent, rx).await
    }

    /// Runs `f` on the writer's connection between two batches; `f` begins and commits (or
    /// rolls back) its own transaction. Case writes wait in the queue meanwhile.
    pub(crate) async fn run_alone<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        if self.closed.load(Ordering::Relaxed) {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        let (tx, rx) = oneshot::channel::<Result<T, StoreError>>();
        let work: Alone = Box::new(move |conn| {
            let _ = tx.send(f(conn));
        });
        if self.jobs.send(Work::Alone(work)).await.is_err() {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        rx.await
            .map_err(|_| StoreError::corrupt("the writer thread stopped during a bulk write"))?
    }
}

/// Waits for a lock held by another connection: up to ten seconds, a millisecond at a time.
fn retry_every_millisecond(attempts: i32) -> bool {
    if attempts >= 10_000 {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_millis(1));
    true
}

/// Copies the WAL back into the database file every half second on a connection of its own
/// (PASSIVE: it never waits for or blocks the writer), so that no request's commit carries a
/// checkpoint and its fsync. With readers always active a PASSIVE checkpoint never lets the WAL
/// start over, and it grew past 1 GB in two minutes of the load test (every read then searches a
/// longer WAL index); once everything in a long WAL is copied, RESTART waits the moment it
/// takes for readers to move to the latest snapshot and lets the next commit write from the
/// WAL's start. The writer waits while it runs, so it runs rarely (a long WAL) and does not
/// truncate the file: at 3,000 requests/s TRUNCATE at 16,384 frames ran every 2 s and held
/// the writer 40–80 ms each time (ftruncate and re-growing the file), enough to set the p99.
/// It stops with the writer.
fn start_checkpointer(path: &Path, writing: Arc<AtomicBool>) -> Result<(), StoreError> {
    let conn = rusqlite::Connection::open(path)
        .map_err(|e| StoreError::corrupt(format!("opening the checkpoint connection: {e}")))?;
    // A restart holds the writer while it waits for readers of the old WAL: it gives up after
    // RESTART_WAIT (and tries again on a later round) rather than stall every write behind a
    // long read.
    conn.busy_timeout(RESTART_WAIT)
        .map_err(|e| StoreError::corrupt(format!("checkpoint connection settings: {e}")))?;
    std::thread::Builder::new()
        .name("gongzhi-checkpoint".into())
        .spawn(move || {
            // A restart takes effect at the next write: until one comes the WAL still reports
            // the frames it restarted, and restarting it again would do (and log) nothing.
            let mut restarted: Option<i64> = None;
            while writing.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(500));
                let passive = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                });
                if let Ok((log, _)) = passive
                    && restarted.is_some_and(|r| r != log)
                {
                    restarted = None;
                }
                match passive {
                    Ok((log, copied))
                        if log >= LONG_WAL_FRAMES && copied == log && restarted.is_none() =>
                    {
                        let started = std::time::Instant::now();
                        match conn
                            .query_row("PRAGMA wal_checkpoint(RESTART)", [], |r| r.get::<_, i64>(0))
                        {
                            // The writer waits while a restart runs: say how long.
                            Ok(busy) => {
                                if busy == 0 {
                                    restarted = Some(log);
                                }
                                tracing::info!(
                                    frames = log,
                                    ms = started.elapsed().as_millis() as u64,
                                    done = busy == 0,
                                    "WAL restart"
                                );
                            }
                            Err(e) => tracing::warn!(error = %e, "WAL restart"),
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "WAL checkpoint"),
                }
            }
        })
        .map_err(|e| StoreError::corrupt(format!("starting the checkpoint thread: {e}")))?;
    Ok(())
}

/// A WAL this long (frames of one page, ~256 MB at 4 KiB) starts over once it is all copied.
const LONG_WAL_FRAMES: i64 = 65_536;

/// The longest a WAL restart may hold the writer waiting for readers.
const RESTART_WAIT: std::time::Duration = std::time::Duration::from_millis(50);

fn run(
    mut conn: rusqlite::Connection,
    mut rx: mpsc::Receiver<Work>,
    batches: &AtomicU64,
    writes: &AtomicU64,
) {
    while let Some(first) = rx.blocking_recv() {
        let first = match first {
            Work::Batched(job) => job,
            Work::Alone(work) => {
                alone(&mut conn, work);
                continue;
            }
        };
        let mut jobs = vec![first];
        let mut after = None;
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Work::Batched(j)) => jobs.push(j),
                Ok(Work::Alone(work)) => {
                    after = Some(work);
                    break;
                }
                Err(_) => break,
            }
        }
        batches.fetch_add(1, Ordering::Relaxed);
        writes.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        let (finishes, committed) = batch(&mut conn, jobs);
        if let Err(why) = &committed {
            tracing::warn!(error = %why, "group commit failed");
        }
        for finish in finishes {
            finish(match &committed {
                Ok(()) => Ok(()),
                Err(why) => Err(batch_failed(why)),
            });
        }
        if let Some(work) = after {
            alone(&mut conn, work);
        }
    }
}

fn alone(conn: &mut rusqlite::Connection, work: Alone) {
    if catch_unwind(AssertUnwindSafe(|| work(&mut *conn))).is_err() {
        tracing::error!("a bulk write panicked on the writer thread");
        // Whatever it left open is rolled back; outside a transaction this fails harmlessly.
        let _ = conn.execute_batch("ROLLBACK");
    }
}

/// One transaction, a savepoint per job, the cube sums of the jobs that kept their writes, one
/// commit. Jobs left unrun when the transaction breaks are dropped, which answers their
/// requests with a failure.
fn batch(conn: &mut rusqlite::Connection, jobs: Vec<Job>) -> (Vec<Finish>, Result<(), String>) {
    let mut done: Vec<Finish> = Vec::with_capacity(jobs.len());
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        return (done, Err(e.to_string()));
    }
    let mut broken: Option<String> = None;
    let mut cube = Deltas::default();
    for job in jobs {
        if broken.is_some() {
            continue;
        }
        if let Err(e) = conn.execute_batch("SAVEPOINT request") {
            broken = Some(e.to_string());
            continue;
        }
        let mut mine = Deltas::default();
        let (ok, finish) = match catch_unwind(AssertUnwindSafe(|| job(&mut *conn, &mut mine))) {
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
        if let Err(e) = conn.execute_batch(end) {
            broken = Some(e.to_string());
        } else if ok {
            cube.absorb(mine);
        }
        done.push(finish);
    }
    if broken.is_none() {
        let mut x = crate::exec::LiteExec { conn, cube: None };
        if let Err(e) = crate::exec::run_now(cube.write(&mut x)) {
            broken = Some(e.to_string());
        }
    }
    let committed = match broken {
        Some(why) => Err(why),
        None => conn.execute_batch("COMMIT").map_err(|e| e.to_string()),
    };
    if committed.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    (done, committed)
}
