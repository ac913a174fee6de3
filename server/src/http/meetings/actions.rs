//! The actions that change a meeting: each checks the rules against the
//! log as it is, then appends its event (again if someone appended in
//! between), and answers the meeting as it now is.

use codraft_schema::meetings::{ActionStatus, DecisionKind};

use super::*;
use crate::http::extract::Writer;
use crate::inbox::{Note, NoteKind};
use crate::meetings::Owner;

/// Tells `users` (their inbox, and e-mail as they chose) of a meeting.
async fn tell(
    acc: &Accounts,
    by: &Credential,
    info: &DocInfo,
    kind: NoteKind,
    excerpt: &str,
    users: impl IntoIterator<Item = String>,
) {
    let mut note = Note::new(kind, by).excerpt(excerpt);
    note.doc = Some(info.id.to_url());
    note.group = Some(info.group.clone());
    acc.tell(users, &note).await;
}

/// Runs one action on a meeting: the caller's context, `f` deciding on the
/// log as it is (appended again if someone appended meanwhile), the
/// meeting as it now is.
async fn act(
    hub: &Arc<Hub>,
    acc: &Accounts,
    who: Credential,
    meeting: &str,
    mut f: impl FnMut(&MeetingState, &Ctx) -> ApiResult<Option<MeetingEvent>>,
) -> ApiResult<Json<MeetingView>> {
    let c = ctx(acc, who, meeting).await?;
    let s = decide(acc, c.info.id, |s| f(s, &c)).await?;
    answer(hub, &c, &s).await
}

async fn answer(hub: &Arc<Hub>, c: &Ctx, s: &MeetingState) -> ApiResult<Json<MeetingView>> {
    let h = heads(hub, c.info.id).await?;
    Ok(Json(view(&c.info, s, &c.who, h)))
}

