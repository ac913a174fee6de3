//! Who may do what: the directory behind an in-memory view of memberships
//! and document groups (for the per-message checks of the sync path), the
//! live connections of each user (so revocation closes them), secrets, and
//! the sign-in rate limiter.
//!
//! Every change to memberships, documents or credentials goes through
//! [`Accounts`], which writes the directory first and then updates the view
//! and closes the sockets that lost their right.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};

use codraft_protocol::DocumentId;

mod ops;
pub mod rules;
mod secrets;

pub use secrets::{
    hash_password, hash_secret, new_secret, same_secret, verify_password, verify_password_or_dummy,
};

use crate::auth::{Access, Authorizer, Identity};
use crate::directory::{
    Credential, CredentialKind, DirEvent, Directory, DirectoryError, DocInfo, Role, TokenInfo,
};

mod access;
mod live;
mod meetings;
mod notes;
mod process;
mod review;

/// A live WebSocket of a signed-in user.
struct Live {
    conn_id: u64,
    credential: String,
    kind: CredentialKind,
    /// Sends an `error` with this text and closes the socket.
    close: Box<dyn Fn(&str) + Send + Sync>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("conn_id", &self.conn_id)
            .finish()
    }
}

#[derive(Debug, Default)]
struct View {
    /// Group of each registered document.
    docs: HashMap<DocumentId, String>,
    /// (group, user id) → role.
    roles: HashMap<(String, String), Role>,
    /// Each card's stage (where the review log moved it): adopted and
    /// published cards are read-only to everyone; an edit to a validated
    /// one sends it back to group review.
    stages: HashMap<DocumentId, crate::review::Stage>,
    /// Each card's comments document → the card (read-only to all on the
    /// sync path: only the server writes it).
    comments: HashMap<DocumentId, DocumentId>,
}

impl View {
    fn add_doc(&mut self, id: DocumentId, group: String) {
        self.comments.insert(crate::comments::doc_of(&id), id);
        self.docs.insert(id, group);
    }
}

#[derive(Debug)]
pub struct Accounts {
    /// Itself, for the work it starts on its own (see `access.rs`).
    me: std::sync::Weak<Accounts>,
    dir: Arc<dyn Directory>,
    view: RwLock<View>,
    live: Mutex<HashMap<String, Vec<Live>>>,
    /// Failed sign-ins and card creations.
    pub limiter: crate::limiter::Limiter,
    /// E-mail, when an SMTP server is configured.
    mailer: std::sync::OnceLock<Arc<crate::mail::Mailer>>,
    /// Webhook deliveries.
    hooks: std::sync::OnceLock<Arc<crate::hooks::Dispatcher>>,
}

impl Accounts {
    /// Loads the view of memberships and documents from the directory.
    pub async fn load(dir: Arc<dyn Directory>) -> Result<Arc<Self>, DirectoryError> {
        let view = Self::read_view(dir.as_ref()).await?;
        let accounts = Arc::new_cyclic(|me| Accounts {
            me: me.clone(),
            dir,
            view: RwLock::new(view),
            live: Mutex::new(HashMap::new()),
            limiter: crate::limiter::Limiter::default(),
            mailer: std::sync::OnceLock::new(),
            hooks: std::sync::OnceLock::new(),
        });
        // What other instances change reaches this one's view and sockets.
        let weak = Arc::downgrade(&accounts);
        accounts.dir.listen(Arc::new(move |ev| {
            if let Some(a) = weak.upgrade() {
                a.apply(ev);
            }
        }));
        // Changes made between the first read and listening are not missed.
        accounts.reload().await?;
        Ok(accounts)
    }

    /// Reads the whole view again from the directory.
    async fn read_view(dir: &dyn Directory) -> Result<View, DirectoryError> {
        let mut view = View::default();
        for d in dir.documents().await? {
            view.stages.insert(d.id, review::stage(dir, d.id).await?);
            view.add_doc(d.id, d.group);
        }
        for (g, u, r) in dir.all_roles().await? {
            view.roles.insert((g, u), r);
        }
        Ok(view)
    }

