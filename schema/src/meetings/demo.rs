//! The steering committee's session of 3 February 2026, as its minutes
//! record it (`schema/seed/steering-committee-minutes-2026-02-03.ar.txt`):
//! its participants with their organisations and functions, the
//! administrations and associations absent, the two agenda items (the six
//! phases of the revision presented under the first), and the four main
//! outcomes.

use super::*;

fn m(ar: &str, fr: &str, zgh: &str) -> Multi {
    serde_json::from_value(crate::card::multi_with(ar, fr, zgh)).unwrap_or_default()
}

const MTDRA: &str = "وزارة الانتقال الرقمي وإصلاح الإدارة";

/// (honorific, name, organisation, side, function)
const PEOPLE: [(&str, &str, &str, Side, &str); 23] = [
    (
        "السيدة",
        "إكرام حيبي",
        MTDRA,
        Side::Secretariat,
        "مديرة تنظيم الإدارة والمخاطبة الرسمية لمبادرة شراكة الحكومة المنفتحة بالمغرب",
    ),
    (
        "السيدة",
        "كريمة خلدون",
        MTDRA,
        Side::Secretariat,
        "مديرة تنمية استعمال اللغة الأمازيغية، ممثل رئيسي في لجنة الإشراف",
    ),
    (
        "السيد",
        "المصطفى باحدة",
        MTDRA,
        Side::Secretariat,
        "رئيس قسم تعزيز النزاهة والشفافية والإنفتاح",
    ),
    (
        "السيد",
        "جواد صديق",
        MTDRA,
        Side::Secretariat,
        "رئيس قسم التخطيط والبرامج، بمديرية تنمية استعمال اللغة الأمازيغية، نائب الممثل الرئيسي في لجنة الإشراف",
    ),
    (
        "السيدة",
        "لطيفة بنعياد",
        MTDRA,
        Side::Secretariat,
        "رئيسة مصلحة الحكومة المنفتحة",
    ),
    (
        "السيد",
        "عبد النبي طويه",
        MTDRA,
        Side::Secretariat,
        "رئيس مصلحة تعزيز النزاهة ودعم الأخلاقيات",
    ),
    (
        "السيدة",
        "يسرى ملواني",
        MTDRA,
        Side::Secretariat,
        "إطار بقسم تعزيز النزاهة ودعم الأخلاقيات",
    ),
    (
        "السيد",
        "يونس شفيق",
        MTDRA,
        Side::Secretariat,
        "إطار بقسم تعزيز النزاهة ودعم الأخلاقيات",
    ),
    (
        "السيدة",
        "وفاء الوالي العلمي",
        "وزارة العدل",
        Side::Administration,
        "رئيسة قسم البنية التحتية المعلوماتية بمديرية التحديث ونظم المعلومات، مسؤولة الالتزام 10",
    ),
    (
        "السيدة",
        "فاطمة الزهراء فزري",
        "وزارة العدل",
        Side::Administration,
        "إطار، نائبة عن مسؤول الالتزام 11",
    ),
    (
        "السيد",
        "رشيد الأعوج",
        "وزارة التضامن والادماج الاجتماعي والأسرة",
        Side::Administration,
        "رئيس قسم الأنظمة المعلوماتية، نائب الممثل الرئيسي في لجنة الإشراف",
    ),
    (
        "السيد",
        "يوسف الأسفي",
        "وزارة التضامن والادماج الاجتماعي والأسرة",
        Side::Administration,
        "رئيس مصلحة دعم ومواكبة الفاعلين، مسؤول الالتزام 8",
    ),
    (
        "السيد",
        "جمال مصاير",
        "الوزارة المنتدبة لدى رئيس الحكومة المكلفة بالعلاقات مع البرلمان",
        Side::Administration,
        "رئيس قسم دعم جمعيات المجتمع المدني، نائب الممثل الرئيسي في لجنة الإشراف",
    ),
    (
        "السيدة",
        "طارق لمراي",
        "وزارة الانتقال الطاقوي والتنمية المستدامة-قطاع التنمية المستدامة",
        Side::Administration,
        "رئيس مصلحة التواصل والعلاقات المؤسسية بمديرية التعاون والشراكة والتواصل، مسؤول عن الالتزام 3",
    ),
    (
        "السيدة",
        "خلود أبجا",
        "وكالة التنمية الرقمية",
        Side::Administration,
        "مديرة التحول الرقمي، الممثل الرئيسي في لجنة الإشراف",
    ),
    (
        "",
        "راجية لعوج",
        "وكالة التنمية الرقمية",
        Side::Administration,
        "رئيسة مصلحة مواكبة المشاريع الاجتماعية، مسؤولة الالتزام 2",
    ),
    (
        "السيد",
        "هشام الحمزاوي",
        "جمعية باب اجديد للتنمية والتعاون والثقافة والرياضة والمحافظة على البيئة",
        Side::CivilSociety,
        "الممثل الرئيسي لجمعية باب اجديد للتنمية والتعاون والثقافة والرياضة والمحافظة على البيئة",
    ),
    (
        "السيد",
        "أيمن اعماليك",
        "جمعية من أجل الشباب بالقنيطرة",
        Side::CivilSociety,
        "الممثل الرئيسي لجمعية من أجل الشباب بالقنيطرة",
    ),
    (
        "السيد",
        "عبد الحميد اججا",
        "جمعية من أجل الشباب بالقنيطرة",
        Side::CivilSociety,
        "نائب الممثل الرئيسي لجمعية من أجل الشباب بالقنيطرة",
    ),
    (
        "السيد",
        "عبد المالك اصريح",
        "جمعية الحمامة البيضاء لحقوق الأشخاص في وضعية إعاقة",
        Side::CivilSociety,
        "الممثل الرئيسي لجمعية الحمامة البيضاء لحقوق الأشخاص في وضعية إعاقة",
    ),
    (
        "السيد",
        "السويدي صلاح",
        "منتدى الصحراء للحوار والثقافات",
        Side::CivilSociety,
        "الممثل الرئيسي لمنتدى الصحراء للحوار والثقافات",
    ),
    (
        "السيد",
        "محمد الديش",
        "جمعية الائتلاف المدني من أجل الجيل",
        Side::CivilSociety,
        "الممثل الرئيسي لجمعية الائتلاف المدني من أجل الجيل",
    ),
    (
        "السيد",
        "المحجوب الدوة",
        "التحالف الجهوي للجمعيات العاملة في مجال الاعاقة بجهة العيون الساقية الحمراء",
        Side::CivilSociety,
        "الممثل الرئيسي للتحالف الجهوي للجمعيات العاملة في مجال الاعاقة بجهة العيون الساقية الحمراء",
    ),
];

