//! Settings: each a flag and a `CODRAFT_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How hard SQLite works to make a commit survive power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SqliteSync {
    /// fsync the WAL at every commit: a saved change survives power loss.
    Full,
    /// fsync at checkpoints only: survives a process crash, may lose the
    /// last commits on power loss. Faster.
    Normal,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "CODRAFT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Directory holding the embedded database (created if missing).
    #[arg(long, env = "CODRAFT_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// SQLite durability level.
    #[arg(long, env = "CODRAFT_SQLITE_SYNC", value_enum, default_value = "full")]
    pub sqlite_sync: SqliteSync,

    /// Largest WebSocket message accepted, in bytes. Large first syncs need
    /// room; the document size limit bounds what they can hold anyway.
    #[arg(long, env = "CODRAFT_MAX_MESSAGE_BYTES", default_value_t = 16 << 20)]
    pub max_message_bytes: usize,

    /// Largest single WebSocket frame accepted, in bytes. As large as a
    /// message by default: clients (e.g. `ws`) send a message as one frame.
    #[arg(long, env = "CODRAFT_MAX_FRAME_BYTES", default_value_t = 16 << 20)]
    pub max_frame_bytes: usize,

    /// Largest change (one chunk of a sync message) a peer may send, in
    /// bytes; a larger one is refused with an error and nothing is stored.
    #[arg(long, env = "CODRAFT_MAX_CHANGE_BYTES", default_value_t = 1 << 20)]
    pub max_change_bytes: usize,

    /// Largest a document may grow to in storage, in bytes; a change that
    /// would pass it is refused with an error and nothing is stored.
    #[arg(long, env = "CODRAFT_MAX_DOCUMENT_BYTES", default_value_t = 16 << 20)]
    pub max_document_bytes: usize,

    /// Cards one person may create per hour (site administrators: no limit).
    #[arg(long, env = "CODRAFT_CARDS_PER_HOUR", default_value_t = 30)]
    pub cards_per_hour: usize,

    /// Interval between keepalive pings; a peer that has not answered the
    /// previous ping by the next one is disconnected.
    #[arg(long, env = "CODRAFT_PING_INTERVAL", default_value = "20s", value_parser = humantime::parse_duration)]
    pub ping_interval: Duration,

    /// How long the first frame (`join`) may take after the upgrade.
    #[arg(long, env = "CODRAFT_HANDSHAKE_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub handshake_timeout: Duration,

    /// A document with no peers for this long is unloaded from memory.
    #[arg(long, env = "CODRAFT_IDLE_UNLOAD", default_value = "60s", value_parser = humantime::parse_duration)]
    pub idle_unload: Duration,

    /// How long a busy document gathers changes before it passes them on.
    /// A change arriving within this long of the document's previous batch
    /// waits for the window to close, and goes out with whatever else came
    /// in it: one message per peer for all of them, instead of one per
    /// change (the reference automerge-repo server waits 100 ms). The first
    /// change after a quiet moment goes at once. `0s` turns it off.
    #[arg(long, env = "CODRAFT_FANOUT_WINDOW", default_value = "20ms", value_parser = humantime::parse_duration)]
    pub fanout_window: Duration,

    /// Messages queued for one client before it counts as too slow and is
    /// disconnected (it resyncs when it reconnects).
    #[arg(long, env = "CODRAFT_OUTBOUND_QUEUE", default_value_t = 4096)]
    pub outbound_queue: usize,

    /// Keep documents in Redis instead of the embedded SQLite file, so that
    /// several instances serve the same documents (e.g.
    /// `redis://127.0.0.1:6379/`).
    #[arg(long, env = "CODRAFT_REDIS_URL")]
    pub redis_url: Option<String>,

    /// Fill a new workspace with the demo cards (MO0056, MO0059, ...).
    /// Without it a new workspace has the six groups and no cards.
    #[arg(long, env = "CODRAFT_DEMO")]
    pub demo: bool,

    /// No accounts: every connection may read, write and create any
    /// document (as the reference automerge-repo server does). For protocol
    /// tests and benchmarks only; never for real data.
    #[arg(long, env = "CODRAFT_OPEN_ACCESS")]
    pub open_access: bool,

    /// The public origins of the app (scheme, host and port, e.g.
    /// `https://codraft.example.org`), comma separated: the only origins a
    /// browser may open the socket and call the API from. Empty: the
    /// listening address (`http://127.0.0.1:8080`, and `localhost` on
    /// loopback). The `Host` header is never trusted for this.
    #[arg(long, env = "CODRAFT_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed
    /// (comma separated IPs, e.g. `127.0.0.1`): the client's address is then
    /// the last one in that header not itself a trusted proxy. Empty: the
    /// socket's peer address.
    #[arg(long, env = "CODRAFT_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Serve `/metrics` on this separate address (e.g. `127.0.0.1:9090`)
    /// instead of the public listener.
    #[arg(long, env = "CODRAFT_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Serve `/metrics` on the public listener to requests bearing this
    /// token (`Authorization: Bearer …`). Without it (and without
    /// `--metrics-listen`) `/metrics` is not served publicly.
    #[arg(long, env = "CODRAFT_METRICS_TOKEN")]
    pub metrics_token: Option<String>,

    /// Most TCP connections served at once; more are refused at once (the
    /// limit is also kept below the process's file descriptor limit).
    #[arg(long, env = "CODRAFT_MAX_CONNECTIONS", default_value_t = 8192)]
    pub max_connections: usize,

    /// Most connections at once that have not (yet) become a signed-in
    /// WebSocket: sign-in pages, API calls, idle or slow clients.
    #[arg(long, env = "CODRAFT_MAX_UNAUTHENTICATED", default_value_t = 1024)]
    pub max_unauthenticated: usize,

    /// Time a client has to send a request's headers, and the longest an
    /// idle keep-alive connection is kept.
    #[arg(long, env = "CODRAFT_HEADER_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub header_timeout: Duration,

    /// Longest an HTTP request (not the WebSocket) may take.
    #[arg(long, env = "CODRAFT_REQUEST_TIMEOUT", default_value = "30s", value_parser = humantime::parse_duration)]
    pub request_timeout: Duration,

    /// Mark the session cookie `Secure` (serve over HTTPS, behind TLS).
    #[arg(long, env = "CODRAFT_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// How long a sign-in lasts.
    #[arg(long, env = "CODRAFT_SESSION_TTL", default_value = "14days", value_parser = humantime::parse_duration)]
    pub session_ttl: Duration,

    /// How long an invitation link stays valid.
    #[arg(long, env = "CODRAFT_INVITATION_TTL", default_value = "7days", value_parser = humantime::parse_duration)]
    pub invitation_ttl: Duration,

    /// The built web app (`web/dist`), served at `/`.
    #[arg(long, env = "CODRAFT_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,

    /// SMTP server for e-mail (invitations, notifications):
    /// `smtp://[user:pass@]host[:port][?tls=none|opportunistic|required]`
    /// or `smtps://…`. Without it, everything stays in the app's inboxes and
    /// invitation links are shown to copy.
    #[arg(long, env = "CODRAFT_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of e-mails.
    #[arg(
        long,
        env = "CODRAFT_MAIL_FROM",
        default_value = "Codraft <codraft@localhost>"
    )]
    pub mail_from: String,

    /// Wait before trying a failed e-mail again (doubling each time, up to
    /// an hour).
    #[arg(long, env = "CODRAFT_MAIL_RETRY", default_value = "30s", value_parser = humantime::parse_duration)]
    pub mail_retry: Duration,

    /// How often the outbox (e-mails, webhook deliveries) is looked at.
    #[arg(long, env = "CODRAFT_OUTBOX_POLL", default_value = "2s", value_parser = humantime::parse_duration)]
    pub outbox_poll: Duration,

    /// Longest a webhook receiver may take to answer (then the delivery is
    /// tried again later).
    #[arg(long, env = "CODRAFT_WEBHOOK_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub webhook_timeout: Duration,

    /// Wait before trying a failed webhook delivery again (doubling each
    /// time, up to an hour; given up after 8 tries).
    #[arg(long, env = "CODRAFT_WEBHOOK_RETRY", default_value = "10s", value_parser = humantime::parse_duration)]
    pub webhook_retry: Duration,
}

