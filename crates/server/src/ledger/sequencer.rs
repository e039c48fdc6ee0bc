//! The sequencer: integrates pending entries into the tree and signs a new checkpoint whenever
//! there is anything new, twice a second. With several servers on one PostgreSQL, only the one
//! holding the advisory lock runs it (the store also serialises each step with a
//! transaction-scoped lock, so two sequencers could never interleave anyway).

use crate::ledger::Ledger;
use crate::state::AppState;
use gongzhi_ledger::Checkpoint;
use gongzhi_store::{Store, StoreError};
use std::time::Duration;

/// The advisory lock key of the sequencer.
pub const SEQUENCER_LOCK: i64 = 7_262_010;
/// Entries integrated per transaction: small enough that intake (one writer on SQLite) waits
/// for the sequencer's lock a few milliseconds at most.
pub const BATCH: i64 = 2_000;
/// How often the sequencer looks for new entries.
pub const EVERY: Duration = Duration::from_millis(500);

/// Signs and stores a checkpoint of the integrated tree if it is larger than the latest one (or
/// none exists yet), after the store has checked it extends the latest signed tree.
pub async fn sign_checkpoint(
    store: &Store,
    ledger: &Ledger,
) -> Result<Option<Checkpoint>, StoreError> {
    let Some((size, root)) = store.ledger_checkpoint_candidate().await? else {
        return Ok(None);
    };
    let checkpoint = Checkpoint::new(ledger.origin(), size, root);
    let signed = checkpoint
        .sign(ledger.signer())
        .map_err(|e| StoreError::Conflict {
            code: "ledger_sign_failed",
            zh: format!("无法签署检查点：{}", e.message_zh()),
            en: format!("cannot sign the checkpoint: {e}"),
        })?;
    match store.ledger_store_checkpoint(size, root, &signed).await {
        // Another signer (a served instance on the same database) stored this size first.
        Err(StoreError::Conflict {
            code: "ledger_checkpoint_not_newer",
            ..
        }) => Ok(None),
        Err(e) => Err(e),
        Ok(_) => Ok(Some(checkpoint)),
    }
}

/// One pass: integrate everything pending, then sign if the tree grew. Returns the new
/// checkpoint, if one was signed.
pub async fn tick(st: &AppState) -> Result<Option<Checkpoint>, StoreError> {
    loop {
        let done = st.store.ledger_integrate_pending(BATCH).await?;
        if done.added() < BATCH as u64 {
            break;
        }
    }
    sign_checkpoint(&st.store, &st.ledger).await
}

/// Logs the events written before the ledger existed; returns how many.
pub async fn backfill(store: &Store) -> Result<usize, StoreError> {
    let mut total = 0;
    loop {
        let n = store.ledger_backfill(1000).await?;
        total += n;
        if n == 0 {
            return Ok(total);
        }
    }
}

/// Runs the sequencer until the process ends. The lock is kept while ticking succeeds and its
/// session lives; after an error, or when the database ended the session (a restart), it is
/// released and taken again (by this or another server) two seconds later.
pub fn spawn(st: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match st.store.with_job_lock(SEQUENCER_LOCK).await {
                Ok(Some(mut guard)) => {
                    match backfill(&st.store).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(events = n, "ledger: logged earlier events"),
                        Err(e) => tracing::warn!(error = %e, "ledger backfill"),
                    }
                    let mut ticker = tokio::time::interval(EVERY);
                    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        ticker.tick().await;
                        // A restarted PostgreSQL ends the session holding the lock; the pool
                        // reconnects by itself, but the lock must be taken again.
                        if !guard.is_held().await {
                            tracing::warn!("ledger sequencer: lock lost, taking it again");
                            break;
                        }
                        match tick(&st).await {
                            Ok(Some(c)) => tracing::debug!(size = c.size, "ledger checkpoint"),
                            Ok(None) => {}
                            Err(e) => {
                                tracing::error!(error = %e, "ledger sequencer");
                                break;
                            }
                        }
                    }
                    guard.release().await;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "ledger sequencer lock"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    })
}