    async fn reload(&self) -> Result<(), DirectoryError> {
        let view = Self::read_view(self.dir.as_ref()).await?;
        *self.view.write().unwrap() = view;
        Ok(())
    }

    /// Reflects a change another instance made.
    fn apply(self: &Arc<Self>, ev: DirEvent) {
        match ev {
            DirEvent::Reload => {
                // Events may have been missed: read everything again, then
                // close what the missed events would have closed.
                let me = self.clone();
                tokio::spawn(async move {
                    let before = me.view.read().unwrap().roles.clone();
                    if let Err(e) = me.reload().await {
                        tracing::error!(error = %e, "reloading the directory view");
                        return;
                    }
                    me.recheck_live(&before).await;
                });
            }
            DirEvent::Role {
                group,
                user,
                role,
                close,
            } => {
                {
                    let mut v = self.view.write().unwrap();
                    match role {
                        Some(r) => v.roles.insert((group, user.clone()), r),
                        None => v.roles.remove(&(group, user.clone())),
                    };
                }
                if close {
                    self.close_user(&user, "your access to a group changed: reconnect");
                }
            }
            DirEvent::Document { id, group } => {
                if let Ok(id) = id.parse::<DocumentId>() {
                    self.view.write().unwrap().add_doc(id, group);
                }
            }
            DirEvent::Review { doc } => {
                if let Ok(doc) = doc.parse::<DocumentId>() {
                    let me = self.clone();
                    tokio::spawn(async move { me.refresh_lock(doc).await });
                }
            }
            DirEvent::Credential { id, why } => self.close_credential(&id, &why),
            DirEvent::User { user, why } => self.close_user(&user, &why),
        }
    }

    /// Appends `event` (as JSON) to the server's log of `doc` if the log
    /// holds exactly `expected` events (a review, a meeting, the process).
    pub(crate) async fn append_json(
        &self,
        doc: DocumentId,
        expected: usize,
        event: &impl serde::Serialize,
    ) -> Result<bool, DirectoryError> {
        let json =
            serde_json::to_string(event).map_err(|e| DirectoryError::Backend(e.to_string()))?;
        self.dir.review_append(doc, expected, json).await
    }

    /// The directory behind the view (for records the view does not keep:
    /// inboxes).
    pub fn directory(&self) -> &Arc<dyn Directory> {
        &self.dir
    }

    /// Sends e-mail through `m` from now on.
    pub fn set_mailer(&self, m: Arc<crate::mail::Mailer>) {
        let _ = self.mailer.set(m);
    }

    pub fn mailer(&self) -> Option<&Arc<crate::mail::Mailer>> {
        self.mailer.get()
    }

    /// Delivers webhooks through `d` from now on.
    pub fn set_hooks(&self, d: Arc<crate::hooks::Dispatcher>) {
        let _ = self.hooks.set(d);
    }

    pub fn hooks(&self) -> Option<&Arc<crate::hooks::Dispatcher>> {
        self.hooks.get()
    }

    /// Tells the webhooks of `doc`'s group of `event`.
    pub async fn fire(
        &self,
        doc: &DocumentId,
        event: crate::hooks::HookEvent,
        data: serde_json::Value,
    ) {
        if let (Some(h), Some(group)) = (self.hooks(), self.group_of(doc)) {
            let mut data = data;
            data["doc"] = serde_json::Value::String(doc.to_url());
            h.fire(&group, event, data).await;
        }
    }

    pub fn role(&self, group: &str, user: &str) -> Option<Role> {
        self.view
            .read()
            .unwrap()
            .roles
            .get(&(group.to_owned(), user.to_owned()))
            .copied()
    }

