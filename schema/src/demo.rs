//! The demo workspace: the six groups and a few cards of Morocco's third
//! action plan, so a newcomer sees something real at once. Commitment
//! texts are condensed from the plan; the revision of MO0056 follows the
//! steering committee's 3 February 2026 minutes (the activity with the
//! sustainable-development sector was postponed, not removed). Contacts are
//! functions with `example.org` addresses, not real people.

use serde_json::{Value as Json, json};

use crate::card::{SCHEMA_VERSION, multi_with};

fn values(on: &[(&str, &str)]) -> Json {
    let mut m = serde_json::Map::new();
    for v in crate::card::VALUES {
        let why = on.iter().find(|(k, _)| *k == v).map(|(_, w)| *w);
        m.insert(
            v.into(),
            json!({ "on": why.is_some(), "why": why.unwrap_or("") }),
        );
    }
    Json::Object(m)
}

/// A row's text in the one language it was written in.
fn one(text: &str) -> Json {
    serde_json::to_value(crate::card::Multi::from_plain(text)).unwrap_or_default()
}

/// A row's text in Arabic and French.
fn both(ar: &str, fr: &str) -> Json {
    let mut m = crate::card::Multi::from_plain(ar);
    m.fr = crate::card::Multi::from_plain(fr).fr;
    serde_json::to_value(m).unwrap_or_default()
}

fn activity(
    title: Json,
    deliverable: Json,
    start: &str,
    end: &str,
    who: &str,
    status: &str,
) -> Json {
    json!({ "title": title, "deliverable": deliverable, "start": start, "end": end,
            "responsible": who, "status": status, "evidence": "" })
}

fn indicator(label: Json, kind: &str, unit: &str, baseline: &str, target: &str, how: &str) -> Json {
    json!({ "label": label, "kind": kind, "unit": unit, "baseline": baseline,
            "target": target, "verification": how })
}

fn contact(name: &str, title: &str, department: &str, email: &str) -> Json {
    json!({ "name": name, "title": title, "department": department, "email": email, "phone": "" })
}

#[allow(clippy::too_many_arguments)]
fn card(
    number: &str,
    axis: &str,
    group: &str,
    title: Json,
    summary: Json,
    lead: &str,
    rest: Json,
) -> Json {
    let mut c = crate::card::blank_card(group);
    c["schema"] = json!(SCHEMA_VERSION);
    c["number"] = json!(number);
    c["axis"] = json!(axis);
    c["title"] = title;
    c["summary"] = summary;
    c["lead"] = json!(lead);
    if let (Json::Object(c), Json::Object(rest)) = (&mut c, rest) {
        c.extend(rest);
    }
    c
}

/// The demo cards with their group, in the order they are listed.
pub fn cards() -> Vec<(&'static str, Json)> {
    vec![
        ("climate_environment", mo0056()),
        ("disability_inclusion", mo0059()),
        ("open_justice", mo0063()),
        ("transparency_integrity", mo0054()),
    ]
}

