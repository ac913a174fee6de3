//! Accounts and access, over the real HTTP and WebSocket interfaces: the
//! authorization matrix (every role × every operation), revocation closing
//! live sockets, expired sessions, forged presence, the co-coordinator
//! rule, invitations, the audit log, the admin CLI.

use std::time::{Duration, Instant};

use codraft_protocol::presence::{PresenceMessage, Value, decode_value};
use codraft_protocol::{DocumentId, EphemeralMessage, Message};
use codraft_server::Config;
use codraft_server::accounts::hash_password;
use codraft_server::directory::{NewUser, Role, Sector, User};
use codraft_server::http::tokens as api;
use codraft_tests::{TestClient, TestServer};
use serde_json::{Value as Json, json};

use crate::http::request;

pub(crate) const GROUP: &str = "open_justice";

pub(crate) struct Person {
    pub(crate) user: Option<User>,
    pub(crate) token: Option<String>,
}

pub(crate) struct World {
    pub(crate) server: TestServer,
    pub(crate) _dir: tempfile::TempDir,
    /// In Redis mode: the Redis and a second instance on it.
    pub(crate) redis: Option<codraft_tests::redis::RedisServer>,
    pub(crate) other: Option<TestServer>,
    pub(crate) admin: Person,
    pub(crate) coord: Person,
    pub(crate) member: Person,
    pub(crate) observer: Person,
    pub(crate) outsider: Person,
    pub(crate) signed_out: Person,
    pub(crate) revoked: Person,
    /// A card of GROUP, created through the API by the co-coordinator.
    pub(crate) doc: DocumentId,
}

pub(crate) async fn person(
    server: &TestServer,
    email: &str,
    sector: Sector,
    admin: bool,
    role: Option<(&str, Role)>,
) -> Person {
    let acc = server.accounts();
    let user = acc
        .create_user(NewUser {
            email: email.into(),
            name: email.split('@').next().unwrap().into(),
            organisation: "Org".into(),
            sector,
            password_hash: hash_password("correct horse battery").unwrap(),
            admin,
        })
        .await
        .unwrap();
    if let Some((g, r)) = role {
        acc.set_role(g, &user.id, r).await.unwrap();
    }
    let (_, token) = api::mint(acc, &user.id, "test").await.unwrap();
    Person {
        user: Some(user),
        token: Some(token),
    }
}

pub(crate) async fn world() -> World {
    world_on(false).await
}

/// Accounts in the embedded store, or (`redis`) in a real `redis-server`
/// shared by two instances.
pub(crate) async fn world_on(redis: bool) -> World {
    world_with(redis, |_| {}).await
}

/// A world whose server's settings `adjust` changes first.
pub(crate) async fn world_with(redis: bool, adjust: impl FnOnce(&mut Config)) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.open_access = false;
    adjust(&mut config);
    let (server, other, redis) = if redis {
        let r = codraft_tests::redis::RedisServer::start().unwrap();
        let one = TestServer::start_redis(config.clone(), &r.url())
            .await
            .unwrap();
        let two = TestServer::start_redis(config, &r.url()).await.unwrap();
        (one, Some(two), Some(r))
    } else {
        (TestServer::start_with(config).await.unwrap(), None, None)
    };
    let admin = person(&server, "admin@x.org", Sector::Administration, true, None).await;
    let coord = person(
        &server,
        "coord@x.org",
        Sector::Administration,
        false,
        Some((GROUP, Role::CoCoordinator)),
    )
    .await;
    let member = person(
        &server,
        "member@x.org",
        Sector::Academia,
        false,
        Some((GROUP, Role::Member)),
    )
    .await;
    let observer = person(
        &server,
        "observer@x.org",
        Sector::Other,
        false,
        Some((GROUP, Role::Observer)),
    )
    .await;
    let outsider = person(
        &server,
        "outsider@x.org",
        Sector::CivilSociety,
        false,
        Some(("climate_environment", Role::Member)),
    )
    .await;
    let revoked = person(
        &server,
        "revoked@x.org",
        Sector::CivilSociety,
        false,
        Some((GROUP, Role::Member)),
    )
    .await;
    server
        .accounts()
        .revoke_user(&revoked.user.as_ref().unwrap().id)
        .await
        .unwrap();
    let signed_out = Person {
        user: None,
        token: None,
    };
    let (status, body) = call(
        &server,
        "POST",
        &format!("/api/groups/{GROUP}/documents"),
        coord.token.as_deref(),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let doc = DocumentId::from_url(body["id"].as_str().unwrap()).unwrap();
    World {
        server,
        _dir: dir,
        redis,
        other,
        admin,
        coord,
        member,
        observer,
        outsider,
        signed_out,
        revoked,
        doc,
    }
}

pub(crate) async fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Json>,
) -> (u16, Json) {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    let (status, _, bytes) = request(method, &server.http(path), &headers, body.as_ref()).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Json::Null))
}

/// The demo's first card (complete), in the world's group, created by its
/// co-coordinator in `store` after `adjust` changed its JSON.
pub(crate) async fn demo_card(
    w: &World,
    store: &dyn codraft_server::store::Store,
    adjust: impl FnOnce(&mut Json),
) -> DocumentId {
    let (_, mut json) = codraft_schema::demo::cards().remove(0);
    json["group"] = json!(GROUP);
    adjust(&mut json);
    codraft_server::cards::create(
        store,
        w.server.accounts(),
        GROUP,
        &w.coord.user.as_ref().unwrap().id,
        &json,
        codraft_server::clock::now_ms(),
    )
    .await
    .unwrap()
    .id
}

