//! Comments and suggestions on cards: the rules of who may do what (pure,
//! unit-tested) and where a card's comments live.
//!
//! A card's threads are kept in a second Automerge document (see
//! `codraft_schema::comments`) whose id is derived from the card's
//! ([`doc_of`]): every reader of the card syncs it read-only, so threads
//! are live for everyone, and only the server writes it, through the API,
//! stamping each comment with the verified author. Nobody can post as
//! someone else or change another's words; observers comment without any
//! right on the card's content.

use codraft_protocol::DocumentId;
use sha2::{Digest, Sha256};

use crate::directory::Role;

#[cfg(test)]
mod tests;

/// The comments document of a card.
pub fn doc_of(card: &DocumentId) -> DocumentId {
    let mut h = Sha256::new();
    h.update(b"codraft comments of ");
    h.update(card.as_bytes());
    let d = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&d[..16]);
    DocumentId::from_bytes(id)
}

/// Who acts, as the rules see them.
#[derive(Debug, Clone)]
pub struct Commenter {
    pub user: String,
    /// Their role in the card's group.
    pub role: Option<Role>,
    pub admin: bool,
    /// May read the card at all (a member, the secretariat, an admin).
    pub reads: bool,
    /// The card is adopted or published (its content is locked).
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentRule {
    #[error("only those who may read the card comment on it")]
    NotReader,
    #[error("only the group's members and co-coordinators suggest changes")]
    NotWriter,
    #[error("only its author changes a comment")]
    NotAuthor,
    #[error("only the group's co-coordinators and the suggestion's author decide on it")]
    NotDecider,
    #[error("only the group's members and the thread's author resolve or reopen it")]
    NotResolver,
    #[error("the card is adopted or published: its content no longer changes")]
    Locked,
    #[error("this is not a suggestion")]
    NotSuggestion,
    #[error("the suggestion was already {0}")]
    Decided(&'static str),
}

impl Commenter {
    fn co_coordinator(&self) -> bool {
        self.admin || self.role == Some(Role::CoCoordinator)
    }
    fn writes(&self) -> bool {
        self.admin || self.role.is_some_and(Role::writes)
    }

    /// Open a thread or reply: every reader, observers included.
    pub fn may_comment(&self) -> Result<(), CommentRule> {
        if self.reads {
            Ok(())
        } else {
            Err(CommentRule::NotReader)
        }
    }

    /// Propose a rewording: those who could write it themselves.
    pub fn may_suggest(&self) -> Result<(), CommentRule> {
        self.may_comment()?;
        if !self.writes() {
            return Err(CommentRule::NotWriter);
        }
        if self.locked {
            return Err(CommentRule::Locked);
        }
        Ok(())
    }

    /// Edit or delete a comment: its author only.
    pub fn may_change(&self, author: &str) -> Result<(), CommentRule> {
        self.may_comment()?;
        if author == self.user {
            Ok(())
        } else {
            Err(CommentRule::NotAuthor)
        }
    }

    /// Resolve or reopen a thread: the group's writers and its author.
    pub fn may_resolve(&self, thread_author: &str) -> Result<(), CommentRule> {
        self.may_comment()?;
        if self.writes() || thread_author == self.user {
            Ok(())
        } else {
            Err(CommentRule::NotResolver)
        }
    }

    /// Accept or reject a suggestion still open: a co-coordinator, or its
    /// author (who may also withdraw it); accepting changes the content,
    /// so the acceptor must still be able to write it.
    pub fn may_decide(
        &self,
        t: &codraft_schema::comments::Thread,
        accept: bool,
    ) -> Result<(), CommentRule> {
        use codraft_schema::comments::{Status, ThreadKind};
        self.may_comment()?;
        if t.kind != ThreadKind::Suggestion {
            return Err(CommentRule::NotSuggestion);
        }
        if t.status != Status::Open {
            return Err(CommentRule::Decided(t.status.as_str()));
        }
        let author = t.author.id == self.user;
        if !(self.co_coordinator() || author) {
            return Err(CommentRule::NotDecider);
        }
        if accept {
            if !self.writes() {
                return Err(CommentRule::NotDecider);
            }
            if self.locked {
                return Err(CommentRule::Locked);
            }
        }
        Ok(())
    }
}