/// Schedules a meeting of the body (its organisers): creates its minutes
/// document (a text per agenda item) and records the plan.
#[utoipa::path(post, path = "/api/bodies/{body}/meetings", request_body = PlanBody,
    responses((status = 201, body = MeetingView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn schedule(
    State(api): State<Arc<Api>>,
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(body): Path<String>,
    Body(b): Body<PlanBody>,
) -> ApiResult<(axum::http::StatusCode, Json<MeetingView>)> {
    let w = who_in(&acc, &who, &body);
    if !acc.groups().await?.contains(&body) {
        return Err(ApiError::not_found("no such body"));
    }
    rules::check_organiser(&w)?;
    let mut plan = plan_of(&acc, &body, b).await?;
    check_links(&acc, &who, &mut plan).await?;
    let now = crate::clock::now_ms();
    let info = crate::cards::create_document(
        api.store.as_ref(),
        &acc,
        &body,
        &who.user.id,
        &crate::meetings::minutes::initial(&plan),
        crate::meetings::minutes::KIND,
        now,
    )
    .await
    .map_err(|e| ApiError::new(ErrorCode::Storage, e.to_string()))?;
    let event = MeetingEvent::Scheduled {
        body: body.clone(),
        plan,
        stamp: stamp(&who, Vec::new()),
    };
    let s = decide(&acc, info.id, |_| Ok(Some(event.clone()))).await?;
    let invited: Vec<String> = s
        .plan
        .invitees
        .iter()
        .filter_map(|i| i.user.clone())
        .collect();
    let title = crate::meetings::minutes::best_title(&s.plan.title);
    tell(
        &acc,
        &who,
        &info,
        NoteKind::MeetingInvited,
        &format!("{title} — {} {}", s.plan.date, s.plan.time),
        invited,
    )
    .await;
    let c = Ctx {
        info,
        who: w,
        cred: who,
    };
    Ok((axum::http::StatusCode::CREATED, answer(&hub, &c, &s).await?))
}

/// Changes the plan until the meeting starts (organisers). A new agenda
/// item gets its text in the minutes document.
#[utoipa::path(post, path = "/api/meetings/{meeting}/plan", request_body = PlanBody,
    responses((status = 200, body = MeetingView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn replan(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
    Body(b): Body<PlanBody>,
) -> ApiResult<Json<MeetingView>> {
    let c = ctx(&acc, who, &meeting).await?;
    let mut plan = plan_of(&acc, &c.info.group, b).await?;
    check_links(&acc, &c.cred, &mut plan).await?;
    let s = decide(&acc, c.info.id, |s| {
        rules::check_replan(s, &c.who)?;
        Ok(Some(MeetingEvent::Replanned {
            plan: plan.clone(),
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await?;
    let p = plan.clone();
    crate::hub::actor::edit(&hub, c.info.id, &c.cred.user.id, move |d| {
        let missing = crate::meetings::minutes::missing_items(d, &p);
        crate::meetings::minutes::add_items(d, &missing, crate::clock::now_ms());
    })
    .await?;
    answer(&hub, &c, &s).await
}

/// The caller announces their absence, before the meeting begins; the
/// time of the announcement is recorded.
#[utoipa::path(post, path = "/api/meetings/{meeting}/excuse",
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody)))]
pub async fn excuse(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        let i = rules::check_excuse(s, &c.cred.user.id, crate::clock::now_ms())?;
        Ok(Some(MeetingEvent::Excused {
            key: i.key.clone(),
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

/// The caller is in the meeting's live page (their own signed-in
/// session): while the meeting runs, this marks them present remotely,
/// recorded once, for the secretariat to confirm.
#[utoipa::path(post, path = "/api/meetings/{meeting}/here",
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody)))]
pub async fn here(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        let i = rules::check_seen(s, &c.cred.user.id)?;
        if s.attendance
            .get(&i.key)
            .is_some_and(|r| r.seen_ms.is_some())
        {
            return Ok(None);
        }
        Ok(Some(MeetingEvent::Seen {
            key: i.key.clone(),
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkBody {
    /// The invitee's key.
    pub key: String,
    pub attendance: Attendance,
}

/// The secretariat sets or confirms someone's attendance.
#[utoipa::path(post, path = "/api/meetings/{meeting}/attendance", request_body = MarkBody,
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody)))]
pub async fn mark(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
    Body(b): Body<MarkBody>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        rules::check_mark(s, &c.who, &b.key)?;
        Ok(Some(MeetingEvent::Marked {
            key: b.key.clone(),
            attendance: b.attendance,
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

/// Starts the meeting (the agenda clock at its first item).
#[utoipa::path(post, path = "/api/meetings/{meeting}/start",
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody)))]
pub async fn start(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        rules::check_start(s, &c.who)?;
        Ok(Some(MeetingEvent::Started {
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemBody {
    /// The agenda item now discussed (0-based).
    pub index: usize,
}

/// Moves the agenda clock to another item.
#[utoipa::path(post, path = "/api/meetings/{meeting}/item", request_body = ItemBody,
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody)))]
pub async fn item(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
    Body(b): Body<ItemBody>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        rules::check_item(s, &c.who, b.index)?;
        Ok(Some(MeetingEvent::Item {
            index: b.index,
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

/// Ends the meeting: invitees neither seen nor marked count as absent.
#[utoipa::path(post, path = "/api/meetings/{meeting}/end",
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody)))]
pub async fn end(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        rules::check_end(s, &c.who)?;
        Ok(Some(MeetingEvent::Ended {
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionBody {
    pub text: String,
    pub kind: DecisionKind,
    /// The agenda item's id.
    pub item: Option<String>,
    /// A card (`automerge:` URL): the decision is about its version now.
    pub card: Option<String>,
}

fn new_id() -> String {
    codraft_protocol::DocumentId::random().to_string()[..12].to_owned()
}

/// Records a decision; about a card, the server records the card's exact
/// version (its heads) at this moment.
#[utoipa::path(post, path = "/api/meetings/{meeting}/decisions", request_body = DecisionBody,
    responses((status = 200, body = MeetingView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide_on(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
    Body(b): Body<DecisionBody>,
) -> ApiResult<Json<MeetingView>> {
    let c = ctx(&acc, who, &meeting).await?;
    let text = b.text.trim().to_owned();
    if text.is_empty() {
        return Err(ApiError::new(
            ErrorCode::EmptyText,
            "a decision needs its text",
        ));
    }
    let (card, card_heads) = match b.card.as_deref().filter(|s| !s.is_empty()) {
        Some(url) => {
            let (info, _) = doc_for(&acc, &c.cred, url).await?;
            if info.kind != "card" {
                return Err(ApiError::not_found("no such card"));
            }
            (Some(info.id.to_url()), heads(&hub, info.id).await?)
        }
        None => (None, Vec::new()),
    };
    let s = decide(&acc, c.info.id, |s| {
        rules::check_decision(s, &c.who, &text)?;
        if b.item
            .as_ref()
            .is_some_and(|i| !s.plan.agenda.iter().any(|a| a.id == *i))
        {
            return Err(MeetingError::NoSuchEntry.into());
        }
        Ok(Some(MeetingEvent::Decision {
            decision: DecisionRecord {
                id: new_id(),
                text: text.clone(),
                kind: b.kind,
                item: b.item.clone(),
                card: card.clone(),
                card_heads: card_heads.clone(),
                stamp: stamp(&c.cred, Vec::new()),
            },
        }))
    })
    .await?;
    answer(&hub, &c, &s).await
}

/// Removes a decision recorded by mistake (until publication).
#[utoipa::path(post, path = "/api/meetings/{meeting}/decisions/{id}/drop",
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn drop_decision(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((meeting, id)): Path<(String, String)>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        rules::check_writer(s, &c.who)?;
        if !s.decisions.iter().any(|d| d.id == id) {
            return Err(MeetingError::NoSuchEntry.into());
        }
        Ok(Some(MeetingEvent::DecisionDropped {
            id: id.clone(),
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionBody {
    pub text: String,
    /// A person of the body (account id)…
    pub owner_user: Option<String>,
    /// …or an organisation present in the meeting.
    pub owner_organisation: Option<String>,
    /// ISO date.
    pub due: Option<String>,
}

/// Records an action item for a person of the body or an organisation.
#[utoipa::path(post, path = "/api/meetings/{meeting}/actions", request_body = ActionBody,
    responses((status = 200, body = MeetingView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_action(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
    Body(b): Body<ActionBody>,
) -> ApiResult<Json<MeetingView>> {
    let c = ctx(&acc, who, &meeting).await?;
    let text = b.text.trim().to_owned();
    if text.is_empty() {
        return Err(ApiError::new(
            ErrorCode::EmptyText,
            "an action item needs its text",
        ));
    }
    let body = c.info.group.clone();
    let owner = match (b.owner_user.as_deref(), b.owner_organisation.as_deref()) {
        (Some(u), _) if !u.is_empty() => match acc.user(u).await? {
            Some(user) => Owner::Person {
                user: user.id,
                name: user.name,
            },
            None => {
                return Err(MeetingError::OutsideBody { name: u.to_owned() }.into());
            }
        },
        (_, Some(o)) if !o.trim().is_empty() => Owner::Organisation {
            name: o.trim().to_owned(),
        },
        _ => return Err(ApiError::bad_request("an action item needs an owner")),
    };
    let due = b.due.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
    let s = decide(&acc, c.info.id, |s| {
        rules::check_action(s, &c.who, &text, &owner, due.as_deref(), |u| {
            acc.role(&body, u).is_some()
        })?;
        Ok(Some(MeetingEvent::Action {
            action: ActionRecord {
                id: new_id(),
                text: text.clone(),
                owner: owner.clone(),
                due: due.clone(),
                status: ActionStatus::Open,
                stamp: stamp(&c.cred, Vec::new()),
            },
        }))
    })
    .await?;
    if let Owner::Person { user, .. } = &owner {
        tell(
            &acc,
            &c.cred,
            &c.info,
            NoteKind::ActionAssigned,
            &text,
            [user.clone()],
        )
        .await;
    }
    answer(&hub, &c, &s).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionStatusBody {
    pub status: ActionStatus,
}

/// Marks an action item done or open again (its owner, or a writer of the
/// body; also after publication).
#[utoipa::path(post, path = "/api/meetings/{meeting}/actions/{id}/status", request_body = ActionStatusBody,
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn action_status(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path((meeting, id)): Path<(String, String)>,
    Body(b): Body<ActionStatusBody>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        rules::check_action_status(s, &c.who, &id)?;
        Ok(Some(MeetingEvent::ActionStatus {
            id: id.clone(),
            status: b.status,
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MinutesApproveBody {
    /// The version approved: the text's heads and the record's revision,
    /// as the meeting's view gave them.
    pub heads: Vec<String>,
    pub rev: usize,
}

/// Approves the minutes at a version (a co-coordinator of the body). With
/// the other side's standing approval of the same version, the minutes are
/// published and locked.
#[utoipa::path(post, path = "/api/meetings/{meeting}/approve", request_body = MinutesApproveBody,
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve_minutes(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
    Body(b): Body<MinutesApproveBody>,
) -> ApiResult<Json<MeetingView>> {
    let c = ctx(&acc, who, &meeting).await?;
    let now = heads(&hub, c.info.id).await?;
    let mut publish = false;
    let s = decide(&acc, c.info.id, |s| {
        publish = rules::check_approval(s, &c.who, &b.heads, b.rev, &now)?;
        Ok(Some(MeetingEvent::Approved {
            rev: b.rev,
            stamp: stamp(&c.cred, now.clone()),
        }))
    })
    .await?;
    if !publish {
        return answer(&hub, &c, &s).await;
    }
    let s = decide(&acc, c.info.id, |s| {
        let approvals: Vec<Stamp> = s.standing(&now).into_iter().cloned().collect();
        let sides = |x| approvals.iter().any(|a| a.sector == x);
        use crate::directory::Sector;
        if s.locked() || !(sides(Sector::Administration) && sides(Sector::CivilSociety)) {
            // Someone withdrew or the record moved meanwhile: no publication.
            return Ok(None);
        }
        Ok(Some(MeetingEvent::Published {
            version: s.versions.len() as u32 + 1,
            rev: s.rev,
            upto: s.len,
            approvals,
            stamp: stamp(&c.cred, now.clone()),
        }))
    })
    .await?;
    answer(&hub, &c, &s).await
}

/// Withdraws the caller's approval of the minutes.
#[utoipa::path(post, path = "/api/meetings/{meeting}/withdraw",
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody)))]
pub async fn withdraw_minutes(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
) -> ApiResult<Json<MeetingView>> {
    act(&hub, &acc, who, &meeting, |s, c| {
        rules::check_withdrawal(s, &c.who)?;
        Ok(Some(MeetingEvent::Withdrawn {
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CorrectionBody {
    pub reason: String,
}

/// Opens published minutes for a correction (organisers, with a reason):
/// the published version stays; approving again publishes the next.
#[utoipa::path(post, path = "/api/meetings/{meeting}/correction", request_body = CorrectionBody,
    responses((status = 200, body = MeetingView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn correct(
    State(hub): State<Arc<Hub>>,
    Writer { acc, who }: Writer,
    Path(meeting): Path<String>,
    Body(b): Body<CorrectionBody>,
) -> ApiResult<Json<MeetingView>> {
    let c = ctx(&acc, who, &meeting).await?;
    let reason = b.reason.trim().to_owned();
    let s = decide(&acc, c.info.id, |s| {
        rules::check_correction(s, &c.who, &reason)?;
        Ok(Some(MeetingEvent::Correction {
            reason: reason.clone(),
            stamp: stamp(&c.cred, Vec::new()),
        }))
    })
    .await?;
    answer(&hub, &c, &s).await
}
