//! Prometheus metrics, served as text at `GET /metrics`.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub connections: Gauge,
    pub open_documents: Gauge,
    pub messages_in: Counter,
    pub messages_out: Counter,
    pub bytes_in: Counter,
    pub bytes_out: Counter,
    pub protocol_errors: Counter,
    pub slow_client_disconnects: Counter,
    pub storage_errors: Counter,
    /// `sync` and `request` messages read from sockets.
    pub sync_messages_in: Counter,
    /// Automerge sync messages decoded by the documents' sessions: one per
    /// `sync`/`request` received, once a batch has taken it (a reader also
    /// reads a settled peer's message to see whether it may be set aside,
    /// `hub/aside.rs`; that is not counted here).
    pub sync_decodes: Counter,
    /// Acknowledgements set aside for their document's next batch
    /// (`hub/aside.rs`), and how many wait now: each is decoded by its
    /// session when the batch takes it.
    pub acks_set_aside: Counter,
    pub acks_waiting: Gauge,
    /// Seconds from handing a batch to the store to its being durable.
    pub persist_seconds: Histogram,
    /// Seconds from a sync message's arrival to the messages it caused
    /// being queued for every peer of the document (the write included):
    /// the server's share of change-to-peer latency.
    pub fanout_seconds: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let m = Metrics {
            connections: Gauge::default(),
            open_documents: Gauge::default(),
            messages_in: Counter::default(),
            messages_out: Counter::default(),
            bytes_in: Counter::default(),
            bytes_out: Counter::default(),
            protocol_errors: Counter::default(),
            slow_client_disconnects: Counter::default(),
            storage_errors: Counter::default(),
            sync_messages_in: Counter::default(),
            sync_decodes: Counter::default(),
            acks_set_aside: Counter::default(),
            acks_waiting: Gauge::default(),
            persist_seconds: Histogram::new(exponential_buckets(0.000_05, 2.0, 16)),
            fanout_seconds: Histogram::new(exponential_buckets(0.000_05, 2.0, 16)),
            registry: Registry::default(),
        };
        registry.register(
            "codraft_connections",
            "Open WebSocket connections",
            m.connections.clone(),
        );
        registry.register(
            "codraft_open_documents",
            "Documents loaded in memory",
            m.open_documents.clone(),
        );
        registry.register(
            "codraft_sync_messages_in",
            "sync and request messages received",
            m.sync_messages_in.clone(),
        );
        registry.register(
            "codraft_sync_decodes",
            "Automerge sync messages decoded (once per sync or request received)",
            m.sync_decodes.clone(),
        );
        registry.register(
            "codraft_acks_set_aside",
            "Acknowledgements set aside for their document's next batch instead of waking it",
            m.acks_set_aside.clone(),
        );
        registry.register(
            "codraft_acks_waiting",
            "Acknowledgements set aside that no batch has taken yet",
            m.acks_waiting.clone(),
        );
        registry.register(
            "codraft_messages_in",
            "Protocol messages received",
            m.messages_in.clone(),
        );
        registry.register(
            "codraft_messages_out",
            "Protocol messages sent",
            m.messages_out.clone(),
        );
        registry.register(
            "codraft_bytes_in",
            "Bytes of protocol messages received",
            m.bytes_in.clone(),
        );
        registry.register(
            "codraft_bytes_out",
            "Bytes of protocol messages sent",
            m.bytes_out.clone(),
        );
        registry.register(
            "codraft_protocol_errors",
            "Connections closed for a protocol error",
            m.protocol_errors.clone(),
        );
        registry.register(
            "codraft_slow_client_disconnects",
            "Connections closed because their outbound queue was full",
            m.slow_client_disconnects.clone(),
        );
        registry.register(
            "codraft_storage_errors",
            "Failed storage loads and writes",
            m.storage_errors.clone(),
        );
        registry.register(
            "codraft_persist_seconds",
            "Time for a batch of changes to become durable",
            m.persist_seconds.clone(),
        );
        registry.register(
            "codraft_fanout_seconds",
            "Time from a sync message's arrival to the messages it caused being queued for every peer",
            m.fanout_seconds.clone(),
        );
        Metrics { registry, ..m }
    }
}

impl Metrics {
    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}
