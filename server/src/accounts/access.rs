//! What the sync path asks of the accounts: who may read and write a
//! document, who a peer is (the presence stamp), which sockets to watch,
//! and where accepted changes are audited.

use super::*;

impl crate::hub::AuditSink for Accounts {
    fn append(
        &self,
        doc: DocumentId,
        rows: Vec<crate::hub::AuditRow>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'static>>
    {
        let dir = self.dir.clone();
        // A change to a validated card withdraws its approvals.
        let validated = self.stage_of(&doc) == crate::review::Stage::Validated;
        let me = self.me.upgrade();
        Box::pin(async move {
            let last = rows.last().map(|r| (r.user.clone(), r.change.clone()));
            dir.audit_append(doc, rows)
                .await
                .map_err(|e| e.to_string())?;
            if let (true, Some(me), Some((user, change))) = (validated, me, last) {
                me.after_validated_edit(doc, &user, &change).await;
            }
            Ok(())
        })
    }
}

impl Authorizer for Accounts {
    fn access(&self, who: &Identity, doc: &DocumentId) -> Access {
        match who {
            Identity::Anonymous { .. } => Access::None,
            Identity::User(c) => self.access_of(c, doc),
        }
    }

    fn stamp(&self, who: &Identity, doc: &DocumentId) -> Option<crate::auth::Stamp> {
        let Identity::User(c) = who else {
            return None;
        };
        let role = self
            .group_of(doc)
            .and_then(|g| self.role(&g, &c.user.id))
            .map(|r| r.as_str())
            .unwrap_or(if c.user.admin { "admin" } else { "" });
        Some(crate::auth::Stamp {
            id: c.user.id.clone(),
            name: c.user.name.clone(),
            sector: c.user.sector.as_str().into(),
            role: role.into(),
        })
    }

    fn watch(&self, who: &Identity, conn_id: u64, close: crate::auth::CloseFn) {
        if let Identity::User(c) = who {
            self.attach(&c.user.id, &c.id, c.kind, conn_id, close);
        }
    }

    fn unwatch(&self, who: &Identity, conn_id: u64) {
        if let Identity::User(c) = who {
            self.detach(&c.user.id, conn_id);
        }
    }

    /// Only documents the REST API registered, for those who may write them.
    fn may_create(&self, who: &Identity, doc: &DocumentId) -> bool {
        self.access(who, doc) == Access::ReadWrite
    }
}
