//! The workspace document every server starts with.
//!
//! The workspace has a fixed id ([`WORKSPACE_ID`]) so that every instance
//! of a deployment, and every restart, finds the same one. On first start
//! it is created with the six thematic groups, and with `--demo` also the
//! demo cards of `codraft_schema::demo`. An existing workspace is never
//! touched; a store that cannot say whether it exists stops the start.

use automerge::Automerge;
use codraft_protocol::DocumentId;
use codraft_schema::{demo, edit, workspace};
use codraft_sync::Persist;

use crate::store::{Store, StoreError};

/// `automerge:` id of the workspace document (a fixed, random-looking UUID).
pub const WORKSPACE_ID: DocumentId = DocumentId::from_bytes([
    0xc0, 0xd7, 0xaf, 0x70, 0x2b, 0x6e, 0x4c, 0x1a, 0x9d, 0x51, 0x0b, 0x3e, 0x7a, 0x52, 0x11, 0x26,
]);

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("building a seed document: {0}")]
    Build(#[from] edit::EditError),
}

/// Creates the workspace (and with `demo` the demo cards) unless it exists.
/// Returns whether it created anything.
pub async fn ensure_workspace(
    store: &dyn Store,
    demo: bool,
    now_ms: i64,
) -> Result<bool, SeedError> {
    if !store.load(WORKSPACE_ID).await?.is_empty() {
        return Ok(false);
    }
    let mut urls: Vec<(&str, String)> = Vec::new();
    if demo {
        for (group, card) in demo::cards() {
            let id = DocumentId::random();
            save(store, id, &edit::from_json(&card, now_ms)?).await?;
            urls.push((group, id.to_url()));
        }
    }
    let ws = workspace::workspace_json(|g| {
        urls.iter()
            .filter(|(group, _)| *group == g)
            .map(|(_, u)| u.clone())
            .collect()
    });
    // The workspace last: if the start is cut short, the next one seeds again.
    save(store, WORKSPACE_ID, &edit::from_json(&ws, now_ms)?).await?;
    Ok(true)
}

async fn save(store: &dyn Store, id: DocumentId, doc: &Automerge) -> Result<(), StoreError> {
    store.write(id, Persist::Compact(doc.save())).await
}