fn mo0056() -> Json {
    card(
        "MO0056",
        "transparency_participation",
        "climate_environment",
        multi_with(
            "إعداد الاستراتيجية الوطنية للتنمية المستدامة 2024-2035 وفق مقاربة تشاركية",
            "Élaboration participative de la Stratégie nationale de développement durable 2024-2035",
            "ⴰⵙⵏⵓⴷⵙ ⵏ ⵜⵙⵜⵔⴰⵜⵉⵊⵉⵜ ⵜⴰⵏⴰⵎⵓⵔⵜ ⵏ ⵜⵏⴼⵍⵉⵜ ⵉⵜⵜⵎⵓⴳⴳⵓⵔⵏ 2024-2035",
        ),
        multi_with(
            "إشراك المجتمع المدني والجهات في إعداد وتتبع الاستراتيجية الوطنية للتنمية المستدامة ونشر معطيات تنفيذها.",
            "Associer la société civile et les régions à l'élaboration et au suivi de la stratégie, et publier les données de sa mise en œuvre.",
            "",
        ),
        "وزارة الانتقال الطاقي والتنمية المستدامة - قطاع التنمية المستدامة",
        json!({
            "actors": [
                { "organisation": "جمعية باب اجديد للتنمية والتعاون والثقافة والرياضة والمحافظة على البيئة", "kind": "civil_society", "role": "تعبئة الجمعيات المحلية" },
                { "organisation": "Université Mohammed V de Rabat", "kind": "academic", "role": "Appui méthodologique aux indicateurs" }
            ],
            "start": "2024-09-01",
            "end": "2028-06-30",
            "problem": multi_with(
                "ضعف إشراك المواطنين والمجتمع المدني في إعداد السياسات البيئية وتتبعها، ومحدودية المعطيات المنشورة حول تنفيذها.",
                "Faible association des citoyens et de la société civile à l'élaboration et au suivi des politiques environnementales ; peu de données publiées sur leur mise en œuvre.", ""),
            "causes": multi_with(
                "غياب آليات دائمة للتشاور على المستوى الجهوي وتشتت المعطيات بين القطاعات.",
                "Absence de mécanismes permanents de concertation au niveau régional ; données dispersées entre les départements.", ""),
            "baseline": multi_with("استراتيجية 2017-2030 أُعدت بمشاورات محدودة.", "Stratégie 2017-2030 élaborée avec des consultations limitées.", ""),
            "solution": multi_with(
                "تنظيم مشاورات جهوية مفتوحة، ونشر مسودة الاستراتيجية للتعليق العمومي، وإحداث لوحة قيادة مفتوحة لتتبع مؤشراتها.",
                "Organiser des consultations régionales ouvertes, publier le projet de stratégie pour commentaires publics et créer un tableau de bord ouvert de ses indicateurs.", ""),
            "results": multi_with(
                "استراتيجية معتمدة تتضمن مساهمات المجتمع المدني، ومعطيات تتبع منشورة بصيغة مفتوحة.",
                "Une stratégie adoptée qui intègre les contributions de la société civile ; des données de suivi publiées en format ouvert.", ""),
            "contribution": multi_with(
                "تمكن المشاورات ولوحة القيادة من إشراك المعنيين ومساءلة القطاعات حول التنفيذ.",
                "Les consultations et le tableau de bord permettent d'associer les parties prenantes et de rendre compte de la mise en œuvre.", ""),
            "values": values(&[
                ("transparency", "نشر مسودة الاستراتيجية ومعطيات تتبعها بصيغة مفتوحة."),
                ("participation", "Consultations régionales ouvertes et commentaires publics sur le projet."),
            ]),
            "activities": [
                activity(both("تنظيم 12 مشاورة جهوية حول مسودة الاستراتيجية", "Organisation de 12 consultations régionales sur le projet de stratégie"), both("تقارير المشاورات منشورة", "Rapports des consultations publiés"), "2024-10-01", "2025-06-30", "قطاع التنمية المستدامة", "done"),
                activity(both("نشر مشروع الاستراتيجية لتلقي التعليقات العمومية", "Publication du projet de stratégie pour commentaires publics"), both("مشروع منشور على gouvernement-ouvert.ma مع ملخص التعليقات", "Projet publié sur gouvernement-ouvert.ma et synthèse des commentaires"), "2025-07-01", "2025-12-31", "Secteur du développement durable", "done"),
                activity(one("إحداث لوحة قيادة مفتوحة لمؤشرات الاستراتيجية"), one("لوحة قيادة منشورة ومحينة كل ستة أشهر"), "2026-01-01", "2027-12-31", "قطاع التنمية المستدامة", "delayed"),
                activity(one("Rapport annuel de suivi discuté avec la société civile"), one("Deux rapports annuels publiés"), "2026-06-01", "2028-06-30", "Secteur du développement durable", "not_started")
            ],
            "indicators": [
                indicator(both("عدد المشاورات الجهوية المنظمة", "Nombre de consultations régionales organisées"), "quantitative", "مشاورة", "0", "12", "تقارير المشاورات"),
                indicator(one("Prise en compte des contributions de la société civile dans la stratégie adoptée"), "qualitative", "", "Consultations limitées (2017)", "Rapport de restitution expliquant chaque contribution retenue ou non", "Rapport de restitution publié")
            ],
            "budget": { "amount": 2500000, "source": "الميزانية العامة - قطاع التنمية المستدامة", "funded": true },
            "sdgs": "ODD 13, ODD 16.7 ; Stratégie nationale de développement durable",
            "contacts": {
                "government": contact("نقطة الاتصال للالتزام 3", "رئيس مصلحة التواصل والعلاقات المؤسسية", "مديرية التعاون والشراكة والتواصل", "engagement3@example.org"),
                "civilSociety": contact("Représentant·e de la société civile", "Co-coordinateur·rice du groupe climat", "Association Bab Jdid", "climat.societe-civile@example.org")
            },
            "revision": {
                "decision": "modify",
                "rationale": multi_with(
                    "تأجيل نشاط لوحة القيادة وليس حذفه، كما أكد القطاع في اجتماع لجنة الإشراف؛ تُعدل التواريخ ويُضاف مؤشر نوعي.",
                    "L'activité du tableau de bord est reportée, pas supprimée, comme le secteur l'a confirmé au comité de pilotage ; les dates sont ajustées et un indicateur qualitatif est ajouté.", ""),
                "meeting": "2026-02-03"
            },
            "assessment": { "completion": "substantial", "percent": 55, "narrative": "", "evidence": "" },
            "workflow": "group_review"
        }),
    )
}

