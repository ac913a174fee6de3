//! Creating a card: the one way a document comes to exist. Its first state
//! is stored as a snapshot, then it is registered in its group (so that the
//! sync path lets the group's members open it). The API creates blank
//! cards; the demo seed creates the demo cards the same way.

use codraft_protocol::DocumentId;
use codraft_sync::Persist;

use crate::accounts::Accounts;
use crate::directory::{DirectoryError, DocInfo};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("building the card: {0}")]
    Build(#[from] codraft_schema::edit::EditError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

/// Stores a new card with `content` (JSON) in `group`, created by `by`.
pub async fn create(
    store: &dyn Store,
    acc: &Accounts,
    group: &str,
    by: &str,
    content: &serde_json::Value,
    now_ms: i64,
) -> Result<DocInfo, CardError> {
    create_document(store, acc, group, by, content, "card", now_ms).await
}

/// Stores a new document of `kind` (a card, a meeting's minutes) with
/// `content` in `group`, and registers it.
pub async fn create_document(
    store: &dyn Store,
    acc: &Accounts,
    group: &str,
    by: &str,
    content: &serde_json::Value,
    kind: &str,
    now_ms: i64,
) -> Result<DocInfo, CardError> {
    let id = DocumentId::random();
    let doc = codraft_schema::edit::from_json(content, now_ms)?;
    store.write(id, Persist::Compact(doc.save())).await?;
    let info = DocInfo {
        id,
        group: group.into(),
        kind: kind.into(),
        created_by: by.into(),
        created_ms: now_ms,
    };
    acc.register_document(info.clone()).await?;
    Ok(info)
}
