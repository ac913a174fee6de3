//! What an e-mail says, in the recipient's language (Arabic, French or
//! Amazigh in Tifinagh): a notification, an invitation, a daily digest.

use codraft_schema::Lang;
use codraft_schema::labels::label;

use crate::directory::Role;
use crate::inbox::{Note, NoteKind};

/// Subject and plain text of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub subject: String,
    pub text: String,
}

fn pick(l: Lang, w: [&'static str; 3]) -> &'static str {
    match l {
        Lang::Ar => w[0],
        Lang::Fr => w[1],
        Lang::Zgh => w[2],
    }
}

fn verb(kind: NoteKind, l: Lang) -> &'static str {
    pick(
        l,
        match kind {
            NoteKind::Mentioned => [
                "ذكرك(ت) في تعليق",
                "vous a mentionné·e dans un commentaire",
                "ⵉⵏⵏⴰ ⵉⵙⵎ ⵏⵏⴽ ⴳ ⵓⵡⵏⵏⵉ",
            ],
            NoteKind::Replied => [
                "رد(ت) في نقاش شاركت فيه",
                "a répondu dans une discussion où vous avez écrit",
                "ⵉⵔⴰⵔ ⴳ ⵓⵎⵙⴰⵡⴰⵍ",
            ],
            NoteKind::SuggestionAccepted => [
                "قبل(ت) اقتراحك",
                "a accepté votre suggestion",
                "ⵉⵇⴱⵍ ⴰⵙⵓⵎⵔ ⵏⵏⴽ",
            ],
            NoteKind::SuggestionRejected => [
                "رفض(ت) اقتراحك",
                "a refusé votre suggestion",
                "ⵉⴳⵢ ⴰⵙⵓⵎⵔ ⵏⵏⴽ",
            ],
            NoteKind::ReviewRequested => [
                "طلب(ت) مراجعة بطاقة",
                "demande la revue d’une fiche",
                "ⵉⵜⵜⵔ ⴰⵙⵙⵉⴼⴹ ⵏ ⵜⴽⴰⵔⴹⴰ",
            ],
            NoteKind::Approved => ["صادق(ت) على بطاقة", "a validé une fiche", "ⵉⵙⴷⵓⵙ ⵜⴰⴽⴰⵔⴹⴰ"],
            NoteKind::Returned => ["أرجع(ت) بطاقة", "a renvoyé une fiche", "ⵉⵙⵖⵓⵍ ⵜⴰⴽⴰⵔⴹⴰ"],
            NoteKind::Invited => [
                "دعاك(ت) إلى مجموعة",
                "vous a invité·e dans un groupe",
                "ⵉⵖⵔⴰ ⴽ ⵖⵔ ⵜⵔⴰⴱⴱⵓⵜ",
            ],
            NoteKind::MeetingInvited => [
                "دعاك(ت) إلى اجتماع",
                "vous a invité·e à une réunion",
                "ⵉⵖⵔⴰ ⴽ ⵖⵔ ⵓⵎⵙⵉⵡⴹ",
            ],
            NoteKind::ActionAssigned => [
                "أسند(ت) إليك مهمة في اجتماع",
                "vous a confié une action lors d’une réunion",
                "ⵉⴼⴽⴰ ⴰⴽ ⵜⴰⵡⵓⵔⵉ ⴳ ⵓⵎⵙⵉⵡⴹ",
            ],
        },
    )
}

/// One notification; `link` opens what it is about.
pub fn note(n: &Note, l: Lang, link: &str) -> Words {
    let line = format!("{} {}", n.by_name, verb(n.kind, l));
    let mut text = format!("{line}.\n");
    if !n.excerpt.is_empty() {
        text.push_str(&format!("\n« {} »\n", n.excerpt));
    }
    let open = pick(l, ["افتح", "Ouvrir", "ⵕⵥⵎ"]);
    text.push_str(&format!("\n{open}: {link}\n"));
    text.push_str(footer(l));
    Words {
        subject: format!("Codraft — {line}"),
        text,
    }
}

/// An invitation to join `group` as `role`.
pub fn invitation(
    group: &str,
    role: Role,
    inviter: &str,
    link: &str,
    expires_iso: &str,
    l: Lang,
) -> Words {
    let gk = format!("group.{group}");
    let g = label(&gk, l);
    let g = if g == gk {
        group.to_owned()
    } else {
        g.to_owned()
    };
    let rk = format!("role.{}", role.as_str());
    let r = label(&rk, l);
    let r = if r == rk {
        role.as_str().to_owned()
    } else {
        r.to_owned()
    };
    let when = codraft_schema::lang::format_date(expires_iso, l);
    let (subject, body) = match l {
        Lang::Ar => (
            format!("دعوة للانضمام إلى مجموعة «{g}» على كودرافت"),
            format!(
                "يدعوك(تدعوك) {inviter} للانضمام إلى مجموعة «{g}» بصفة {r}.\n\nلقبول الدعوة: {link}\n\nتنتهي صلاحية الرابط في {when}.\n"
            ),
        ),
        Lang::Fr => (
            format!("Invitation à rejoindre le groupe « {g} » sur Codraft"),
            format!(
                "{inviter} vous invite à rejoindre le groupe « {g} » comme {r}.\n\nPour accepter : {link}\n\nLe lien expire le {when}.\n"
            ),
        ),
        Lang::Zgh => (
            format!("ⵜⴰⵖⵓⵔⵉ ⵖⵔ ⵜⵔⴰⴱⴱⵓⵜ «{g}» ⴳ Codraft"),
            format!(
                "{inviter} ⵉⵖⵔⴰ ⴽ ⵖⵔ ⵜⵔⴰⴱⴱⵓⵜ «{g}» ⴰⵎ {r}.\n\nⴰⴷ ⵜⵇⴱⵍⴷ: {link}\n\nⴰⵙⵖⵓⵏ ⴰⴷ ⵉⵎⵎⵜ ⴳ {when}.\n"
            ),
        ),
    };
    Words {
        subject,
        text: format!("{body}{}", footer(l)),
    }
}

/// A day's notifications in one message.
pub fn digest(parts: &[String], l: Lang) -> Words {
    let title = pick(l, ["ملخص اليوم", "Résumé du jour", "ⴰⵣⵓⵏ ⵏ ⵡⴰⵙⵙ"]);
    let mut text = String::new();
    for p in parts {
        text.push_str(p);
        text.push_str("\n— — —\n");
    }
    text.push_str(footer(l));
    Words {
        subject: format!("Codraft — {title} ({})", parts.len()),
        text,
    }
}

fn footer(l: Lang) -> &'static str {
    pick(
        l,
        [
            "\n--\nكودرافت، الصياغة المشتركة لخطة العمل الوطنية للحكومة المنفتحة. يمكنك اختيار ما يصلك بالبريد في صفحة الإشعارات.\n",
            "\n--\nCodraft, co-rédaction du plan d’action national pour le gouvernement ouvert. Choisissez ce que vous recevez par e-mail dans la page des notifications.\n",
            "\n--\nCodraft, ⴰⵙⴰⵔⵓ ⴰⵎⵢⴰⵡⴰⵙ ⵏ ⵓⵖⴰⵡⴰⵙ ⴰⵏⴰⵎⵓⵔ. ⵙⵜⵉ ⵎⴰⵢⴷ ⵉⵙⴰⵡⴹⵏ ⵙ ⵉⵎⴰⵢⵍ ⴳ ⵜⴰⵙⵏⴰ ⵏ ⵉⵙⵉⵏⵢⴰⵜⵏ.\n",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_is_worded_in_each_language_with_its_link() {
        for l in Lang::ALL {
            let w = invitation(
                "digital_governance",
                Role::Member,
                "Amina",
                "http://x/#/invite/t",
                "2026-12-08",
                l,
            );
            assert!(w.text.contains("http://x/#/invite/t"), "{l:?}");
            assert!(w.text.contains("Amina"));
            assert!(!w.subject.contains("group."), "{}", w.subject);
        }
        let fr = invitation(
            "digital_governance",
            Role::Member,
            "Amina",
            "l",
            "2026-12-08",
            Lang::Fr,
        );
        assert!(fr.text.contains("8 décembre 2026"), "{}", fr.text);
        let ar = invitation(
            "digital_governance",
            Role::Member,
            "Amina",
            "l",
            "2026-12-08",
            Lang::Ar,
        );
        assert!(ar.subject.starts_with("دعوة"));
    }
}