pub(crate) fn ws_url(server: &TestServer, p: &Person) -> String {
    match &p.token {
        Some(t) => format!("{}?token={t}", server.url()),
        None => server.url(),
    }
}

pub(crate) fn title_edit(
    s: &'static str,
) -> impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), automerge::AutomergeError>
{
    move |tx| {
        use automerge::ReadDoc;
        use automerge::transaction::Transactable;
        let (_, lead) = tx.get(automerge::ROOT, "lead")?.unwrap();
        tx.splice_text(&lead, 0, 0, s)?;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allowed,
    /// HTTP 401 / the upgrade refused.
    Unauthenticated,
    /// HTTP 403, or an `error` and close for a refused write.
    Denied,
    /// `doc-unavailable` / HTTP 404: not even told the document exists.
    Hidden,
}
use Outcome::*;

async fn connect(w: &World, p: &Person, name: &str) -> Result<TestClient, Outcome> {
    match TestClient::connect(&ws_url(&w.server, p), name).await {
        Ok(c) => Ok(c),
        Err(e) => {
            let text = format!("{e:#}");
            assert!(
                text.contains("401"),
                "an unauthenticated upgrade is refused with 401: {text}"
            );
            Err(Unauthenticated)
        }
    }
}

async fn op_connect(w: &World, p: &Person) -> Outcome {
    match connect(w, p, "probe-connect").await {
        Ok(_) => Allowed,
        Err(o) => o,
    }
}

async fn op_read(w: &World, p: &Person) -> Outcome {
    let mut c = match connect(w, p, "probe-read").await {
        Ok(c) => c,
        Err(o) => return o,
    };
    match c.open(w.doc).await {
        Ok(()) => {
            let json = codraft_schema::edit::read(c.doc(w.doc), &[]).unwrap();
            assert_eq!(json["group"], GROUP);
            Allowed
        }
        Err(_) if c.unavailable.contains(&w.doc) => Hidden,
        Err(e) => panic!("read: {e:#}"),
    }
}

async fn op_write(w: &World, p: &Person) -> Outcome {
    let mut c = match connect(w, p, "probe-write").await {
        Ok(c) => c,
        Err(o) => return o,
    };
    if c.open(w.doc).await.is_err() {
        return Hidden;
    }
    c.edit(w.doc, title_edit("x")).await.unwrap();
    match c.wait_saved(w.doc).await {
        Ok(()) => Allowed,
        Err(_) => {
            assert!(
                c.errors.iter().any(|e| e.starts_with("read-only")),
                "{:?}",
                c.errors
            );
            // Never applied: a co-coordinator does not see it.
            let mut check = TestClient::connect(&ws_url(&w.server, &w.coord), "checker")
                .await
                .unwrap();
            check.open(w.doc).await.unwrap();
            let lead = codraft_schema::edit::read(
                check.doc(w.doc),
                &[codraft_schema::edit::Key::Map("lead".into())],
            )
            .unwrap();
            assert!(
                !lead.as_str().unwrap().contains('x') || lead.as_str().unwrap().len() > 1,
                "observer's change applied: {lead}"
            );
            Denied
        }
    }
}

/// Writes by putting sync data with a change in a `request` instead of a
/// `sync` (hardening finding 1): the same rights as `sync`.
async fn op_write_request(w: &World, p: &Person) -> Outcome {
    let mut c = match connect(w, p, "probe-request").await {
        Ok(c) => c,
        Err(o) => return o,
    };
    if c.open(w.doc).await.is_err() {
        return Hidden;
    }
    let (data, hash) = crate::hardening::sync_data_with_change(c.doc(w.doc), "r");
    c.send(&crate::hardening::as_request(&c, w.doc, data))
        .await
        .unwrap();
    c.pump_for(Duration::from_millis(300)).await.unwrap();
    let applied = crate::hardening::holds(&ws_url(&w.server, &w.coord), w.doc, hash).await;
    match (applied, c.closed) {
        (true, false) => Allowed,
        (false, true) if c.errors.iter().any(|e| e.starts_with("read-only")) => Denied,
        other => panic!(
            "request write: applied/closed {other:?}, errors {:?}",
            c.errors
        ),
    }
}

/// Every other message type about the document (`doc-unavailable`,
/// `remote-subscription-change`, `remote-heads-changed`, `leave`, `error`)
/// changes nothing and leaves the connection usable.
async fn op_other_types(w: &World, p: &Person) -> Outcome {
    let mut c = match connect(w, p, "probe-other").await {
        Ok(c) => c,
        Err(o) => return o,
    };
    let mut check = TestClient::connect(&ws_url(&w.server, &w.coord), "checker-other")
        .await
        .unwrap();
    check.open(w.doc).await.unwrap();
    let before = check.doc(w.doc).get_heads();
    let (me, server) = (c.peer.clone(), c.server.clone());
    for m in [
        Message::DocUnavailable {
            sender_id: me.clone(),
            target_id: server.clone(),
            document_id: w.doc,
        },
        Message::RemoteSubscriptionChange {
            sender_id: me.clone(),
            target_id: server.clone(),
            add: Some(vec!["storage".into()]),
            remove: None,
        },
        Message::RemoteHeadsChanged {
            sender_id: me.clone(),
            target_id: server.clone(),
            document_id: w.doc,
            new_heads: vec![],
        },
        Message::Error {
            sender_id: me.clone(),
            target_id: Some(server.clone()),
            message: "probe".into(),
        },
        Message::Leave { sender_id: me },
    ] {
        c.send(&m).await.unwrap();
    }
    let opened = c.open(w.doc).await;
    let mut after = TestClient::connect(&ws_url(&w.server, &w.coord), "checker-other-2")
        .await
        .unwrap();
    after.open(w.doc).await.unwrap();
    assert_eq!(
        before,
        after.doc(w.doc).get_heads(),
        "another message type changed the card"
    );
    match opened {
        Ok(()) => Allowed,
        Err(_) if c.unavailable.contains(&w.doc) => Hidden,
        Err(e) => panic!("the connection did not survive other message types: {e:#}"),
    }
}

async fn op_create(w: &World, p: &Person) -> Outcome {
    // Through the socket: never, for anyone (the API creates documents).
    if let Ok(mut c) = connect(w, p, "probe-create").await {
        let id = c.create(title_edit_new).await.unwrap();
        c.pump_until(|c| c.unavailable.contains(&id) || c.closed)
            .await
            .unwrap();
        assert!(
            c.unavailable.contains(&id),
            "a socket-created document is refused"
        );
    }
    // Through the API.
    let (status, body) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/documents"),
        p.token.as_deref(),
        Some(json!({})),
    )
    .await;
    http_outcome(status, &body)
}

