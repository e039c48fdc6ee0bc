//! A minimal migrator: numbered SQL files per backend, applied in order inside a transaction,
//! recorded in `schema_migrations`. Kept in-house so the store needs no macro crate at build time.
//! A migration may end with a step in Rust, in the same transaction, for rows that only code
//! holding the master key can rewrite (encrypting what was stored in clear, keying digests).

use crate::db::Backend;
use crate::error::StoreError;
use crate::pii::PiiCipher;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Transaction};

struct Migration {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
    rewrite: Option<Rewrite>,
}

/// Row rewrites done in Rust after a migration's SQL.
#[derive(Clone, Copy)]
enum Rewrite {
    SealWebhookCredentials,
    KeyLookupCodes,
    CompactLedger,
}

impl Rewrite {
    async fn run(
        self,
        tx: &mut Transaction<'_, Any>,
        backend: Backend,
        pii: &PiiCipher,
    ) -> Result<bool, StoreError> {
        // Whether rows were made smaller (their freed space is worth giving back).
        match self {
            Rewrite::CompactLedger => Ok(crate::ledger::compact_all(tx, backend).await? > 0),
            Rewrite::SealWebhookCredentials => crate::seal_webhooks::seal_all(tx, pii)
                .await
                .map(|()| false),
            Rewrite::KeyLookupCodes => crate::lookup_keys::key_all(tx, pii).await.map(|()| false),
        }
    }
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
        rewrite: None,
    },
    Migration {
        version: 2,
        sqlite: include_str!("../migrations/sqlite/0002_closed_loop.sql"),
        postgres: include_str!("../migrations/postgres/0002_closed_loop.sql"),
        rewrite: None,
    },
    Migration {
        version: 3,
        sqlite: include_str!("../migrations/sqlite/0003_webhooks.sql"),
        postgres: include_str!("../migrations/postgres/0003_webhooks.sql"),
        rewrite: None,
    },
    Migration {
        version: 4,
        sqlite: include_str!("../migrations/sqlite/0004_ledger.sql"),
        postgres: include_str!("../migrations/postgres/0004_ledger.sql"),
        rewrite: None,
    },
    Migration {
        version: 5,
        sqlite: include_str!("../migrations/sqlite/0005_whistles.sql"),
        postgres: include_str!("../migrations/postgres/0005_whistles.sql"),
        rewrite: None,
    },
    Migration {
        version: 6,
        sqlite: include_str!("../migrations/sqlite/0006_case_tallies.sql"),
        postgres: include_str!("../migrations/postgres/0006_case_tallies.sql"),
        rewrite: None,
    },
    Migration {
        version: 7,
        sqlite: include_str!("../migrations/sqlite/0007_case_list_order.sql"),
        postgres: include_str!("../migrations/postgres/0007_case_list_order.sql"),
        rewrite: None,
    },
    Migration {
        version: 8,
        sqlite: include_str!("../migrations/sqlite/0008_webhook_credentials_sealed.sql"),
        postgres: include_str!("../migrations/postgres/0008_webhook_credentials_sealed.sql"),
        rewrite: Some(Rewrite::SealWebhookCredentials),
    },
    Migration {
        version: 9,
        sqlite: include_str!("../migrations/sqlite/0009_webhook_plaintext_dropped.sql"),
        postgres: include_str!("../migrations/postgres/0009_webhook_plaintext_dropped.sql"),
        rewrite: None,
    },
    Migration {
        version: 10,
        sqlite: include_str!("../migrations/sqlite/0010_credentials_and_lookup_keys.sql"),
        postgres: include_str!("../migrations/postgres/0010_credentials_and_lookup_keys.sql"),
        rewrite: Some(Rewrite::KeyLookupCodes),
    },
    Migration {
        version: 11,
        sqlite: include_str!("../migrations/sqlite/0011_loop_settings.sql"),
        postgres: include_str!("../migrations/postgres/0011_loop_settings.sql"),
        rewrite: None,
    },
    Migration {
        version: 14,
        sqlite: include_str!("../migrations/sqlite/0014_places.sql"),
        postgres: include_str!("../migrations/postgres/0014_places.sql"),
        rewrite: None,
    },
    Migration {
        version: 15,
        sqlite: include_str!("../migrations/sqlite/0015_party.sql"),
        postgres: include_str!("../migrations/postgres/0015_party.sql"),
        rewrite: None,
    },
    Migration {
        version: 16,
        sqlite: include_str!("../migrations/sqlite/0016_party_orgs.sql"),
        postgres: include_str!("../migrations/postgres/0016_party_orgs.sql"),
        rewrite: None,
    },
    Migration {
        version: 17,
        sqlite: include_str!("../migrations/sqlite/0017_party_life.sql"),
        postgres: include_str!("../migrations/postgres/0017_party_life.sql"),
        rewrite: None,
    },
    Migration {
        version: 18,
        sqlite: include_str!("../migrations/sqlite/0018_red_grid.sql"),
        postgres: include_str!("../migrations/postgres/0018_red_grid.sql"),
        rewrite: None,
    },
    Migration {
        version: 19,
        sqlite: include_str!("../migrations/sqlite/0019_assessment.sql"),
        postgres: include_str!("../migrations/postgres/0019_assessment.sql"),
        rewrite: None,
    },
    Migration {
        version: 20,
        sqlite: include_str!("../migrations/sqlite/0020_services.sql"),
        postgres: include_str!("../migrations/postgres/0020_services.sql"),
        rewrite: None,
    },
    Migration {
        version: 21,
        sqlite: include_str!("../migrations/sqlite/0021_deliberation.sql"),
        postgres: include_str!("../migrations/postgres/0021_deliberation.sql"),
        rewrite: None,
    },
    Migration {
        version: 22,
        sqlite: include_str!("../migrations/sqlite/0022_cobuild_notices.sql"),
        postgres: include_str!("../migrations/postgres/0022_cobuild_notices.sql"),
        rewrite: None,
    },
    Migration {
        version: 23,
        sqlite: include_str!("../migrations/sqlite/0023_power_lists.sql"),
        postgres: include_str!("../migrations/postgres/0023_power_lists.sql"),
        rewrite: None,
    },
    Migration {
        version: 24,
        sqlite: include_str!("../migrations/sqlite/0024_misconduct.sql"),
        postgres: include_str!("../migrations/postgres/0024_misconduct.sql"),
        rewrite: None,
    },
    Migration {
        version: 25,
        sqlite: include_str!("../migrations/sqlite/0025_supervision.sql"),
        postgres: include_str!("../migrations/postgres/0025_supervision.sql"),
        rewrite: None,
    },
    Migration {
        version: 26,
        sqlite: include_str!("../migrations/sqlite/0026_case_cube.sql"),
        postgres: include_str!("../migrations/postgres/0026_case_cube.sql"),
        rewrite: None,
    },
    Migration {
        version: 28,
        sqlite: include_str!("../migrations/sqlite/0028_diagnosis.sql"),
        postgres: include_str!("../migrations/postgres/0028_diagnosis.sql"),
        rewrite: None,
    },
    Migration {
        version: 29,
        sqlite: include_str!("../migrations/sqlite/0029_emergencies.sql"),
        postgres: include_str!("../migrations/postgres/0029_emergencies.sql"),
        rewrite: None,
    },
    Migration {
        version: 30,
        sqlite: include_str!("../migrations/sqlite/0030_map.sql"),
        postgres: include_str!("../migrations/postgres/0030_map.sql"),
        rewrite: None,
    },
    Migration {
        version: 31,
        sqlite: include_str!("../migrations/sqlite/0031_cube_blocks.sql"),
        postgres: include_str!("../migrations/postgres/0031_cube_blocks.sql"),
        rewrite: None,
    },
    Migration {
        version: 32,
        sqlite: include_str!("../migrations/sqlite/0032_cube_pending.sql"),
        postgres: include_str!("../migrations/postgres/0032_cube_pending.sql"),
        rewrite: None,
    },
    Migration {
        version: 33,
        sqlite: include_str!("../migrations/sqlite/0033_area_urban_rural.sql"),
        postgres: include_str!("../migrations/postgres/0033_area_urban_rural.sql"),
        rewrite: None,
    },
    Migration {
        version: 34,
        sqlite: include_str!("../migrations/sqlite/0034_compact_ledger.sql"),
        postgres: include_str!("../migrations/postgres/0034_compact_ledger.sql"),
        rewrite: Some(Rewrite::CompactLedger),
    },
];