const ABSENT: [(Side, &str); 6] = [
    (
        Side::Administration,
        "وزارة الداخلية-المديرية العامة للجماعات الترابية",
    ),
    (
        Side::Administration,
        "وزارة الشباب والثقافة والتواصل-قطاع التواصل",
    ),
    (
        Side::Administration,
        "وزارة الشباب والثقافة والتواصل - قطاع الشباب",
    ),
    (Side::CivilSociety, "جمعية التعاون للتنمية والثقافة"),
    (Side::CivilSociety, "الهيئة الوطنية للشباب المغربي"),
    (
        Side::CivilSociety,
        "جمعية أريج للثقافة والبيئة والأعمال الاجتماعية",
    ),
];

/// The six phases of the revision presented under the first item.
pub const PHASES: [&str; 6] = [
    "المرحلة التحضيرية (فبراير 2026): إعداد واعتماد منهجية المراجعة، ونشر الجدول الزمني لعملية المراجعة على البوابة الوطنية للحكومة المنفتحة www.gouvernement-ouvert.ma، مع إحداث صفحة مخصصة للمشاركة الإلكترونية",
    "تحديد المحاور الموضوعاتية بناء على تقييم الإدارات: تقديم الإدارات لحصيلة تنفيذ الالتزامات وتقاسمها مع أعضاء المجتمع المدني وتنظيم ورشات للحوار حول المقترحات",
    "جمع الأفكار والمقترحات (مارس - أبريل 2026): إطلاق طلب تقديم الأفكار والمقترحات عبر بوابة الحكومة المنفتحة وتنظيم لقاءات تشاورية على المستوى الجهوي ثم إعداد ونشر تقرير تركيبي",
    "تحليل الأفكار والمقترحات وتحديد الأولويات (ماي 2026): إعداد شبكة تقييم المقترحات وتصنيفها، والمصادقة على نتائج التصنيف وترتيب الأولويات ونشرها",
    "صياغة بطاقات الالتزامات (الجديدة أو المراجعة): الصياغة المشتركة لبطاقات الالتزامات والمصادقة عليها ونشرها",
    "المصادقة واعتماد خطة العمل الوطنية الثالثة المراجعة (يونيو 2026): مشاورات عمومية حول المشروع، والمصادقة النهائية عليه ونشره وإحالته على مبادرة الشراكة من أجل الحكومة المنفتحة",
];

