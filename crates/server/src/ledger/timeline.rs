//! The timeline's ledger marks: each event's log index and "已验证 ✓", computed by verifying
//! the current signed checkpoint's signature, re-deriving the event's entry from the stored
//! event, and verifying an inclusion proof from that entry to the checkpoint's root.

use crate::cases::views::TimelineEntry;
use crate::state::AppState;
use gongzhi_ledger::proof::{inclusion_proof, verify_inclusion};
use gongzhi_ledger::{Checkpoint, leaf_hash};
use gongzhi_store::StoreError;
use std::collections::HashMap;

/// A case event's standing in the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryMark {
    pub index: Option<u64>,
    pub verified: bool,
}

/// Marks for every logged event of a case, by event sequence number.
pub async fn marks(st: &AppState, case_id: i64) -> Result<HashMap<i64, EntryMark>, StoreError> {
    let entries = st.store.ledger_case_entries(case_id).await?;
    let checkpoint = match st.store.ledger_latest_checkpoint().await? {
        Some(c) => {
            Checkpoint::open(&c.signed_note, std::slice::from_ref(st.ledger.verifier())).ok()
        }
        None => None,
    };
    let size = checkpoint.as_ref().map_or(0, |c| c.size);
    let provable: Vec<(i64, u64, &[u8])> = entries
        .iter()
        .filter(|e| e.matches_event)
        .filter_map(|e| {
            e.index
                .filter(|&i| i < size)
                .map(|i| (e.seq, i, e.entry.as_slice()))
        })
        .collect();
    let proofs = st
        .store
        .ledger_with_hashes(|r| {
            provable
                .iter()
                .map(|&(_, index, _)| inclusion_proof(index, size, r).ok())
                .collect::<Vec<_>>()
        })
        .await?;
    let mut out: HashMap<i64, EntryMark> = entries
        .iter()
        .map(|e| {
            (
                e.seq,
                EntryMark {
                    index: e.index,
                    verified: false,
                },
            )
        })
        .collect();
    if let Some(c) = &checkpoint {
        for (&(seq, index, entry), proof) in provable.iter().zip(proofs) {
            let ok = proof.is_some_and(|p| {
                verify_inclusion(&leaf_hash(entry), index, c.size, &p, &c.root).is_ok()
            });
            if let Some(m) = out.get_mut(&seq) {
                m.verified = ok;
            }
        }
    }
    Ok(out)
}

/// Fills in `ledger_index` and `ledger_verified` of a case's timeline. A failure to read the
/// ledger leaves the marks off (and is logged) rather than failing the page.
pub async fn annotate(st: &AppState, case_id: i64, timeline: &mut [TimelineEntry]) {
    match marks(st, case_id).await {
        Ok(m) => {
            for e in timeline.iter_mut() {
                if let Some(mark) = m.get(&e.seq) {
                    e.ledger_index = mark.index;
                    e.ledger_verified = mark.verified;
                }
            }
        }
        Err(e) => tracing::warn!(case = case_id, error = %e, "ledger marks"),
    }
}