pub(crate) async fn run(
    pool: &AnyPool,
    backend: Backend,
    pii: &PiiCipher,
) -> Result<(), StoreError> {
    run_until(pool, backend, pii, i64::MAX).await
}

/// Applies the pending migrations up to and including `last` (tests start from old schemas).
pub(crate) async fn run_until(
    pool: &AnyPool,
    backend: Backend,
    pii: &PiiCipher,
    last: i64,
) -> Result<(), StoreError> {
    // One connection throughout: PostgreSQL advisory locks belong to a session.
    let mut conn = pool.acquire().await?;
    if backend == Backend::Postgres {
        // Two servers starting together on one database must not both migrate.
        sqlx::query("SELECT pg_advisory_lock(7262001)")
            .execute(&mut *conn)
            .await?;
    }
    let result = apply_pending(&mut conn, backend, pii, last).await;
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(7262001)")
            .execute(&mut *conn)
            .await?;
    }
    // A rewrite that shrank rows leaves their pages half empty; SQLite gives the space back only
    // when the file is rebuilt, which cannot happen inside the migration's transaction.
    // (PostgreSQL reuses the freed space for new rows; `VACUUM FULL` returns it at once.)
    if backend == Backend::Sqlite && result.as_ref().is_ok_and(|shrank| *shrank) {
        tracing::info!("rebuilding the database file to return the space compacted rows freed");
        sqlx::query("VACUUM").execute(&mut *conn).await?;
    }
    result.map(|_| ())
}

/// Says whether a migration compacted rows, so that the caller can give the space back.
async fn apply_pending(
    conn: &mut AnyConnection,
    backend: Backend,
    pii: &PiiCipher,
    last: i64,
) -> Result<bool, StoreError> {
    let mut shrank = false;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    for m in MIGRATIONS.iter().take_while(|m| m.version <= last) {
        let done: Option<(i64,)> =
            sqlx::query_as("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(m.version)
                .fetch_optional(&mut *conn)
                .await?;
        if done.is_some() {
            continue;
        }
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let mut tx = conn.begin().await?;
        for statement in split_statements(sql) {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        if let Some(rewrite) = m.rewrite {
            shrank |= rewrite.run(&mut tx, backend, pii).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(m.version)
            .bind(crate::now_millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(shrank)
}

/// Splits a migration file on `;` at line ends; our migrations contain no procedural bodies.
fn split_statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.lines().all(|l| l.trim_start().starts_with("--")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_statement_ends_only() {
        let parts: Vec<_> =
            split_statements("-- c\nCREATE TABLE a (x TEXT);\nCREATE INDEX i ON a(x);\n").collect();
        assert_eq!(parts.len(), 2);
        assert!(parts[0].ends_with("(x TEXT)"));
    }
}