/// The 3 February 2026 session of the steering committee.
pub fn february_2026() -> Meeting {
    let participants = PEOPLE
        .iter()
        .map(
            |(honorific, name, organisation, side, function)| Participant {
                honorific: (*honorific).into(),
                name: (*name).into(),
                organisation: (*organisation).into(),
                side: *side,
                function: (*function).into(),
                attendance: Attendance::PresentRemotely,
                excused_ms: None,
            },
        )
        .collect();
    let phases: String = PHASES
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}. {p}\n", i + 1))
        .collect();
    Meeting {
        body: crate::workspace::STEERING_COMMITTEE.into(),
        title: m(
            "الاجتماع الأول برسم 2026 للجنة الإشراف على الخطة الوطنية الثالثة للحكومة المنفتحة 2024-2028",
            "Première réunion 2026 du comité de pilotage du troisième plan d’action national pour le gouvernement ouvert 2024-2028",
            "ⴰⵎⵙⵉⵡⴹ ⴰⵎⵣⵡⴰⵔⵓ ⵏ 2026 ⵏ ⵓⴽⵓⵎⵉⵜⵉ ⵏ ⵓⵏⵀⵔ ⵏ ⵓⵖⴰⵡⴰⵙ ⵡⵉⵙ ⴽⵔⴰⴹ ⵏ ⵜⵏⴱⴰⴹⵜ ⵜⴰⵏⴼⵍⵓⵙⵜ 2024-2028",
        ),
        date: "2026-02-03".into(),
        time: "10:00".into(),
        format: Format::Remote,
        link: String::new(),
        participants,
        absent: ABSENT.iter().map(|(s, o)| (*s, (*o).to_owned())).collect(),
        agenda: vec![
            AgendaItem {
                title: m(
                    "التداول واعتماد منهجية مراجعة خطة العمل الوطنية الثالثة 2024-2028 والبرمجة الزمنية لتنفيذها",
                    "Délibération et adoption de la méthodologie de révision du troisième plan d’action national 2024-2028 et de son calendrier",
                    "ⴰⵎⵙⴰⵡⴰⵍ ⴷ ⵓⵙⵏⴼⵍ ⵏ ⵜⵎⵏⵀⴰⵍⵜ ⵏ ⵓⵙⵙⵉⴼⴹ ⵏ ⵓⵖⴰⵡⴰⵙ ⵡⵉⵙ ⴽⵔⴰⴹ 2024-2028",
                ),
                presenter: MTDRA.into(),
                minutes: 60,
                discussion: format!("في البداية تم التذكير بمخرجات الاجتماع الأخير للجنة الإشراف، ثم تقديم عرض حول منهجية مراجعة الخطة الوطنية الثالثة والبرمجة الزمنية لعملية المراجعة، حيث تم استعراض المراحل الأساسية التالية:\n{phases}"),
                conclusions: vec![
                    "النشاط المبرمج في إطار الالتزام 3 مع قطاع التنمية المستدامة تم تأجيله وليس حذفه".into(),
                    "المراجعة آلية لإدخال تعديلات تضمن النجاح في التنفيذ: إضافة أنشطة أو حذفها أو الإبقاء على الالتزامات بصيغتها الحالية".into(),
                    "تنظيم لقاءات ثنائية بين أعضاء المجتمع المدني والقطاعات المعنية للتداول حول مضامين المراجعة".into(),
                ],
            },
            AgendaItem {
                title: m("المجموعات الموضوعاتية", "Les groupes thématiques", "ⵜⵉⵔⴰⴱⴱⵓⵜⵉⵏ ⵜⵉⵙⵏⵜⵉⵍⵉⵏ"),
                presenter: MTDRA.into(),
                minutes: 60,
                discussion: "تقديم عرض تفصيلي يعرف بالمجموعات الموضوعاتية وأهدافها وبالتجارب الدولية (كينيا، غانا، ساحل العاج)، وعرض مقترحات ممثلي المجتمع المدني. تتألف كل مجموعة من تركيبة مختلطة تضم ممثلين عن القطاعات الحكومية المعنية وفاعلين من المجتمع المدني وخبراء أكاديميين، بتنسيق مشترك بين ممثل عن الإدارة وممثل عن المجتمع المدني. المواضيع الست المقترحة: الإعاقة والإدماج، الحكامة الرقمية والتقنيات الناشئة، المناخ والبيئة، الفضاء المدني والإطار التشريعي، العدالة المفتوحة، والشفافية والنزاهة.".into(),
                conclusions: vec![
                    "اعتماد مقاربة تدريبية بإحداث مجموعة واحدة أو اثنتين في المرحلة الأولى".into(),
                    "العضوية في المجموعات مفتوحة لفعاليات المجتمع المدني المختصة ولا تشترط الانتماء إلى لجنة الإشراف".into(),
                    "الدعوة إلى الإخبار المسبق عن عدم الحضور".into(),
                    "إعداد دليل عملي للمجموعات الموضوعاتية، وإسناد دور المسهل لقطاع إصلاح الإدارة".into(),
                ],
            },
        ],
        outcomes: vec![
            "رصد مقترحات المجتمع المدني حول الالتزامات التي يمكن مراجعتها".into(),
            "برمجة جلسات ثنائية بين القطاع المعني والمجتمع المدني من أجل التداول حول إمكانيات المراجعة".into(),
            "الإعلان عن الأعضاء المتغيبين عن أشغال الاجتماع".into(),
            "إعداد المجتمع المدني لورقة منهجية حول كيفية اشتغال المجموعات الموضوعاتية".into(),
        ],
        decisions: vec![Decision {
            text: "اعتماد منهجية مراجعة الخطة الوطنية الثالثة وبرمجتها الزمنية في ست مراحل".into(),
            kind: DecisionKind::Adopt,
            card: None,
            card_heads: Vec::new(),
        }],
        actions: vec![ActionItem {
            text: "إعداد ورقة منهجية حول كيفية اشتغال المجموعات الموضوعاتية".into(),
            owner: "ممثلو المجتمع المدني".into(),
            due: None,
            status: ActionStatus::Open,
        }],
    }
}