fn title_edit_new(
    tx: &mut automerge::transaction::Transaction<'_>,
) -> Result<(), automerge::AutomergeError> {
    use automerge::transaction::Transactable;
    tx.put(automerge::ROOT, "title", "forged")?;
    Ok(())
}

async fn op_presence(w: &World, p: &Person) -> Outcome {
    let mut c = match connect(w, p, "probe-presence").await {
        Ok(c) => c,
        Err(o) => return o,
    };
    if c.open(w.doc).await.is_err() {
        return Hidden;
    }
    let mut watcher = TestClient::connect(&ws_url(&w.server, &w.coord), "watcher")
        .await
        .unwrap();
    watcher.open(w.doc).await.unwrap();
    let forged = PresenceMessage::Update {
        channel: "user".into(),
        value: Value::Text("someone else".into()),
    };
    send_presence(&mut c, w.doc, &forged, 1).await;
    watcher
        .pump_until(|x| !x.ephemeral.is_empty())
        .await
        .unwrap_or_else(|e| {
            panic!(
                "{}: presence not relayed: {e:#}",
                p.user.as_ref().unwrap().email
            )
        });
    let stamp = decode_value(&watcher.ephemeral[0].data).unwrap();
    let user = stamp.get("__user").expect("stamped by the server");
    assert_eq!(
        user.get("id").and_then(Value::as_str),
        Some(p.user.as_ref().unwrap().id.as_str())
    );
    Allowed
}

async fn send_presence(c: &mut TestClient, doc: DocumentId, m: &PresenceMessage, count: u64) {
    let sender = c.peer.clone();
    c.send(&Message::Ephemeral(EphemeralMessage {
        sender_id: sender,
        target_id: "server".into(),
        document_id: doc,
        session_id: uuid_like().as_str().into(),
        count,
        data: m.encode(),
    }))
    .await
    .unwrap();
}

fn http_outcome(status: u16, body: &Json) -> Outcome {
    match status {
        200..=299 => Allowed,
        401 => Unauthenticated,
        403 => Denied,
        404 => Hidden,
        other => panic!("unexpected status {other}: {body}"),
    }
}

async fn op_manage(w: &World, p: &Person) -> Outcome {
    // Adds the outsider to the group as an observer (and back out).
    let email = "outsider@x.org";
    let (status, body) = call(
        &w.server,
        "PUT",
        &format!("/api/groups/{GROUP}/members/{email}"),
        p.token.as_deref(),
        Some(json!({"role": "observer"})),
    )
    .await;
    let o = http_outcome(status, &body);
    if o == Allowed {
        assert_eq!(body["role"], "observer");
        let (s, b) = call(
            &w.server,
            "DELETE",
            &format!("/api/groups/{GROUP}/members/{email}"),
            w.admin.token.as_deref(),
            None,
        )
        .await;
        assert_eq!(s, 204, "{b}");
    }
    o
}

async fn op_audit(w: &World, p: &Person) -> Outcome {
    let (status, body) = call(
        &w.server,
        "GET",
        &format!("/api/documents/{}/audit", w.doc.to_url()),
        p.token.as_deref(),
        None,
    )
    .await;
    http_outcome(status, &body)
}

async fn review_call(
    w: &World,
    p: &Person,
    method: &str,
    what: &str,
    body: Option<Json>,
) -> (u16, Json) {
    call(
        &w.server,
        method,
        &format!("/api/documents/{}/{what}", w.doc.to_url()),
        p.token.as_deref(),
        body,
    )
    .await
}

async fn op_history(w: &World, p: &Person) -> Outcome {
    let (status, body) = review_call(w, p, "GET", "history", None).await;
    http_outcome(status, &body)
}

async fn op_name_version(w: &World, p: &Person) -> Outcome {
    let (status, body) = review_call(w, p, "POST", "versions", Some(json!({"name": "v"}))).await;
    http_outcome(status, &body)
}

/// Approving a draft: those who may approve at all are told the card is
/// not in review (409); the others are refused before that.
async fn op_approve(w: &World, p: &Person) -> Outcome {
    let (status, body) = review_call(w, p, "POST", "approve", Some(json!({"heads": []}))).await;
    if status == 409 {
        assert_eq!(body["error"], "not_in_review", "{body}");
        return Allowed;
    }
    http_outcome(status, &body)
}