fn mo0059() -> Json {
    card(
        "MO0059",
        "equal_access",
        "disability_inclusion",
        multi_with(
            "تحسين ولوج الناطقين بالأمازيغية إلى الخدمات العمومية",
            "Améliorer l'accès des amazighophones aux services publics",
            "ⴰⵙⵏⴼⵍⵓⵍ ⵏ ⵓⴽⵛⵛⵓⵎ ⵏ ⵉⵎⵙⵙⴰⵡⴰⵍⵏ ⵙ ⵜⵎⴰⵣⵉⵖⵜ ⵖⵔ ⵜⵏⴰⴼⵓⵜⵉⵏ ⵜⵉⵎⴰⵜⴰⵢⵉⵏ",
        ),
        multi_with(
            "إدماج اللغة الأمازيغية في الاستقبال والإرشاد والمنصات الرقمية للإدارات العمومية.",
            "Intégrer l'amazighe dans l'accueil, l'orientation et les plateformes numériques des administrations.",
            "ⴰⵙⵎⴷⵢ ⵏ ⵜⵎⴰⵣⵉⵖⵜ ⴳ ⵓⵙⵏⵓⴱⴳ ⴷ ⵓⵙⵏⵎⵍ ⴷ ⵜⵙⵉⵙⵜⵉⵎⵉⵏ ⵜⵉⵏⵓⵎⴰⵏⵉⵏ",
        ),
        "وزارة الانتقال الرقمي وإصلاح الإدارة - مديرية تنمية استعمال اللغة الأمازيغية",
        json!({
            "actors": [
                { "organisation": "Institut Royal de la Culture Amazighe (IRCAM)", "kind": "academic", "role": "Terminologie et traduction" },
                { "organisation": "منتدى الصحراء للحوار والثقافات", "kind": "civil_society", "role": "تتبع جودة الخدمات" }
            ],
            "start": "2024-09-01",
            "end": "2028-06-30",
            "problem": multi_with(
                "يجد عدد من المرتفقين الناطقين بالأمازيغية صعوبة في الولوج إلى المعلومة والخدمات العمومية بلغتهم.",
                "Une partie des usagers amazighophones peine à accéder à l'information et aux services publics dans leur langue.",
                "ⵉⵍⵍⴰ ⵓⵎⵢⴰⵏⴰⵡ ⵏ ⵉⵎⵙⵙⴰⵡⴰⵍⵏ ⵙ ⵜⵎⴰⵣⵉⵖⵜ ⵓⵔ ⵉⵜⵜⴰⵡⴹⵏ ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵙ ⵜⵓⵜⵍⴰⵢⵜ ⵏⵏⵙⵏ"),
            "causes": multi_with(
                "قلة الموظفين المكونين في الأمازيغية وغياب الأمازيغية في أغلب المنصات الرقمية.",
                "Peu d'agents formés à l'amazighe ; l'amazighe absent de la plupart des plateformes numériques.", ""),
            "baseline": multi_with("", "", ""),
            "solution": multi_with(
                "تكوين موظفي الاستقبال، وترجمة الدلائل والمساطر، وإدماج الأمازيغية في البوابات الرقمية ذات الأولوية.",
                "Former les agents d'accueil, traduire les guides et procédures, intégrer l'amazighe aux portails numériques prioritaires.", ""),
            "results": multi_with(
                "خدمات استقبال وإرشاد متاحة بالأمازيغية في المرافق ذات الأولوية.",
                "Accueil et orientation disponibles en amazighe dans les services prioritaires.", ""),
            "contribution": multi_with(
                "يضمن الولوج المتكافئ إلى المعلومة والخدمات للناطقين بالأمازيغية.",
                "Garantit un accès égal à l'information et aux services pour les amazighophones.", ""),
            "values": values(&[
                ("transparency", "Procédures et guides publiés en amazighe."),
                ("inclusion", "ولوج متكافئ للناطقين بالأمازيغية إلى الخدمات."),
            ]),
            "activities": [
                activity(one("تكوين موظفي الاستقبال في الأمازيغية"), one("لوائح الموظفين المكونين"), "2024-10-01", "2026-12-31", "مديرية تنمية استعمال اللغة الأمازيغية", "in_progress"),
                activity(one("Traduction des guides de procédures prioritaires"), one("Guides publiés en tifinaghe"), "2025-01-01", "2027-06-30", "DDULA", "in_progress"),
                activity(one("إدماج الأمازيغية في بوابة الخدمات العمومية"), one("واجهة البوابة متاحة بالأمازيغية"), "2026-01-01", "2028-06-30", "وكالة التنمية الرقمية", "not_started")
            ],
            "indicators": [
                indicator(one("Nombre d'agents d'accueil formés"), "quantitative", "agents", "0", "1500", "Listes de formation"),
                indicator(one("رضا المرتفقين الناطقين بالأمازيغية عن الاستقبال"), "qualitative", "", "غير مقاس", "استطلاع سنوي يبين تحسنا", "استطلاع رضا منشور")
            ],
            "contacts": {
                "government": contact("Point focal MO0059", "Chef de division planification et programmes", "Direction du développement de l'usage de l'amazighe", "mo0059@example.org"),
                "civilSociety": contact("ممثل المجتمع المدني", "منسق مشارك لمجموعة الإدماج", "منتدى الصحراء للحوار والثقافات", "inclusion.mc@example.org")
            },
            "revision": { "decision": "keep", "rationale": multi_with("", "", ""), "meeting": "2026-02-03" },
            "workflow": "draft"
        }),
    )
}