    pub fn group_of(&self, doc: &DocumentId) -> Option<String> {
        self.view.read().unwrap().docs.get(doc).cloned()
    }

    pub async fn set_role(
        &self,
        group: &str,
        user: &str,
        role: Role,
    ) -> Result<(), DirectoryError> {
        let before = self.role(group, user);
        self.dir.set_role(group, user, role).await?;
        self.view
            .write()
            .unwrap()
            .roles
            .insert((group.to_owned(), user.to_owned()), role);
        // Less access than before: the open sockets must not keep it.
        let close = before.is_some_and(|b| b.writes() && !role.writes());
        if close {
            self.close_user(user, "your role in this group changed: reconnect");
        }
        self.dir.notify(DirEvent::Role {
            group: group.into(),
            user: user.into(),
            role: Some(role),
            close,
        });
        Ok(())
    }

    pub async fn remove_member(&self, group: &str, user: &str) -> Result<bool, DirectoryError> {
        let removed = self.dir.remove_member(group, user).await?;
        self.view
            .write()
            .unwrap()
            .roles
            .remove(&(group.to_owned(), user.to_owned()));
        if removed {
            self.close_user(user, "you were removed from a group: reconnect");
            self.dir.notify(DirEvent::Role {
                group: group.into(),
                user: user.into(),
                role: None,
                close: true,
            });
        }
        Ok(removed)
    }

    pub async fn register_document(&self, d: DocInfo) -> Result<(), DirectoryError> {
        let (id, group) = (d.id, d.group.clone());
        self.dir.register_document(d).await?;
        self.view.write().unwrap().add_doc(id, group.clone());
        self.dir.notify(DirEvent::Document {
            id: id.to_string(),
            group,
        });
        Ok(())
    }

    /// Revokes one session (sign-out) and closes its sockets.
    pub async fn revoke_session(&self, hash: &str) -> Result<bool, DirectoryError> {
        let r = self.dir.revoke_session(hash).await?;
        self.close_credential(hash, "signed out");
        self.dir.notify(DirEvent::Credential {
            id: hash.into(),
            why: "signed out".into(),
        });
        Ok(r)
    }

    pub async fn revoke_token(&self, user: &str, id: &str) -> Result<bool, DirectoryError> {
        let r = self.dir.revoke_token(user, id).await?;
        if r {
            self.close_credential(id, "API token revoked");
            self.dir.notify(DirEvent::Credential {
                id: id.into(),
                why: "API token revoked".into(),
            });
        }
        Ok(r)
    }

    /// Revokes every session and token of a user and closes their sockets.
    pub async fn revoke_user(&self, user: &str) -> Result<(), DirectoryError> {
        self.dir.revoke_user(user).await?;
        self.close_user(user, "access revoked");
        self.dir.notify(DirEvent::User {
            user: user.into(),
            why: "access revoked".into(),
        });
        Ok(())
    }

    /// Access of a user (by credential) to a document.
    pub fn access_of(&self, c: &Credential, doc: &DocumentId) -> Access {
        let card = self.view.read().unwrap().comments.get(doc).copied();
        if let Some(card) = card {
            return match self.access_of(c, &card) {
                Access::None => Access::None,
                _ => Access::ReadOnly,
            };
        }
        if c.user.admin {
            return if self.group_of(doc).is_some() {
                if self.is_locked(doc) {
                    Access::ReadOnly
                } else {
                    Access::ReadWrite
                }
            } else {
                Access::None
            };
        }
        let Some(group) = self.group_of(doc) else {
            return Access::None;
        };
        match self.role(&group, &c.user.id) {
            Some(r) if r.writes() && !self.is_locked(doc) => Access::ReadWrite,
            Some(_) => Access::ReadOnly,
            // The steering committee's secretariat reads every card (it
            // adopts and publishes them).
            None if self.is_secretariat(&c.user.id) => Access::ReadOnly,
            None => Access::None,
        }
    }
}