async fn op_restore(w: &World, p: &Person) -> Outcome {
    let (status, body) = review_call(
        w,
        p,
        "POST",
        "restore",
        Some(json!({"at": "now", "scope": "card"})),
    )
    .await;
    http_outcome(status, &body)
}

/// A comment on a whole field: every reader, observers included.
async fn op_comment(w: &World, p: &Person) -> Outcome {
    let body = json!({"anchor": {"kind": "field", "field": "lead"}, "body": "Pourquoi ?"});
    let (status, body) = review_call(w, p, "POST", "comments", Some(body)).await;
    http_outcome(status, &body)
}

/// A suggested rewording: those who write the card.
async fn op_suggest(w: &World, p: &Person) -> Outcome {
    let body = json!({"anchor": {"kind": "text", "field": "lead", "start": 0, "end": 9}, "replacement": "Ministry"});
    let (status, body) = review_call(w, p, "POST", "comments", Some(body)).await;
    http_outcome(status, &body)
}

/// The group's webhooks: its co-coordinators.
async fn op_webhooks(w: &World, p: &Person) -> Outcome {
    let (status, body) = call(
        &w.server,
        "GET",
        &format!("/api/groups/{GROUP}/webhooks"),
        p.token.as_deref(),
        None,
    )
    .await;
    http_outcome(status, &body)
}

/// Scheduling a meeting of the group: its organisers.
async fn op_schedule(w: &World, p: &Person) -> Outcome {
    let plan = json!({"title": {"fr": "Réunion"}, "date": "2030-01-10", "time": "10:00"});
    let (status, body) = call(
        &w.server,
        "POST",
        &format!("/api/bodies/{GROUP}/meetings"),
        p.token.as_deref(),
        Some(plan),
    )
    .await;
    http_outcome(status, &body)
}

/// Opening a meeting of the group: the body's members.
async fn op_open_meeting(w: &World, p: &Person, meeting: &str) -> Outcome {
    let path = format!("/api/meetings/{}", meeting.replace(':', "%3A"));
    let (status, body) = call(&w.server, "GET", &path, p.token.as_deref(), None).await;
    http_outcome(status, &body)
}

/// Recording a decision in the minutes: those who write in the body.
async fn op_decision(w: &World, p: &Person, meeting: &str) -> Outcome {
    let path = format!("/api/meetings/{}/decisions", meeting.replace(':', "%3A"));
    let body = json!({"text": "Adopter", "kind": "adopt"});
    let (status, body) = call(&w.server, "POST", &path, p.token.as_deref(), Some(body)).await;
    http_outcome(status, &body)
}

#[tokio::test]
async fn authorization_matrix() {
    matrix(world().await).await;
}

#[tokio::test]
async fn authorization_matrix_with_accounts_and_documents_in_redis() {
    matrix(world_on(true).await).await;
}

