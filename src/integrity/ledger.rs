//! The control-number ledger: (partner, receiver, control number) → SHA-256
//! of the interchange.
//!
//! `edi-security.md` §4.3 step 8: "Control-number ledger `(partner,
//! receiver, ctl number) → sha256`: if the same number arrives with the same
//! digest, report `Duplicate` (idempotent). If it arrives with a different
//! digest, report `ControlNumberConflict`, an alert." §5 C7: "keyed on
//! control number, with a digest per entry"; it catches replays (T4) and
//! changed copies reusing a number (T5) across files and restarts.
//!
//! [`MemoryLedger`] lives as long as the process; `SqliteLedger` (feature
//! `sqlite`) survives restarts and can be shared by several processes.
//!
//! # Examples
//!
//! ```
//! use ediguard::integrity::ledger::{Ledger, MemoryLedger, Recorded};
//! let ledger = MemoryLedger::new(1000);
//! assert_eq!(ledger.record("acme", "ME", "000000001", &[1; 32]).unwrap(), Recorded::New);
//! assert_eq!(ledger.record("acme", "ME", "000000001", &[1; 32]).unwrap(), Recorded::Duplicate);
//! assert!(matches!(ledger.record("acme", "ME", "000000001", &[2; 32]).unwrap(), Recorded::Conflict { .. }));
//! ```

use std::collections::HashMap;
use std::sync::Mutex;

/// What recording a control number found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// The number was not known; it is now recorded with its digest.
    New,
    /// The number was known with the same digest: an idempotent
    /// retransmission.
    Duplicate,
    /// The number was known with a different digest: an alert.
    Conflict {
        /// The digest recorded first.
        previous: [u8; 32],
    },
}

/// Why the ledger could not record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The ledger holds as many entries as it may.
    #[error("ledger is full ({limit} entries)")]
    Full {
        /// The bound.
        limit: usize,
    },
    /// The storage failed.
    #[error("ledger storage: {0}")]
    Storage(String),
}

/// A control-number ledger. `record` must be atomic: two callers recording
/// the same new number see one [`Recorded::New`] and one
/// [`Recorded::Duplicate`] (or `Conflict`).
pub trait Ledger {
    /// Records `digest` for (`partner`, `receiver`, `control_number`) unless
    /// that number is already known, and says which case it was.
    fn record(
        &self,
        partner: &str,
        receiver: &str,
        control_number: &str,
        digest: &[u8; 32],
    ) -> Result<Recorded, LedgerError>;
}

type LedgerKey = (String, String, String);

/// A ledger in memory, bounded to `capacity` entries. Safe to share between
/// threads.
#[derive(Debug)]
pub struct MemoryLedger {
    capacity: usize,
    entries: Mutex<HashMap<LedgerKey, [u8; 32]>>,
}

impl MemoryLedger {
    /// An empty ledger holding at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        MemoryLedger {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Ledger for MemoryLedger {
    fn record(
        &self,
        partner: &str,
        receiver: &str,
        control_number: &str,
        digest: &[u8; 32],
    ) -> Result<Recorded, LedgerError> {
        let mut entries = match self.entries.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let key = (
            partner.to_owned(),
            receiver.to_owned(),
            control_number.to_owned(),
        );
        if let Some(previous) = entries.get(&key) {
            return Ok(classify(previous, digest));
        }
        if entries.len() >= self.capacity {
            return Err(LedgerError::Full {
                limit: self.capacity,
            });
        }
        entries.insert(key, *digest);
        Ok(Recorded::New)
    }
}

fn classify(previous: &[u8; 32], digest: &[u8; 32]) -> Recorded {
    if previous == digest {
        Recorded::Duplicate
    } else {
        Recorded::Conflict {
            previous: *previous,
        }
    }
}

#[cfg(feature = "sqlite")]
pub use sqlite::SqliteLedger;

#[cfg(feature = "sqlite")]
mod sqlite {
    use std::path::Path;
    use std::time::Duration;

    use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

    use super::{Ledger, LedgerError, Recorded, classify};

    fn storage(e: rusqlite::Error) -> LedgerError {
        LedgerError::Storage(e.to_string())
    }

    /// A ledger in an SQLite database file (feature `sqlite`): it survives
    /// restarts and several processes may share it. The database runs in
    /// WAL mode with a busy timeout; each record is one `IMMEDIATE`
    /// transaction doing `INSERT ... ON CONFLICT DO NOTHING` and, when
    /// nothing was inserted, reading the recorded digest, under a primary
    /// key on (partner, receiver, control number).
    ///
    /// # Examples
    ///
    /// ```
    /// use ediguard::integrity::ledger::{Ledger, Recorded, SqliteLedger};
    /// let path = std::env::temp_dir().join(format!("ediguard-doc-{}.sqlite", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let ledger = SqliteLedger::open(&path).unwrap();
    /// assert_eq!(ledger.record("acme", "ME", "7", &[1; 32]).unwrap(), Recorded::New);
    /// drop(ledger);
    /// let reopened = SqliteLedger::open(&path).unwrap();
    /// assert_eq!(reopened.record("acme", "ME", "7", &[1; 32]).unwrap(), Recorded::Duplicate);
    /// # drop(reopened);
    /// # let _ = std::fs::remove_file(&path);
    /// ```
    #[derive(Debug)]
    pub struct SqliteLedger {
        conn: std::sync::Mutex<Connection>,
    }

    impl SqliteLedger {
        /// Opens (creating if needed) the ledger at `path`.
        pub fn open(path: impl AsRef<Path>) -> Result<SqliteLedger, LedgerError> {
            let conn = Connection::open(path.as_ref()).map_err(storage)?;
            conn.busy_timeout(Duration::from_secs(30))
                .map_err(storage)?;
            // journal_mode returns a row; read it rather than execute.
            let _mode: String = conn
                .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
                .map_err(storage)?;
            conn.execute_batch(
                "PRAGMA synchronous=NORMAL;
                 CREATE TABLE IF NOT EXISTS edisig_ledger (
                     partner TEXT NOT NULL,
                     receiver TEXT NOT NULL,
                     control_number TEXT NOT NULL,
                     sha256 BLOB NOT NULL,
                     recorded_at INTEGER NOT NULL DEFAULT (strftime('%s','now')),
                     PRIMARY KEY (partner, receiver, control_number)
                 );",
            )
            .map_err(storage)?;
            Ok(SqliteLedger {
                conn: std::sync::Mutex::new(conn),
            })
        }
    }

    impl Ledger for SqliteLedger {
        fn record(
            &self,
            partner: &str,
            receiver: &str,
            control_number: &str,
            digest: &[u8; 32],
        ) -> Result<Recorded, LedgerError> {
            let mut conn = match self.conn.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(storage)?;
            let inserted = tx
                .execute(
                    "INSERT INTO edisig_ledger (partner, receiver, control_number, sha256)
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                    params![partner, receiver, control_number, &digest[..]],
                )
                .map_err(storage)?;
            let outcome = if inserted == 1 {
                Recorded::New
            } else {
                let previous: Option<Vec<u8>> = tx
                    .query_row(
                        "SELECT sha256 FROM edisig_ledger
                         WHERE partner = ?1 AND receiver = ?2 AND control_number = ?3",
                        params![partner, receiver, control_number],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(storage)?;
                let previous = previous
                    .and_then(|p| <[u8; 32]>::try_from(p.as_slice()).ok())
                    .ok_or_else(|| {
                        LedgerError::Storage("recorded digest missing or not 32 bytes".into())
                    })?;
                classify(&previous, digest)
            };
            tx.commit().map_err(storage)?;
            Ok(outcome)
        }
    }
}
