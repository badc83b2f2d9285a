//! PostgreSQL for tests: a database of its own per test on the server at 127.0.0.1:5432
//! (trust auth), created on demand and dropped when the test ends.
//!
//! The test matrix: with `PAGEFEED_TEST_STATE=postgres` every [`crate::helpers::Workspace`]
//! gets its own database and runs the binary with `PAGEFEED_STATE_URL` pointing at it,
//! so the tests that touch the state run unchanged against PostgreSQL (`.ci/run` runs
//! them a second time that way). `PAGEFEED_TEST_PG` overrides the server URL.

use std::sync::atomic::{AtomicU64, Ordering};

/// The server, as a URL without a database.
fn server() -> String {
    std::env::var("PAGEFEED_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Whether this test run puts every workspace's state in PostgreSQL.
pub fn matrix() -> bool {
    std::env::var("PAGEFEED_TEST_STATE").is_ok_and(|v| v == "postgres")
}

/// A database that exists for the life of this value.
pub struct Db {
    pub name: String,
}

fn admin() -> postgres::Client {
    postgres::Client::connect(&format!("{}/postgres", server()), postgres::NoTls)
        .unwrap_or_else(|e| panic!("PostgreSQL at {} is not reachable: {e}", server()))
}

impl Db {
    /// Creates a database with a name no other test (or test run) uses.
    pub fn create() -> Db {
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let name = format!(
            "pagefeed_test_{}_{}_{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        admin()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        Db { name }
    }

    /// The URL pagefeed is given.
    pub fn url(&self) -> String {
        format!("{}/{}", server(), self.name)
    }

    /// A client on this database, for tests that look inside.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls)
            .expect("connect to the test database")
    }

    /// Every row of pagefeed's tables as text, one a line.
    pub fn dump(&self) -> String {
        let mut c = self.client();
        let mut out = String::new();
        for table in ["items", "http_cache", "feeds"] {
            let rows = c
                .query(&format!("SELECT CAST(t AS text) FROM {table} t"), &[])
                .unwrap_or_else(|e| panic!("read {table}: {e}"));
            for r in rows {
                out.push_str(r.get::<_, &str>(0));
                out.push('\n');
            }
        }
        out
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = admin().batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}