/// The minutes of the session, as the secretariat wrote them.
pub const MINUTES_AR: &str =
    include_str!("../../seed/steering-committee-minutes-2026-02-03.ar.txt");

/// Who a text of minutes in that shape lists: the participants' names
/// (without honorific) and the absent organisations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listed {
    pub names: Vec<String>,
    pub absent: Vec<String>,
}

/// Reads the participants and absences out of minutes shaped like
/// [`MINUTES_AR`] (administrations' people as `name، function` lines,
/// civil society's as `name الممثل …` lines, absent bodies as a list).
pub fn listed(minutes: &str) -> Listed {
    let part = |from: &str, to: &str| -> &str {
        let start = minutes.find(from).unwrap_or(0);
        let end = minutes[start..]
            .find(to)
            .map_or(minutes.len(), |e| start + e);
        &minutes[start..end]
    };
    let strip = |l: &str| -> String {
        l.trim()
            .trim_start_matches('-')
            .trim()
            .trim_start_matches("السيدة ")
            .trim_start_matches("السيد ")
            .trim()
            .to_owned()
    };
    let mut names: Vec<String> = part("المشاركون", "ممثلو المجتمع المدني")
        .lines()
        .filter(|l| l.contains('،'))
        .map(|l| strip(l.split('،').next().unwrap_or_default()))
        .collect();
    for l in part("ممثلو المجتمع المدني بلجنة الإشراف", "الغائبون عن الاجتماع")
        .lines()
        .filter(|l| l.trim_start().starts_with('-'))
    {
        let l = strip(l);
        let name = l
            .split(" الممثل")
            .next()
            .unwrap_or_default()
            .split(" نائب")
            .next()
            .unwrap_or_default()
            .trim();
        names.push(name.to_owned());
    }
    let absent = part("الغائبون عن الاجتماع", "1. التداول")
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('-'))
        .map(|l| {
            l.trim_start_matches('-')
                .trim()
                .trim_end_matches(['؛', '.'])
                .trim()
                .to_owned()
        })
        .collect();
    Listed { names, absent }
}
