//! A database out of reach is an outage: UNAVAILABLE, which a client
//! retries with the same request_id, not INTERNAL.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use aftercare_db::{Backend, Db};
use aftercare_parts::MIGRATOR;
use aftercare_values::OemZone;
use tokio::net::{TcpListener, TcpStream};

use crate::fixture::*;

both!(
    calls_while_the_database_is_out_of_reach_are_unavailable,
    |h: Harness| async move {
        let c = &mut h.oem();
        create_part(c, part("OF-100", "FILTERS")).await;
        h.lose_the_database().await;

        let created = c
            .create_part(create(part("OF-200", "FILTERS")))
            .await
            .expect_err("no database, no part");
        assert_eq!(created.code(), Code::Unavailable, "{created:?}");
        let got = c.get_part(get("OF-100")).await.expect_err("no database");
        assert_eq!(got.code(), Code::Unavailable, "{got:?}");
    }
);

/// PostgreSQL going away and coming back, as in a restart: every open
/// connection is cut and new ones are refused, then accepted again. Calls
/// meanwhile answer UNAVAILABLE, never INTERNAL; afterwards the same
/// service answers again with no restart of its own, and a retry with the
/// same request_id applies once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_is_unavailable_and_then_recovered_from() {
    let url = aftercare_test_support::fresh_url(Backend::Postgres);
    Db::connect(&url, 1)
        .await
        .expect("the database")
        .migrate(&MIGRATOR)
        .await
        .expect("migrated");
    let relay = Relay::to(&url).await;
    let db = Db::connect(&relay.url(&url), 4)
        .await
        .expect("connects through the relay");
    let h = crate::support::start_on(db, OemZone::utc()).await;
    let c = &mut h.oem();
    create_part(c, part("PG-100", "FILTERS")).await;

    relay.go_down();
    let during = create(part("PG-200", "FILTERS"));
    let refused = c
        .create_part(during.clone())
        .await
        .expect_err("no database, no part");
    assert_eq!(refused.code(), Code::Unavailable, "{refused:?}");
    let read = c.get_part(get("PG-100")).await.expect_err("no database");
    assert_eq!(read.code(), Code::Unavailable, "{read:?}");

    relay.come_back();
    let created = c
        .create_part(during.clone())
        .await
        .expect("the retry after the restart")
        .into_inner();
    let again = c
        .create_part(during)
        .await
        .expect("a second retry gets the stored answer")
        .into_inner();
    assert_eq!(created, again);
    let listed = c
        .list_parts(pb::ListPartsRequest::default())
        .await
        .expect("listed")
        .into_inner();
    let numbers: Vec<_> = listed
        .parts
        .iter()
        .map(|p| p.part_number.as_str())
        .collect();
    assert_eq!(numbers, ["PG-100", "PG-200"]);
}

/// A TCP relay in front of the PostgreSQL server that a test can take
/// down (cutting every connection through it and refusing new ones) and
/// bring back.
struct Relay {
    addr: std::net::SocketAddr,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    async fn to(url: &str) -> Self {
        let server = server_address(url);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let relay = Relay {
            addr: listener.local_addr().expect("an address"),
            up: Arc::new(AtomicBool::new(true)),
            links: Arc::default(),
        };
        let (up, links) = (Arc::clone(&relay.up), Arc::clone(&relay.links));
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let server = server.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut upstream) = TcpStream::connect(&server).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                    }
                });
                links.lock().unwrap().push(link.abort_handle());
            }
        });
        relay
    }

    /// `url` with the relay's address in place of the server's.
    fn url(&self, url: &str) -> String {
        url.replacen(&server_address(url), &self.addr.to_string(), 1)
    }

    fn go_down(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn come_back(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// The `host:port` of a `postgres://user@host:port/db` URL.
fn server_address(url: &str) -> String {
    let rest = url.split_once("://").expect("a URL").1;
    let authority = rest.split('/').next().expect("an authority");
    authority.rsplit('@').next().expect("a host").to_owned()
}
