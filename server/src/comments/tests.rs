use codraft_schema::comments::{Person, Status, Thread, ThreadKind};

use super::*;

fn who(user: &str, role: Option<Role>) -> Commenter {
    Commenter {
        user: user.into(),
        role,
        admin: false,
        reads: role.is_some(),
        locked: false,
    }
}

fn suggestion(by: &str) -> Thread {
    Thread {
        kind: ThreadKind::Suggestion,
        author: Person {
            id: by.into(),
            ..Person::default()
        },
        ..Thread::default()
    }
}

#[test]
fn observers_comment_but_do_not_suggest() {
    let karim = who("karim", Some(Role::Observer));
    assert_eq!(karim.may_comment(), Ok(()));
    assert_eq!(karim.may_suggest(), Err(CommentRule::NotWriter));
    assert_eq!(who("x", None).may_comment(), Err(CommentRule::NotReader));
    let mut salma = who("salma", Some(Role::Member));
    assert_eq!(salma.may_suggest(), Ok(()));
    salma.locked = true;
    assert_eq!(salma.may_suggest(), Err(CommentRule::Locked));
    assert_eq!(salma.may_comment(), Ok(()));
}

#[test]
fn only_the_author_changes_a_comment() {
    let amina = who("amina", Some(Role::CoCoordinator));
    assert_eq!(amina.may_change("karim"), Err(CommentRule::NotAuthor));
    assert_eq!(amina.may_change("amina"), Ok(()));
    let karim = who("karim", Some(Role::Observer));
    assert_eq!(karim.may_resolve("karim"), Ok(()));
    assert_eq!(karim.may_resolve("amina"), Err(CommentRule::NotResolver));
    assert_eq!(amina.may_resolve("karim"), Ok(()));
}

#[test]
fn co_coordinators_and_the_suggester_decide() {
    let t = suggestion("salma");
    let yassine = who("yassine", Some(Role::CoCoordinator));
    assert_eq!(yassine.may_decide(&t, true), Ok(()));
    let other = who("omar", Some(Role::Member));
    assert_eq!(other.may_decide(&t, false), Err(CommentRule::NotDecider));
    let salma = who("salma", Some(Role::Member));
    assert_eq!(salma.may_decide(&t, false), Ok(()));
    let mut done = t.clone();
    done.status = Status::Accepted;
    assert_eq!(
        yassine.may_decide(&done, false),
        Err(CommentRule::Decided("accepted"))
    );
    let mut plain = t.clone();
    plain.kind = ThreadKind::Comment;
    assert_eq!(
        yassine.may_decide(&plain, true),
        Err(CommentRule::NotSuggestion)
    );
    let mut locked = yassine.clone();
    locked.locked = true;
    assert_eq!(locked.may_decide(&t, true), Err(CommentRule::Locked));
    assert_eq!(locked.may_decide(&t, false), Ok(()));
}

#[test]
fn a_cards_comments_document_is_its_own_and_stable() {
    let a = DocumentId::random();
    let b = DocumentId::random();
    assert_eq!(doc_of(&a), doc_of(&a));
    assert_ne!(doc_of(&a), doc_of(&b));
    assert_ne!(doc_of(&a), a);
}
