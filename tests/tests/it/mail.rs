//! E-mail through a real SMTP server process (aiosmtpd) started by the
//! test: an invitation and a mention arrive as real messages with the right
//! recipient, subject and link, in the recipient's language; what each
//! person turned off or put in a digest does not go at once; an SMTP
//! server that is down keeps nothing from the inbox and the message goes
//! once it is back.

use std::time::Duration;

use codraft_tests::smtp::SmtpServer;
use serde_json::json;

use crate::access::{GROUP, Person, World, call, world_with};

async fn card(w: &World) -> codraft_protocol::DocumentId {
    let store = w.server.store.clone().unwrap();
    crate::access::demo_card(w, &store, |j| {
        j["summary"]["fr"]["text"] = json!("Publier les données des marchés publics");
    })
    .await
}

async fn comment(w: &World, card: codraft_protocol::DocumentId, by: &Person, body: &str) {
    let (s, b) = call(
        &w.server,
        "POST",
        &format!("/api/documents/{}/comments", card.to_url()),
        by.token.as_deref(),
        Some(json!({"anchor": {"kind": "text", "field": "summary/fr", "start": 0, "end": 7}, "body": body})),
    )
    .await;
    assert_eq!(s, 201, "{b}");
}

async fn set_prefs(w: &World, p: &Person, prefs: serde_json::Value) {
    let (s, b) = call(
        &w.server,
        "PUT",
        "/api/me/notifications",
        p.token.as_deref(),
        Some(prefs),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["email_configured"], true);
}

#[tokio::test]
async fn an_invitation_and_a_mention_arrive_in_the_recipients_language() {
    let smtp = SmtpServer::start().unwrap();
    let url = smtp.url();
    let w = world_with(false, move |c| c.smtp_url = Some(url)).await;
    let origin = w.server.http("");
    let origin = origin.trim_end_matches('/');
    // An invitation in French, the inviter's choice.
    let (s, inv) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/invitations"),
        w.coord.token.as_deref(),
        Some(json!({"role": "member", "email": "nouvelle@x.org", "lang": "fr"})),
    )
    .await;
    assert_eq!((s, inv["emailed"].as_bool()), (201, Some(true)), "{inv}");
    let got = smtp.wait_for(1, Duration::from_secs(15)).await.unwrap();
    assert_eq!(got[0].to, ["nouvelle@x.org"]);
    assert!(
        got[0]
            .subject
            .starts_with("Invitation à rejoindre le groupe"),
        "{}",
        got[0].subject
    );
    let link = format!("{origin}/#/invite/{}", inv["token"].as_str().unwrap());
    assert!(got[0].body.contains(&link), "{link} in {}", got[0].body);
    assert!(
        got[0].body.contains("coord"),
        "the inviter is named: {}",
        got[0].body
    );
    // A mention, in the language the member chose (Amazigh).
    set_prefs(&w, &w.member, json!({"lang": "zgh"})).await;
    let doc = card(&w).await;
    comment(&w, doc, &w.observer, "@member ⵎⴰ ⵜⵏⵏⵉⴷ?").await;
    let got = smtp.wait_for(2, Duration::from_secs(15)).await.unwrap();
    let m = &got[1];
    assert_eq!(m.to, [w.member.user.as_ref().unwrap().email.clone()]);
    assert!(
        m.subject.contains("observer") && m.subject.contains("ⵉⵏⵏⴰ ⵉⵙⵎ ⵏⵏⴽ"),
        "{}",
        m.subject
    );
    let card_link = format!("{origin}/#/card/{}", doc.to_url().replace(':', "%3A"));
    assert!(m.body.contains(&card_link), "{card_link} in {}", m.body);
    assert!(
        m.body.contains("ⵎⴰ ⵜⵏⵏⵉⴷ"),
        "the comment's words: {}",
        m.body
    );
    // Arabic when nothing was chosen.
    let (_, _) = call(
        &w.server,
        "POST",
        &format!("/api/groups/{GROUP}/invitations"),
        w.coord.token.as_deref(),
        Some(json!({"role": "observer", "email": "jadida@x.org"})),
    )
    .await;
    let got = smtp.wait_for(3, Duration::from_secs(15)).await.unwrap();
    assert!(
        got[2].subject.starts_with("دعوة للانضمام"),
        "{}",
        got[2].subject
    );
}

#[tokio::test]
async fn what_a_person_turned_off_or_put_in_a_digest_does_not_go_at_once() {
    let smtp = SmtpServer::start().unwrap();
    let url = smtp.url();
    let w = world_with(false, move |c| c.smtp_url = Some(url)).await;
    let doc = card(&w).await;
    set_prefs(&w, &w.member, json!({"email": {"mentioned": "off"}})).await;
    set_prefs(&w, &w.coord, json!({"email": {"mentioned": "digest"}})).await;
    comment(&w, doc, &w.observer, "@member @coord avis ?").await;
    // Both are in the inboxes; the coordinator's waits for the digest.
    for p in [&w.member, &w.coord] {
        let (_, inbox) = call(&w.server, "GET", "/api/inbox", p.token.as_deref(), None).await;
        assert_eq!(inbox["unread"], 1, "{inbox}");
    }
    let dir = w.server.accounts().directory().clone();
    assert_eq!(
        dir.out_waiting("mail").await.unwrap(),
        1,
        "only the digest part waits"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(smtp.received().unwrap().is_empty(), "nothing went at once");
    // Bad choices are refused.
    for bad in [
        json!({"lang": "en"}),
        json!({"email": {"shouted": "off"}}),
        json!({"email": {"mentioned": "hourly"}}),
    ] {
        let (s, _) = call(
            &w.server,
            "PUT",
            "/api/me/notifications",
            w.member.token.as_deref(),
            Some(bad.clone()),
        )
        .await;
        assert_eq!(s, 400, "{bad}");
    }
}

#[tokio::test]
async fn an_smtp_server_that_is_down_delays_the_mail_and_loses_nothing() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("smtp://127.0.0.1:{port}?tls=none");
    let w = world_with(false, move |c| c.smtp_url = Some(url)).await;
    let doc = card(&w).await;
    let started = std::time::Instant::now();
    comment(&w, doc, &w.observer, "@member urgent").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the comment does not wait on SMTP"
    );
    let (_, inbox) = call(
        &w.server,
        "GET",
        "/api/inbox",
        w.member.token.as_deref(),
        None,
    )
    .await;
    assert_eq!(inbox["entries"][0]["kind"], "mentioned");
    // Tried and failed meanwhile; still waiting.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let dir = w.server.accounts().directory().clone();
    assert_eq!(dir.out_waiting("mail").await.unwrap(), 1);
    let smtp = SmtpServer::start_on(port).unwrap();
    let got = smtp.wait_for(1, Duration::from_secs(20)).await.unwrap();
    assert!(got[0].body.contains("urgent"), "{:?}", got[0]);
    for _ in 0..100 {
        if dir.out_waiting("mail").await.unwrap() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(dir.out_waiting("mail").await.unwrap(), 0, "sent, forgotten");
}