impl Config {
    /// Defaults, for tests and embedding: listen on a free loopback port,
    /// open access (the accounts tests turn it off).
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Config {
            listen: "127.0.0.1:0".parse().expect("valid address"),
            data_dir,
            sqlite_sync: SqliteSync::Normal,
            max_message_bytes: 16 << 20,
            max_frame_bytes: 16 << 20,
            max_change_bytes: 1 << 20,
            max_document_bytes: 16 << 20,
            cards_per_hour: 30,
            ping_interval: Duration::from_secs(20),
            handshake_timeout: Duration::from_secs(10),
            idle_unload: Duration::from_secs(60),
            fanout_window: Duration::from_millis(20),
            outbound_queue: 4096,
            redis_url: None,
            demo: false,
            open_access: true,
            allowed_origins: vec![],
            trusted_proxies: vec![],
            metrics_listen: None,
            metrics_token: None,
            max_connections: 8192,
            max_unauthenticated: 1024,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            secure_cookies: false,
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            web_dir: PathBuf::from("web/dist"),
            smtp_url: None,
            mail_from: "Codraft <codraft@localhost>".into(),
            mail_retry: Duration::from_millis(300),
            outbox_poll: Duration::from_millis(100),
            webhook_timeout: Duration::from_secs(1),
            webhook_retry: Duration::from_millis(200),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Config;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    /// Hardening finding 19: frames were capped at 16 MiB while messages
    /// could be 64 MiB, so a client sending a message as one frame could
    /// not send what the server said it accepts.
    #[test]
    fn finding_19_by_default_one_frame_may_carry_a_whole_message() {
        let c = Cli::try_parse_from(["codraft"]).unwrap().config;
        assert!(c.max_frame_bytes >= c.max_message_bytes);
        let t = Config::for_tests("/tmp".into());
        assert_eq!(
            (t.max_message_bytes, t.max_frame_bytes),
            (c.max_message_bytes, c.max_frame_bytes),
            "the tests run with the defaults"
        );
    }
}
