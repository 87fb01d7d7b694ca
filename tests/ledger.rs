//! The control-number ledger (edi-security.md §4.3 step 8, §5 C7): new,
//! duplicate (same digest) and conflict (different digest), bounds, and the
//! SQLite ledger across restarts and processes.

use ediguard::integrity::ledger::{Ledger, LedgerError, MemoryLedger, Recorded};

fn exercise(ledger: &dyn Ledger) {
    assert_eq!(
        ledger.record("acme", "ME", "1", &[1; 32]).unwrap(),
        Recorded::New
    );
    assert_eq!(
        ledger.record("acme", "ME", "1", &[1; 32]).unwrap(),
        Recorded::Duplicate
    );
    assert_eq!(
        ledger.record("acme", "ME", "1", &[2; 32]).unwrap(),
        Recorded::Conflict { previous: [1; 32] }
    );
    // The key is the triple: another partner, receiver or number is new.
    assert_eq!(
        ledger.record("other", "ME", "1", &[2; 32]).unwrap(),
        Recorded::New
    );
    assert_eq!(
        ledger.record("acme", "YOU", "1", &[2; 32]).unwrap(),
        Recorded::New
    );
    assert_eq!(
        ledger.record("acme", "ME", "2", &[1; 32]).unwrap(),
        Recorded::New
    );
}

#[test]
fn memory_ledger_new_duplicate_conflict() {
    exercise(&MemoryLedger::new(100));
}

#[test]
fn memory_ledger_is_bounded_but_still_answers_for_known_numbers() {
    let ledger = MemoryLedger::new(2);
    ledger.record("p", "r", "1", &[1; 32]).unwrap();
    ledger.record("p", "r", "2", &[1; 32]).unwrap();
    assert_eq!(
        ledger.record("p", "r", "3", &[1; 32]).unwrap_err(),
        LedgerError::Full { limit: 2 }
    );
    assert_eq!(
        ledger.record("p", "r", "1", &[1; 32]).unwrap(),
        Recorded::Duplicate
    );
    assert_eq!(ledger.len(), 2);
}

#[test]
fn memory_ledger_is_atomic_across_threads() {
    let ledger = MemoryLedger::new(100);
    let outcomes: Vec<Recorded> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| ledger.record("p", "r", "9", &[3; 32]).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(outcomes.iter().filter(|o| **o == Recorded::New).count(), 1);
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Recorded::Duplicate)
            .count(),
        7
    );
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use ediguard::integrity::ledger::SqliteLedger;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// Set in a child process: the ledger path, and what to record.
    const CHILD_DB: &str = "EDIGUARD_LEDGER_CHILD_DB";
    const CHILD_DIGEST: &str = "EDIGUARD_LEDGER_CHILD_DIGEST";
    const CHILD_NUMBER: &str = "EDIGUARD_LEDGER_CHILD_NUMBER";

    fn temp_db(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ediguard-ledger-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        path
    }

    fn outcome_name(r: Recorded) -> &'static str {
        match r {
            Recorded::New => "new",
            Recorded::Duplicate => "duplicate",
            Recorded::Conflict { .. } => "conflict",
        }
    }

    /// Runs this test binary again as a child that records one entry in the
    /// ledger at `db` and prints `OUTCOME=<new|duplicate|conflict>`.
    fn spawn_child(db: &Path, number: &str, digest: u8) -> std::process::Child {
        Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "sqlite::child_role",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DB, db)
            .env(CHILD_NUMBER, number)
            .env(CHILD_DIGEST, digest.to_string())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    fn child_outcome(child: std::process::Child) -> String {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "child failed: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
            .lines()
            .find_map(|l| l.split_once("OUTCOME=").map(|(_, o)| o.trim()))
            .unwrap_or_else(|| panic!("no outcome in {stdout}"))
            .to_owned()
    }

    /// In a child process (env var set): records one entry and prints the
    /// outcome. Run directly: checks that a reopened ledger keeps its entries.
    #[test]
    fn child_role() {
        if let Ok(db) = std::env::var(CHILD_DB) {
            let number = std::env::var(CHILD_NUMBER).unwrap();
            let digest: u8 = std::env::var(CHILD_DIGEST).unwrap().parse().unwrap();
            let ledger = SqliteLedger::open(&db).unwrap();
            let r = ledger.record("acme", "ME", &number, &[digest; 32]).unwrap();
            println!("OUTCOME={}", outcome_name(r));
            return;
        }
        let db = temp_db("restart.sqlite");
        {
            let ledger = SqliteLedger::open(&db).unwrap();
            assert_eq!(
                ledger.record("p", "r", "5", &[5; 32]).unwrap(),
                Recorded::New
            );
        }
        let reopened = SqliteLedger::open(&db).unwrap();
        assert_eq!(
            reopened.record("p", "r", "5", &[5; 32]).unwrap(),
            Recorded::Duplicate
        );
        assert_eq!(
            reopened.record("p", "r", "5", &[6; 32]).unwrap(),
            Recorded::Conflict { previous: [5; 32] }
        );
    }

    #[test]
    fn sqlite_ledger_new_duplicate_conflict() {
        exercise(&SqliteLedger::open(temp_db("basic.sqlite")).unwrap());
    }

    #[test]
    fn two_processes_sharing_a_ledger_detect_a_replay() {
        let db = temp_db("shared.sqlite");
        let parent = SqliteLedger::open(&db).unwrap();
        assert_eq!(
            parent.record("acme", "ME", "000000001", &[1; 32]).unwrap(),
            Recorded::New
        );
        // Another process sees the same interchange again: a duplicate.
        assert_eq!(child_outcome(spawn_child(&db, "000000001", 1)), "duplicate");
        // Another process sees a changed copy under the same number: a conflict.
        assert_eq!(child_outcome(spawn_child(&db, "000000001", 2)), "conflict");
        // Two processes racing on a new number: exactly one records it.
        let a = spawn_child(&db, "000000002", 7);
        let b = spawn_child(&db, "000000002", 7);
        let mut outcomes = vec![child_outcome(a), child_outcome(b)];
        outcomes.sort();
        assert_eq!(outcomes, ["duplicate", "new"]);
        // And the parent, still open, sees what the children wrote.
        assert_eq!(
            parent.record("acme", "ME", "000000002", &[7; 32]).unwrap(),
            Recorded::Duplicate
        );
    }
}