fn mo0063() -> Json {
    card(
        "MO0063",
        "open_justice",
        "open_justice",
        multi_with(
            "تيسير الولوج إلى خدمات العدالة في مختلف الجهات",
            "Faciliter l'accès aux services de la justice dans toutes les régions",
            "",
        ),
        multi_with(
            "توسيع الخدمات الرقمية للمحاكم ونشر المعلومات القضائية العملية للمتقاضين.",
            "Étendre les services numériques des tribunaux et publier l'information pratique pour les justiciables.",
            "",
        ),
        "وزارة العدل",
        json!({
            "actors": [ { "organisation": "جمعية من أجل الشباب بالقنيطرة", "kind": "civil_society", "role": "تحسيس الشباب بالخدمات" } ],
            "start": "2024-09-01",
            "end": "2028-06-30",
            "problem": multi_with("تفاوت الولوج إلى خدمات العدالة بين الجهات.", "Accès inégal aux services de la justice selon les régions.", ""),
            "causes": multi_with("بعد المحاكم وضعف المعلومة العملية.", "Éloignement des tribunaux, information pratique insuffisante.", ""),
            "solution": multi_with("منصة رقمية لتتبع الملفات ونشر دلائل عملية.", "Plateforme de suivi des dossiers et guides pratiques publiés.", ""),
            "results": multi_with("متقاضون يتتبعون ملفاتهم عن بعد.", "Des justiciables qui suivent leurs dossiers à distance.", ""),
            "contribution": multi_with("يقلص التنقل والآجال ويعزز الشفافية.", "Réduit déplacements et délais, renforce la transparence.", ""),
            "values": values(&[
                ("transparency", "Information judiciaire pratique publiée."),
                ("technology", "منصة رقمية لتتبع الملفات."),
            ]),
            "activities": [
                activity(one("Plateforme de suivi des dossiers"), one("Plateforme en ligne"), "2024-10-01", "2026-12-31", "Direction de la modernisation et des systèmes d'information", "in_progress"),
                activity(one("نشر دلائل عملية للمتقاضين"), one("دلائل منشورة بالعربية والأمازيغية والفرنسية"), "2025-01-01", "2027-06-30", "وزارة العدل", "in_progress")
            ],
            "indicators": [
                indicator(one("Dossiers consultables en ligne"), "quantitative", "%", "20", "80", "Statistiques de la plateforme"),
                indicator(one("آراء المتقاضين حول سهولة الولوج"), "qualitative", "", "", "تحسن ملموس في استطلاعين", "استطلاعات منشورة")
            ],
            "contacts": {
                "government": contact("Responsable de l'engagement 10", "Cheffe de division de l'infrastructure informatique", "Direction de la modernisation", "engagement10@example.org"),
                "civilSociety": contact("ممثل جمعية من أجل الشباب", "منسق مشارك", "جمعية من أجل الشباب بالقنيطرة", "justice.mc@example.org")
            },
            "revision": {
                "decision": "add_activities",
                "rationale": multi_with("إضافة نشاط لإشراك المجتمع المدني في تقييم المنصة.", "Ajouter une activité associant la société civile à l'évaluation de la plateforme.", ""),
                "meeting": ""
            },
            "workflow": "draft"
        }),
    )
}

fn mo0054() -> Json {
    card(
        "MO0054",
        "transparency_participation",
        "transparency_integrity",
        multi_with(
            "مراجعة القانون 31.13 المتعلق بالحق في الحصول على المعلومات",
            "Réviser la loi 31.13 relative au droit d'accès à l'information",
            "",
        ),
        multi_with("", "", ""),
        "وزارة الانتقال الرقمي وإصلاح الإدارة",
        json!({ "start": "2024-09-01", "end": "2028-06-30", "workflow": "draft" }),
    )
}