async fn matrix(w: World) {
    // Someone writes first, so the audit log has an entry.
    let mut author = TestClient::connect(&ws_url(&w.server, &w.member), "author")
        .await
        .unwrap();
    author.open(w.doc).await.unwrap();
    author
        .edit(w.doc, title_edit("Ministère de la Justice"))
        .await
        .unwrap();
    author.wait_saved(w.doc).await.unwrap();
    let (status, meeting) = call(
        &w.server,
        "POST",
        &format!("/api/bodies/{GROUP}/meetings"),
        w.coord.token.as_deref(),
        Some(json!({"title": {"fr": "Réunion"}, "date": "2030-01-09", "time": "10:00"})),
    )
    .await;
    assert_eq!(status, 201, "{meeting}");
    let meeting = meeting["id"].as_str().unwrap().to_owned();

    type Row = [Outcome; 19];
    // Columns: connect, read, write (sync), write (request), other message
    // types, create, presence, manage members, read audit, read history,
    // name a version, approve, restore, comment, suggest, webhooks,
    // schedule a meeting, open a meeting, record a decision.
    let expected: [(&str, &Person, Row); 7] = [
        (
            "site admin",
            &w.admin,
            [
                Allowed, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed,
                Allowed, Allowed, Denied, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed,
                Allowed,
            ],
        ),
        ("co-coordinator", &w.coord, [Allowed; 19]),
        (
            "member",
            &w.member,
            [
                Allowed, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed, Denied, Denied,
                Allowed, Denied, Denied, Allowed, Allowed, Allowed, Denied, Denied, Allowed,
                Allowed,
            ],
        ),
        (
            "observer",
            &w.observer,
            [
                Allowed, Allowed, Denied, Denied, Allowed, Denied, Allowed, Denied, Denied,
                Allowed, Denied, Denied, Denied, Allowed, Denied, Denied, Denied, Allowed, Denied,
            ],
        ),
        (
            "other group's member",
            &w.outsider,
            [
                Allowed, Hidden, Hidden, Hidden, Hidden, Denied, Hidden, Denied, Hidden, Hidden,
                Hidden, Hidden, Hidden, Hidden, Hidden, Denied, Denied, Hidden, Hidden,
            ],
        ),
        ("signed out", &w.signed_out, [Unauthenticated; 19]),
        ("revoked", &w.revoked, [Unauthenticated; 19]),
    ];
    let mut failures = Vec::new();
    for (who, p, want) in expected {
        let got = [
            op_connect(&w, p).await,
            op_read(&w, p).await,
            op_write(&w, p).await,
            op_write_request(&w, p).await,
            op_other_types(&w, p).await,
            op_create(&w, p).await,
            op_presence(&w, p).await,
            op_manage(&w, p).await,
            op_audit(&w, p).await,
            op_history(&w, p).await,
            op_name_version(&w, p).await,
            op_approve(&w, p).await,
            op_restore(&w, p).await,
            op_comment(&w, p).await,
            op_suggest(&w, p).await,
            op_webhooks(&w, p).await,
            op_schedule(&w, p).await,
            op_open_meeting(&w, p, &meeting).await,
            op_decision(&w, p, &meeting).await,
        ];
        for (i, op) in [
            "connect",
            "read",
            "write (sync)",
            "write (request)",
            "other message types",
            "create",
            "presence",
            "manage members",
            "read audit",
            "read history",
            "name a version",
            "approve",
            "restore",
            "comment",
            "suggest",
            "webhooks",
            "schedule a meeting",
            "open a meeting",
            "record a decision",
        ]
        .iter()
        .enumerate()
        {
            if got[i] != want[i] {
                failures.push(format!(
                    "{who} / {op}: expected {:?}, got {:?}",
                    want[i], got[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The audit log names who delivered each change.
    let (status, log) = call(
        &w.server,
        "GET",
        &format!("/api/documents/{}/audit", w.doc.to_url()),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let entries = log.as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["user"] == w.member.user.as_ref().unwrap().id.as_str()
                && e["user_name"] == "member"),
        "{log}"
    );
    assert!(
        !entries
            .iter()
            .any(|e| e["user"] == w.observer.user.as_ref().unwrap().id.as_str()),
        "no observer change accepted: {log}"
    );
    // Changes sent as `request` are audited as the sender's too.
    for who in [&w.member, &w.coord, &w.admin] {
        let id = who.user.as_ref().unwrap().id.as_str();
        assert!(
            entries.iter().filter(|e| e["user"] == id).count() >= 1,
            "no audit row for {id}: {log}"
        );
    }
    let hash = entries[0]["change"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
}

#[tokio::test]
async fn revocation_and_removal_close_live_sockets_within_a_second() {
    let w = world().await;
    // A token revoked.
    let mut c = TestClient::connect(&ws_url(&w.server, &w.member), "live-1")
        .await
        .unwrap();
    c.open(w.doc).await.unwrap();
    let (status, tokens) = call(
        &w.server,
        "GET",
        "/api/tokens",
        w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let id = tokens[0]["id"].as_str().unwrap().to_owned();
    let started = Instant::now();
    let (status, _) = call(
        &w.server,
        "DELETE",
        &format!("/api/tokens/{id}"),
        w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let errors = c.wait_closed().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "closed after {:?}",
        started.elapsed()
    );
    assert!(errors.iter().any(|e| e.contains("revoked")), "{errors:?}");
    assert_eq!(op_connect(&w, &w.member).await, Unauthenticated);

    // A member removed from the group.
    let mut c = TestClient::connect(&ws_url(&w.server, &w.observer), "live-2")
        .await
        .unwrap();
    c.open(w.doc).await.unwrap();
    let started = Instant::now();
    let (status, body) = call(
        &w.server,
        "DELETE",
        &format!("/api/groups/{GROUP}/members/observer@x.org"),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    c.wait_closed().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "closed after {:?}",
        started.elapsed()
    );
    assert_eq!(
        op_read(&w, &w.observer).await,
        Hidden,
        "after removal the document is not disclosed"
    );
}

#[tokio::test]
async fn sessions_sign_in_out_expire_and_are_rate_limited() {
    let w = world().await;
    let sign_in = |password: &'static str| {
        let url = w.server.http("/api/session");
        async move {
            request(
                "POST",
                &url,
                &[],
                Some(&json!({"email": "member@x.org", "password": password})),
            )
            .await
        }
    };
    let (status, headers, body) = sign_in("correct horse battery").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let cookie_line = headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap()
        .to_owned();
    assert!(
        cookie_line.contains("HttpOnly") && cookie_line.contains("SameSite=Lax"),
        "{cookie_line}"
    );
    assert!(
        !cookie_line.contains("Secure"),
        "not Secure without --secure-cookies"
    );
    let cookie = cookie_line
        .split_once(':')
        .unwrap()
        .1
        .trim()
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    // The cookie opens the socket (same origin) and is refused from another origin.
    let ws = |origin: &'static str| {
        let mut req =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                w.server.url(),
            )
            .unwrap();
        req.headers_mut().insert("Cookie", cookie.parse().unwrap());
        req.headers_mut().insert("Origin", origin.parse().unwrap());
        req
    };
    let host = w.server.http("").trim_end_matches('/').to_owned();
    let own: &'static str = Box::leak(host.into_boxed_str());
    assert!(tokio_tungstenite::connect_async(ws(own)).await.is_ok());
    let err = tokio_tungstenite::connect_async(ws("https://evil.example"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");

    // Signing out revokes the session.
    let (status, _, _) = request(
        "DELETE",
        &w.server.http("/api/session"),
        &[("Cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _, _) = request(
        "GET",
        &w.server.http("/api/me"),
        &[("Cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(status, 401);

    // An expired session cannot connect.
    let acc = w.server.accounts();
    let token = codraft_server::accounts::new_secret("cds");
    acc.create_session(
        &w.member.user.as_ref().unwrap().id,
        &codraft_server::accounts::hash_secret(&token),
        1,
    )
    .await
    .unwrap();
    let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        w.server.url(),
    )
    .unwrap();
    req.headers_mut().insert(
        "Cookie",
        format!("codraft_session={token}").parse().unwrap(),
    );
    let err = tokio_tungstenite::connect_async(req).await.unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");

    // Five wrong passwords, then even the right one waits.
    for _ in 0..5 {
        assert_eq!(sign_in("wrong password!!").await.0, 401);
    }
    let (status, _, body) = sign_in("correct horse battery").await;
    assert_eq!(status, 429, "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn co_coordinators_are_one_administration_and_one_civil_society() {
    let w = world().await;
    let admin = w.admin.token.as_deref();
    // A second administration co-coordinator is refused.
    person(
        &w.server,
        "admin2@x.org",
        Sector::Administration,
        false,
        None,
    )
    .await;
    let (status, body) = call(
        &w.server,
        "PUT",
        &format!("/api/groups/{GROUP}/members/admin2@x.org"),
        admin,
        Some(json!({"role": "co_coordinator"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("already has a co-coordinator from administration"),
        "{body}"
    );
    // An academic cannot co-coordinate.
    let (status, body) = call(
        &w.server,
        "PUT",
        &format!("/api/groups/{GROUP}/members/member@x.org"),
        admin,
        Some(json!({"role": "co_coordinator"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "conflict");
    // Civil society may.
    let (status, body) = call(
        &w.server,
        "PUT",
        &format!("/api/groups/{GROUP}/members/outsider@x.org"),
        admin,
        Some(json!({"role": "co_coordinator"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // A co-coordinator cannot step the other down; an administrator can.
    let (status, body) = call(
        &w.server,
        "PUT",
        &format!("/api/groups/{GROUP}/members/outsider@x.org"),
        w.coord.token.as_deref(),
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = call(
        &w.server,
        "PUT",
        &format!("/api/groups/{GROUP}/members/outsider@x.org"),
        admin,
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!(status, 200);
    // Errors are JSON with a code and a message.
    let (status, body) = call(
        &w.server,
        "PUT",
        "/api/groups/nope/members/member@x.org",
        admin,
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn an_invitation_is_single_use_and_makes_a_member() {
    let w = world().await;
    let (status, inv) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/invitations"),
        w.coord.token.as_deref(),
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!(status, 201, "{inv}");
    let token = inv["token"].as_str().unwrap().to_owned();
    assert_eq!(inv["path"], format!("/#/invite/{token}"));
    let (status, _) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/invitations"),
        w.member.token.as_deref(),
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!(status, 403, "members do not invite");
    let (status, shown) = call(
        &w.server,
        "GET",
        &format!("/api/invitations/{token}"),
        None,
        None,
    )
    .await;
    assert_eq!((status, shown["group"].as_str()), (200, Some(GROUP)));
    let accept = json!({"name": "Nadia", "email": "nadia@x.org", "organisation": "Association", "sector": "civil_society", "password": "a long enough password"});
    let (status, _, body) = request(
        "POST",
        &w.server.http(&format!("/api/invitations/{token}/accept")),
        &[],
        Some(&accept),
    )
    .await;
    let me: Json = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["groups"][0]["role"], "member");
    let (status, body) = call(
        &w.server,
        "POST",
        &format!("/api/invitations/{token}/accept"),
        None,
        Some(accept),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("invitation_gone")),
        "single use: {body}"
    );
    // Shown again: said the same way (worded by the client).
    let (status, body) = call(
        &w.server,
        "GET",
        &format!("/api/invitations/{token}"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("invitation_gone"))
    );
}

#[tokio::test]
async fn the_api_is_described_by_openapi() {
    let w = world().await;
    let (status, doc) = call(&w.server, "GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with('3'));
    for path in [
        "/api/session",
        "/api/groups/{group}/members/{user}",
        "/api/documents/{doc}/audit",
        "/api/invitations/{token}/accept",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}

/// A fresh session id: the server drops a (sender, session, count) it saw.
pub(crate) fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

pub(crate) fn cli(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(codraft_tests::codraft_bin())
        .arg("admin")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("CODRAFT_PASSWORD", "bootstrap password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "codraft admin {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn a_deployment_is_bootstrapped_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let created = cli(
        dir.path(),
        &["create-admin", "--email", "root@x.org", "--name", "Root"],
    );
    assert!(created.contains("site administrator"), "{created}");
    cli(
        dir.path(),
        &[
            "create-user",
            "--email",
            "coord@x.org",
            "--name",
            "Coord",
            "--sector",
            "civil_society",
        ],
    );
    cli(
        dir.path(),
        &[
            "add-member",
            "--group",
            GROUP,
            "--email",
            "coord@x.org",
            "--role",
            "co_coordinator",
        ],
    );
    let token = cli(dir.path(), &["mint-token", "--email", "coord@x.org"])
        .trim()
        .to_owned();
    assert!(token.starts_with("cdt_"), "{token}");
    let users = cli(dir.path(), &["users"]);
    assert!(
        users.contains("root@x.org") && users.contains("admin"),
        "{users}"
    );

    // The server on that directory knows them.
    let mut config = Config::for_tests(dir.path().to_owned());
    config.open_access = false;
    let server = TestServer::start_with(config).await.unwrap();
    let (status, me) = call(&server, "GET", "/api/me", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(me["groups"][0]["role"], "co_coordinator");
    let (status, _, body) = request(
        "POST",
        &server.http("/api/session"),
        &[],
        Some(&json!({"email": "root@x.org", "password": "bootstrap password"})),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let c = TestClient::connect(&format!("{}?token={token}", server.url()), "cli-user").await;
    assert!(c.is_ok());
}

#[tokio::test]
async fn a_forged_presence_identity_is_overwritten_by_the_servers() {
    use codraft_protocol::presence::{MARKER, encode_value};
    let w = world().await;
    let mut forger = TestClient::connect(&ws_url(&w.server, &w.member), "forger")
        .await
        .unwrap();
    forger.open(w.doc).await.unwrap();
    let mut watcher = TestClient::connect(&ws_url(&w.server, &w.coord), "watcher-2")
        .await
        .unwrap();
    watcher.open(w.doc).await.unwrap();
    let forged = Value::Map(vec![
        (
            MARKER.into(),
            Value::Map(vec![
                ("type".into(), Value::Text("update".into())),
                ("channel".into(), Value::Text("user".into())),
                ("value".into(), Value::Text("coord".into())),
            ]),
        ),
        (
            "__user".into(),
            Value::Map(vec![
                (
                    "id".into(),
                    Value::Text(w.coord.user.as_ref().unwrap().id.clone()),
                ),
                ("name".into(), Value::Text("coord".into())),
                ("role".into(), Value::Text("co_coordinator".into())),
            ]),
        ),
    ]);
    let sender = forger.peer.clone();
    forger
        .send(&Message::Ephemeral(EphemeralMessage {
            sender_id: sender,
            target_id: "server".into(),
            document_id: w.doc,
            session_id: uuid_like().as_str().into(),
            count: 1,
            data: encode_value(&forged),
        }))
        .await
        .unwrap();
    watcher
        .pump_until(|x| !x.ephemeral.is_empty())
        .await
        .unwrap();
    let got = decode_value(&watcher.ephemeral[0].data).unwrap();
    let user = got.get("__user").unwrap();
    assert_eq!(
        user.get("id").and_then(Value::as_str),
        Some(w.member.user.as_ref().unwrap().id.as_str())
    );
    assert_eq!(user.get("name").and_then(Value::as_str), Some("member"));
    assert_eq!(user.get("role").and_then(Value::as_str), Some("member"));
    let stamps = match &got {
        Value::Map(e) => e.iter().filter(|(k, _)| k == "__user").count(),
        _ => 0,
    };
    assert_eq!(stamps, 1, "exactly one identity: the server's");
}

#[tokio::test]
async fn with_redis_a_change_on_one_instance_reaches_sockets_on_the_other() {
    let w = world_on(true).await;
    let other = w.other.as_ref().unwrap();
    let ws = |p: &Person| format!("{}?token={}", other.url(), p.token.as_ref().unwrap());
    // A document the API created through instance 1 is known to instance 2.
    for _ in 0..100 {
        if other.accounts().group_of(&w.doc).is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        other.accounts().group_of(&w.doc).as_deref(),
        Some(GROUP),
        "instance 2 knows the document's group"
    );
    let member_id = w.member.user.as_ref().unwrap().id.clone();
    for _ in 0..100 {
        if other.accounts().role(GROUP, &member_id).is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        other.accounts().role(GROUP, &member_id),
        Some(Role::Member),
        "instance 2 knows the member's role"
    );
    let mut m = TestClient::connect(&ws(&w.member), "m-on-2").await.unwrap();
    m.open(w.doc).await.unwrap();
    // Revoking the member's token through instance 1 closes the socket on 2.
    let (_, tokens) = call(
        &w.server,
        "GET",
        "/api/tokens",
        w.member.token.as_deref(),
        None,
    )
    .await;
    let id = tokens[0]["id"].as_str().unwrap().to_owned();
    let started = Instant::now();
    let (status, _) = call(
        &w.server,
        "DELETE",
        &format!("/api/tokens/{id}"),
        w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, 204);
    m.wait_closed().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "closed after {:?}",
        started.elapsed()
    );
    // Removing the observer through instance 1: instance 2 no longer discloses the document.
    let mut o = TestClient::connect(&ws(&w.observer), "o-on-2")
        .await
        .unwrap();
    o.open(w.doc).await.unwrap();
    let (status, _) = call(
        &w.server,
        "DELETE",
        &format!("/api/groups/{GROUP}/members/observer@x.org"),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(status, 204);
    o.wait_closed().await.unwrap();
    let mut o = TestClient::connect(&ws(&w.observer), "o-on-2-again")
        .await
        .unwrap();
    assert!(o.open(w.doc).await.is_err());
    assert!(o.unavailable.contains(&w.doc));
}

#[tokio::test]
async fn malformed_requests_get_json_errors_and_change_nothing() {
    let w = world().await;
    let url = w
        .server
        .http(&format!("/api/groups/{GROUP}/members/member@x.org"));
    let auth = format!("Bearer {}", w.coord.token.as_ref().unwrap());
    // Not JSON at all.
    let (status, _, body) = {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_once('/').unwrap();
        let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
        let junk = "{role: co_coordinator";
        s.write_all(format!("PUT /{path} HTTP/1.0\r\nHost: {host}\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{junk}", junk.len()).as_bytes()).await.unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        let split = buf.windows(4).position(|x| x == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&buf[..split]).into_owned();
        (
            head[9..12].parse::<u16>().unwrap(),
            head,
            buf[split + 4..].to_vec(),
        )
    };
    let err: Json = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("bad_request")),
        "{err}"
    );
    // Well-formed JSON with an unknown role.
    let (status, err) = call(
        &w.server,
        "PUT",
        &format!("/api/groups/{GROUP}/members/member@x.org"),
        w.coord.token.as_deref(),
        Some(json!({"role": "king"})),
    )
    .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("bad_request")),
        "{err}"
    );
    // A document body that is not JSON.
    let (status, err) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/documents"),
        w.coord.token.as_deref(),
        Some(json!("not an object")),
    )
    .await;
    assert_eq!(status, 400, "{err}");
    // Nothing changed: the member is still a member.
    let (_, members) = call(
        &w.server,
        "GET",
        &format!("/api/groups/{GROUP}/members"),
        w.coord.token.as_deref(),
        None,
    )
    .await;
    let m = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["email"] == "member@x.org")
        .unwrap();
    assert_eq!(m["role"], "member");
    // An unknown document id in a path.
    let (status, err) = call(
        &w.server,
        "GET",
        "/api/documents/not-a-document/audit",
        w.coord.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("bad_request")),
        "{err}"
    );
}

#[tokio::test]
async fn with_redis_what_happened_while_unsubscribed_is_applied_on_resubscribing() {
    let w = world_on(true).await;
    let other = w.other.as_ref().unwrap();
    let redis = w.redis.as_ref().unwrap();
    let ws = |p: &Person| format!("{}?token={}", other.url(), p.token.as_ref().unwrap());
    let member_id = w.member.user.as_ref().unwrap().id.clone();
    let observer_id = w.observer.user.as_ref().unwrap().id.clone();
    for _ in 0..100 {
        if other.accounts().group_of(&w.doc).is_some()
            && other.accounts().role(GROUP, &observer_id).is_some()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut m = TestClient::connect(&ws(&w.member), "m-on-2").await.unwrap();
    m.open(w.doc).await.unwrap();
    let mut o = TestClient::connect(&ws(&w.observer), "o-on-2")
        .await
        .unwrap();
    o.open(w.doc).await.unwrap();
    // Changes no event announces (as if instance 2 had been unsubscribed
    // when they were made): the member's token revoked, the observer
    // removed from the group.
    // (A revocation writes both of the token's records, as `revoke_token` does.)
    let hash = codraft_server::accounts::hash_secret(w.member.token.as_ref().unwrap());
    let token_id = redis
        .cli(&["HGET", &format!("codraft:{{dir}}:token:{hash}"), "id"])
        .unwrap();
    assert!(!token_id.is_empty(), "the member's token is in Redis");
    for key in [format!("token:{hash}"), format!("token-id:{token_id}")] {
        redis
            .cli(&["HSET", &format!("codraft:{{dir}}:{key}"), "revoked", "1"])
            .unwrap();
    }
    redis
        .cli(&[
            "HDEL",
            &format!("codraft:{{dir}}:members:{GROUP}"),
            &observer_id,
        ])
        .unwrap();
    assert_eq!(
        other.accounts().role(GROUP, &observer_id),
        Some(Role::Observer),
        "instance 2 has not heard"
    );
    // Instance 2 loses its subscription; on subscribing again it re-reads
    // the directory and closes what the missed events would have closed.
    let started = Instant::now();
    let killed = redis.cli(&["CLIENT", "KILL", "TYPE", "pubsub"]).unwrap();
    assert_ne!(killed, "0", "subscriptions were killed");
    m.wait_closed().await.unwrap();
    o.wait_closed().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "closed after {:?}",
        started.elapsed()
    );
    assert_eq!(other.accounts().role(GROUP, &observer_id), None);
    assert_eq!(
        other.accounts().role(GROUP, &member_id),
        Some(Role::Member),
        "the member's role is untouched; only the token went"
    );
    // And the revoked token no longer opens a socket there.
    assert!(
        TestClient::connect(&ws(&w.member), "m-again")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn with_redis_failed_sign_ins_count_across_instances() {
    let w = world_on(true).await;
    let other = w.other.as_ref().unwrap();
    let attempt = |server: &TestServer, password: &'static str| {
        let url = server.http("/api/session");
        async move {
            request(
                "POST",
                &url,
                &[],
                Some(&json!({"email": "member@x.org", "password": password})),
            )
            .await
            .0
        }
    };
    // Three wrong passwords on one instance, two on the other…
    for _ in 0..3 {
        assert_eq!(attempt(&w.server, "wrong password!!").await, 401);
    }
    for _ in 0..2 {
        assert_eq!(attempt(other, "wrong password!!").await, 401);
    }
    // …and the account waits on both, even with the right one.
    assert_eq!(attempt(&w.server, "correct horse battery").await, 429);
    assert_eq!(attempt(other, "correct horse battery").await, 429);
    // Another account is not affected.
    let (status, _, _) = request(
        "POST",
        &other.http("/api/session"),
        &[],
        Some(&json!({"email": "coord@x.org", "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(status, 200);
}

/// The audit row of an accepted change is written by a tracked task: a
/// shutdown right after the change waits for it.
#[tokio::test]
async fn the_audit_row_of_a_change_survives_an_immediate_shutdown() {
    let w = world().await;
    let mut m = TestClient::connect(&ws_url(&w.server, &w.member), "last-word")
        .await
        .unwrap();
    m.open(w.doc).await.unwrap();
    m.edit(w.doc, title_edit("dernier mot ")).await.unwrap();
    m.wait_saved(w.doc).await.unwrap();
    let hash = m.doc(w.doc).get_heads()[0].to_string();
    let World { server, _dir, .. } = w;
    let data_dir = server.data_dir.clone();
    server.stop().await.unwrap();
    let dir = codraft_server::directory::SqliteDirectory::open(&data_dir).unwrap();
    use codraft_server::directory::Records;
    let mut found = false;
    for d in dir.documents().await.unwrap() {
        found |= dir
            .audit(d.id)
            .await
            .unwrap()
            .iter()
            .any(|e| e.change == hash);
    }
    assert!(
        found,
        "the audit row of the last change was lost at shutdown"
    );
}
