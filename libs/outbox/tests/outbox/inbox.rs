//! The receiver's side: each event id applied once.

use std::time::Duration;

use aftercare_db::Db;
use aftercare_outbox::apply_once;

use crate::{both, support::*};

both!(an_event_is_applied_once, |db: Db| async move {
    let mut tx = db.begin().await.unwrap();
    assert!(apply_once(&mut tx, "e1").await.unwrap());
    tx.commit().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(!apply_once(&mut tx, "e1").await.unwrap());
    tx.commit().await.unwrap();

    // An application rolled back with its change did not happen.
    let mut tx = db.begin().await.unwrap();
    assert!(apply_once(&mut tx, "e2").await.unwrap());
    tx.rollback().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(apply_once(&mut tx, "e2").await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM inbox_events").await, 2);
});

both!(
    concurrent_deliveries_of_one_event_apply_it_once,
    |db: Db| async move {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin().await.unwrap();
                    let first = apply_once(&mut tx, "e").await.unwrap();
                    // Hold the transaction open, as a receiver making its
                    // change would, so that the duplicates overlap it.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    tx.commit().await.unwrap();
                    first
                })
            })
            .collect();
        let mut applied = 0;
        for task in tasks {
            applied += usize::from(task.await.unwrap());
        }
        assert_eq!(applied, 1);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM inbox_events").await, 1);
    }
);
