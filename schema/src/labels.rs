//! The names of every field and choice of a card, and the validator's
//! messages, in Arabic, French and Amazigh (Tifinagh). The web app, the
//! exports and the validator all read them from here.
//!
//! The Amazigh strings are a first draft in IRCAM-style Standard Moroccan
//! Amazigh; they want a review by a translator (see the README).

use crate::lang::Lang;

/// `(key, ar, fr, zgh)`.
type Row = (&'static str, &'static str, &'static str, &'static str);

const LABELS: &[Row] = &[
    // Languages.
    ("lang.ar", "العربية", "Arabe", "ⵜⴰⵄⵔⴰⴱⵜ"),
    ("lang.fr", "الفرنسية", "Français", "ⵜⴰⴼⵔⴰⵏⵙⵉⵙⵜ"),
    ("lang.zgh", "الأمازيغية", "Amazighe", "ⵜⴰⵎⴰⵣⵉⵖⵜ"),
    // Card fields.
    (
        "card",
        "بطاقة الالتزام",
        "Fiche d'engagement",
        "ⵜⴰⴽⴰⵔⴹⴰ ⵏ ⵓⵙⵙⵓⴷⵓ",
    ),
    ("number", "رقم الالتزام (OGP)", "Numéro OGP", "ⵓⵟⵟⵓⵏ OGP"),
    ("axis", "محور الخطة", "Axe du plan", "ⴰⴳⵍⴰⵣ ⵏ ⵓⵖⴰⵡⴰⵙ"),
    (
        "group",
        "المجموعة الموضوعاتية",
        "Groupe thématique",
        "ⵜⴰⵔⴰⴱⴱⵓⵜ",
    ),
    ("title", "العنوان", "Titre", "ⴰⵣⵡⵍ"),
    ("summary", "وصف موجز", "Description brève", "ⴰⴳⵍⴰⵎ ⴰⵎⵥⵥⴰⵏ"),
    (
        "lead",
        "المؤسسة المسؤولة",
        "Institution responsable",
        "ⵜⴰⵙⵙⵉⵔⵜ ⵜⴰⵎⵙⵡⵓⵍⵜ",
    ),
    (
        "actors",
        "الفاعلون الداعمون",
        "Acteurs d'appui",
        "ⵉⵎⴷⵔⴰⵡⵏ ⵉⵎⴰⵡⴰⵙⵏ",
    ),
    ("start", "تاريخ البداية", "Date de début", "ⴰⵣⵎⵣ ⵏ ⵓⵙⵏⵜⵉ"),
    ("end", "تاريخ النهاية", "Date de fin", "ⴰⵣⵎⵣ ⵏ ⵜⴳⵉⵔⴰ"),
    (
        "problem",
        "الإشكالية (التحدي)",
        "Problème (défi)",
        "ⵜⴰⵎⵓⴽⵔⵉⵙⵜ",
    ),
    ("causes", "الأسباب", "Causes", "ⵜⵉⵎⵏⵜⵉⵍⵉⵏ"),
    (
        "baseline",
        "الوضعية المرجعية",
        "Situation de référence",
        "ⴰⴷⴷⴰⴷ ⵏ ⵓⵙⵏⵜⵉ",
    ),
    (
        "solution",
        "الحل المقترح (وصف الالتزام)",
        "Solution proposée (description de l'engagement)",
        "ⴰⴼⵙⵙⴰⵢ ⵉⵜⵜⵓⵙⵓⵎⵔⵏ",
    ),
    (
        "results",
        "النتائج المنتظرة",
        "Résultats attendus",
        "ⵜⵉⵢⴰⴼⵓⵜⵉⵏ ⵉⵜⵜⵓⵔⴰⵊⴰⵏ",
    ),
    (
        "contribution",
        "كيف يساهم في حل الإشكالية",
        "Comment il contribue à résoudre le problème",
        "ⵎⴰⵎⴽ ⴰⵔ ⵉⵜⵜⴰⵡⵙ ⴳ ⵓⴼⵙⵙⴰⵢ",
    ),
    (
        "values",
        "قيم الحكومة المنفتحة",
        "Valeurs OGP",
        "ⵉⵣⴰⵍⵏ ⵏ OGP",
    ),
    ("values.why", "التعليل", "Justification", "ⴰⵙⵏⵎⴽ"),
    (
        "activities",
        "الأنشطة (المراحل)",
        "Activités (jalons)",
        "ⵜⵉⵡⵓⵔⵉⵡⵉⵏ",
    ),
    ("activity", "النشاط", "Activité", "ⵜⴰⵡⵓⵔⵉ"),
    ("activity.title", "النشاط", "Activité", "ⵜⴰⵡⵓⵔⵉ"),
    (
        "activity.deliverable",
        "المُخرَج القابل للتحقق",
        "Livrable vérifiable",
        "ⴰⵢⴰⴼⵓ ⵉⵜⵜⵓⵙⵏⵇⴷⵏ",
    ),
    ("activity.start", "البداية", "Début", "ⴰⵙⵏⵜⵉ"),
    ("activity.end", "النهاية", "Fin", "ⵜⴰⴳⵉⵔⴰ"),
    (
        "activity.responsible",
        "الجهة المسؤولة",
        "Responsable",
        "ⴰⵎⵙⵡⵓⵍ",
    ),
    ("activity.status", "الحالة", "État", "ⴰⴷⴷⴰⴷ"),
    (
        "activity.evidence",
        "روابط الإثبات",
        "Liens de preuve",
        "ⵉⵣⴷⴰⵢⵏ ⵏ ⵜⵏⵣⴰⵔⵜ",
    ),
    ("indicators", "المؤشرات", "Indicateurs", "ⵉⵎⴰⵜⴰⵔⵏ"),
    ("indicator", "المؤشر", "Indicateur", "ⴰⵎⴰⵜⴰⵔ"),
    ("indicator.label", "المؤشر", "Indicateur", "ⴰⵎⴰⵜⴰⵔ"),
    ("indicator.kind", "النوع", "Type", "ⴰⵏⴰⵡ"),
    ("indicator.unit", "الوحدة", "Unité", "ⵜⴰⵢⵓⵏⵉⵜ"),
    (
        "indicator.baseline",
        "القيمة المرجعية",
        "Valeur de référence",
        "ⴰⵣⴰⵍ ⵏ ⵓⵙⵏⵜⵉ",
    ),
    ("indicator.target", "القيمة المستهدفة", "Cible", "ⵉⵙⵡⵉ"),
    (
        "indicator.verification",
        "وسائل التحقق",
        "Moyens de vérification",
        "ⵜⴰⵖⴰⵔⴰⵙⵜ ⵏ ⵓⵙⵏⵇⴷ",
    ),
    ("actor.organisation", "الهيئة", "Organisation", "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ"),
    ("actor.kind", "الصنف", "Catégorie", "ⴰⵏⴰⵡ"),
    ("actor.role", "الدور", "Rôle", "ⵜⴰⵎⵙⵎⴰⵔⵜ"),
    ("budget", "الميزانية", "Budget", "ⵜⴰⵙⵎⵉⴽⵙⵜ"),
    (
        "budget.amount",
        "المبلغ (درهم)",
        "Montant (MAD)",
        "ⴰⵣⵔⵔⵓⴼ (MAD)",
    ),
    (
        "budget.source",
        "مصدر التمويل",
        "Source de financement",
        "ⴰⵖⴱⴰⵍⵓ ⵏ ⵓⵙⵎⵡⵍ",
    ),
    ("budget.funded", "ممول", "Financé", "ⵉⵜⵜⵓⵙⵎⵡⵍ"),
    (
        "sdgs",
        "الارتباط بأهداف التنمية المستدامة والاستراتيجيات الوطنية",
        "Liens avec les ODD et les stratégies nationales",
        "ⵉⵙⵡⴰⵏ ⵏ ⵜⵏⴼⵍⵉⵜ ⵉⵜⵜⵎⵓⴳⴳⵓⵔⵏ",
    ),
    ("contacts", "جهات الاتصال", "Contacts", "ⵉⵎⵢⴰⵡⴰⴹⵏ"),
    (
        "contacts.government",
        "نقطة الاتصال الحكومية",
        "Point focal gouvernemental",
        "ⴰⵎⵢⴰⵡⴰⴹ ⵏ ⵜⵏⴱⴰⴹⵜ",
    ),
    (
        "contacts.civilSociety",
        "نظير المجتمع المدني",
        "Homologue de la société civile",
        "ⴰⵎⵢⴰⵡⴰⴹ ⵏ ⵓⵏⴰⵎⵓⵏ ⴰⵖⵔⵎⴰⵏ",
    ),
    ("contact.name", "الاسم", "Nom", "ⵉⵙⵎ"),
    ("contact.title", "الصفة", "Fonction", "ⵜⴰⵎⵙⵎⴰⵔⵜ"),
    (
        "contact.department",
        "المصلحة / القسم",
        "Service / direction",
        "ⵜⴰⵏⵎⵀⴰⵍⵜ",
    ),
    (
        "contact.email",
        "البريد الإلكتروني",
        "Courriel",
        "ⵜⵉⴱⵔⴰⵜ ⵜⴰⵍⵉⴽⵜⵔⵓⵏⵉⵜ",
    ),
    ("contact.phone", "الهاتف", "Téléphone", "ⴰⵜⵉⵍⵉⴼⵓⵏ"),
    (
        "proposals",
        "المقترحات المرتبطة (الاستشارة العمومية)",
        "Propositions liées (consultation publique)",
        "ⵉⵙⵓⵎⵔⵏ ⵉⵇⵇⵏⵏ",
    ),
    ("revision", "المراجعة", "Révision", "ⴰⵙⵏⵇⴷ"),
    ("revision.decision", "القرار", "Décision", "ⴰⵙⵖⵜⵙ"),
    (
        "revision.rationale",
        "تعليل القرار",
        "Justification de la décision",
        "ⵜⵉⵎⵏⵜⵉⵍⵉⵏ ⵏ ⵓⵙⵖⵜⵙ",
    ),
    (
        "revision.meeting",
        "الاجتماع الذي اتخذ فيه القرار",
        "Décidé en réunion du",
        "ⵜⴰⵎⵓⵏⵜ",
    ),
    (
        "assessment",
        "التقييم الذاتي للتنفيذ",
        "Auto-évaluation de la mise en œuvre",
        "ⴰⵙⴰⵙⵙⴰⵖ ⵏ ⵓⵙⵎⵔⵙ",
    ),
    (
        "assessment.completion",
        "مستوى الإنجاز",
        "Niveau d'achèvement",
        "ⴰⵙⵡⵉⵔ ⵏ ⵓⵙⵎⴷ",
    ),
    (
        "assessment.percent",
        "النسبة المئوية",
        "Pourcentage",
        "ⴰⵙⵜⵜⴰⵍ",
    ),
    ("assessment.narrative", "السرد", "Récit", "ⴰⵎⵙⵙⵓⵍⵍ"),
    ("assessment.evidence", "الإثباتات", "Preuves", "ⵜⵉⵏⵣⴰⵔⵉⵏ"),
    (
        "workflow",
        "مرحلة البطاقة",
        "Étape de la fiche",
        "ⴰⴷⴷⴰⴷ ⵏ ⵜⴽⴰⵔⴹⴰ",
    ),
    ("status", "حالة النص", "Statut du texte", "ⴰⴷⴷⴰⴷ ⵏ ⵓⴹⵔⵉⵚ"),
    // Choices.
    ("status.draft", "مسودة", "Brouillon", "ⴰⵣⵡⵉⵔ"),
    ("status.validated", "مُصادق عليه", "Validé", "ⵉⵜⵜⵓⵙⵖⵜⵙ"),
    ("value.transparency", "الشفافية", "Transparence", "ⵜⴰⴼⵔⴰⵡⵜ"),
    (
        "value.participation",
        "المشاركة المدنية",
        "Participation civique",
        "ⴰⵙⵎⵓⵜⵜⴳ ⴰⵖⵔⵎⴰⵏ",
    ),
    (
        "value.accountability",
        "المساءلة العمومية",
        "Redevabilité publique",
        "ⴰⵙⵉⵡⵍ ⴰⵎⴰⵜⴰⵢ",
    ),
    (
        "value.technology",
        "التكنولوجيا والابتكار",
        "Technologie et innovation",
        "ⵜⴰⵜⵉⴽⵏⵓⵍⵓⵊⵉⵜ ⴷ ⵓⵙⵏⵓⴼⵍ",
    ),
    ("value.inclusion", "الإدماج", "Inclusion", "ⴰⵙⵎⵓⵏ"),
    ("kind.government", "حكومي", "Gouvernement", "ⵜⴰⵏⴱⴰⴹⵜ"),
    (
        "kind.civil_society",
        "مجتمع مدني",
        "Société civile",
        "ⴰⵏⴰⵎⵓⵏ ⴰⵖⵔⵎⴰⵏ",
    ),
    ("kind.academic", "أكاديمي", "Universitaire", "ⴰⵙⴷⵓⵍⴰⵏ"),
    ("kind.private", "قطاع خاص", "Secteur privé", "ⴰⵏⵎⵓⵔ ⵓⵏⵥⵉⴹ"),
    (
        "kind.multilateral",
        "متعدد الأطراف",
        "Multilatéral",
        "ⴰⴳⴳⵜ ⵉⴳⵣⵣⴰⵎⵏ",
    ),
    ("kind.parliament", "البرلمان", "Parlement", "ⴰⴱⵔⵍⴰⵎⴰⵏ"),
    (
        "kind.local_government",
        "جماعة ترابية",
        "Collectivité territoriale",
        "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ ⵜⴰⴷⵖⵔⴰⵏⵜ",
    ),
    ("astatus.not_started", "لم ينطلق", "Non démarrée", "ⵓⵔ ⵜⴱⴷⵉ"),
    (
        "astatus.in_progress",
        "في طور الإنجاز",
        "En cours",
        "ⴳ ⵓⵙⵎⵔⵙ",
    ),
    ("astatus.done", "منجز", "Réalisée", "ⵜⵜⵓⵙⴽⴰⵔ"),
    ("astatus.delayed", "مؤجل", "Reportée", "ⵜⵜⵓⵙⵎⵎⵓⵜⵜⵉ"),
    ("ikind.quantitative", "كمي", "Quantitatif", "ⴰⵙⵎⴽⵜⴰⵢ"),
    ("ikind.qualitative", "نوعي", "Qualitatif", "ⴰⵙⵏⴰⵡⴰⵢ"),
    (
        "decision.keep",
        "الإبقاء عليه كما هو",
        "Maintenir tel quel",
        "ⴰⵃⵟⵟⵓ ⵎⴽ ⵉⵍⵍⴰ",
    ),
    ("decision.modify", "تعديل", "Modifier", "ⴰⵙⵏⴼⵍ"),
    (
        "decision.add_activities",
        "إضافة أنشطة",
        "Ajouter des activités",
        "ⴰⵔⵏⵓ ⵏ ⵜⵡⵓⵔⵉⵡⵉⵏ",
    ),
    (
        "decision.remove_activities",
        "حذف أنشطة",
        "Supprimer des activités",
        "ⴰⴽⴽⵙ ⵏ ⵜⵡⵓⵔⵉⵡⵉⵏ",
    ),
    (
        "decision.new",
        "التزام جديد",
        "Nouvel engagement",
        "ⴰⵙⵙⵓⴷⵓ ⴰⵎⴰⵢⵏⵓ",
    ),
    (
        "decision.drop",
        "التخلي عن الالتزام",
        "Abandonner l'engagement",
        "ⴰⴼⵙⵙⵔ ⵏ ⵓⵙⵙⵓⴷⵓ",
    ),
    (
        "completion.not_started",
        "لم ينطلق",
        "Non démarré",
        "ⵓⵔ ⵉⴱⴷⵉ",
    ),
    ("completion.limited", "محدود", "Limité", "ⵉⵜⵜⵓⵙⵡⵜⵜⴰ"),
    ("completion.substantial", "مهم", "Substantiel", "ⵉⵙⵙⵓⴷⵓ"),
    ("completion.complete", "مكتمل", "Achevé", "ⵉⵎⵎⴷ"),
    ("workflow.draft", "مسودة", "Brouillon", "ⴰⵣⵡⵉⵔ"),
    (
        "workflow.group_review",
        "مراجعة المجموعة",
        "Revue du groupe",
        "ⴰⵙⵏⵇⴷ ⵏ ⵜⵔⴰⴱⴱⵓⵜ",
    ),
    (
        "workflow.validated",
        "مصادق عليها من المنسقين",
        "Validée par les deux co-coordinateurs",
        "ⵜⵜⵓⵙⵖⵜⵙ ⵙⴳ ⵉⵎⵙⵏⴰⵡⵏ",
    ),
    (
        "workflow.adopted",
        "معتمدة من لجنة الإشراف",
        "Adoptée par le comité de pilotage",
        "ⵜⵜⵓⵙⵖⵜⵙ ⵙⴳ ⵓⵙⵇⵇⵉⵎ",
    ),
    ("workflow.published", "منشورة", "Publiée", "ⵜⵜⵓⵥⵕⴳ"),
    (
        "axis.transparency_participation",
        "الشفافية والمشاركة",
        "Transparence et participation",
        "ⵜⴰⴼⵔⴰⵡⵜ ⴷ ⵓⵙⵎⵓⵜⵜⴳ",
    ),
    (
        "axis.civic_space",
        "الفضاء المدني",
        "Espace civique",
        "ⴰⴳⵔⴰⵡ ⴰⵖⵔⵎⴰⵏ",
    ),
    (
        "axis.equal_access",
        "المساواة في الولوج والإدماج",
        "Égalité d'accès et inclusion",
        "ⵜⴰⴳⴷⴰⵢⵜ ⴳ ⵓⴽⵛⵛⵓⵎ ⴷ ⵓⵙⵎⵓⵏ",
    ),
    (
        "axis.open_justice",
        "العدالة المنفتحة",
        "Justice ouverte",
        "ⵜⴰⵏⵣⵣⴰⵔⵜ ⵜⴰⵕⵥⵎⴰⵏⵜ",
    ),
    (
        "axis.open_territories",
        "الجماعات الترابية المنفتحة",
        "Collectivités territoriales ouvertes",
        "ⵜⵉⵎⵙⵙⵓⴷⵙⵉⵏ ⵜⵉⴷⵖⵔⴰⵏⵉⵏ ⵜⵉⵕⵥⵎⴰⵏⵉⵏ",
    ),
    (
        "group.disability_inclusion",
        "الإعاقة والإدماج",
        "Handicap et inclusion",
        "ⵜⴰⵎⴰⵔⵓⵣⵜ ⴷ ⵓⵙⵎⵓⵏ",
    ),
    (
        "group.digital_governance",
        "الحكامة الرقمية والتقنيات الناشئة",
        "Gouvernance numérique et technologies émergentes",
        "ⴰⵙⵙⵏⵎⵍ ⴰⵏⵓⵎⴰⵏ ⴷ ⵜⵜⵉⴽⵏⵓⵍⵓⵊⵉⵢⵉⵏ ⵉⵎⴰⵢⵏⵓⵜⵏ",
    ),
    (
        "group.climate_environment",
        "المناخ والبيئة",
        "Climat et environnement",
        "ⴰⵏⵣⵡⵉ ⴷ ⵜⵡⵏⵏⴰⴹⵜ",
    ),
    (
        "group.civic_space",
        "الفضاء المدني والإطار التشريعي",
        "Espace civique et cadre législatif",
        "ⴰⴳⵔⴰⵡ ⴰⵖⵔⵎⴰⵏ ⴷ ⵓⵙⵎⵉⵍ ⴰⵏⵙⵙⵓⵔⵙ",
    ),
    (
        "group.open_justice",
        "العدالة المنفتحة",
        "Justice ouverte",
        "ⵜⴰⵏⵣⵣⴰⵔⵜ ⵜⴰⵕⵥⵎⴰⵏⵜ",
    ),
    (
        "group.transparency_integrity",
        "الشفافية والنزاهة",
        "Transparence et intégrité",
        "ⵜⴰⴼⵔⴰⵡⵜ ⴷ ⵜⵣⴷⴰⴳⵜ",
    ),
    // Validator messages: {field}, {n}, {lang} are filled in.
    (
        "issue.missing",
        "«{field}» غير معبأ",
        "« {field} » n'est pas renseigné",
        "«{field}» ⵓⵔ ⵉⵜⵜⵓⵙⵎⵖⵔ",
    ),
    (
        "issue.missing_text",
        "«{field}» بدون نص ب{lang}",
        "« {field} » n'a pas de texte en {lang}",
        "«{field}» ⵡⴰⵔ ⴰⴹⵔⵉⵚ ⵙ {lang}",
    ),
    (
        "issue.missing_number",
        "لم يُسند بعد رقم OGP",
        "Pas encore de numéro OGP",
        "ⵓⵔ ⵉⵍⵍⵉ ⵓⵟⵟⵓⵏ OGP",
    ),
    (
        "issue.bad_date",
        "«{field}» ليس تاريخا صحيحا (سنة-شهر-يوم)",
        "« {field} » n'est pas une date (AAAA-MM-JJ)",
        "«{field}» ⵓⵔ ⵉⴳⵉ ⴰⵣⵎⵣ",
    ),
    (
        "issue.end_before_start",
        "تاريخ النهاية يسبق تاريخ البداية",
        "La date de fin précède la date de début",
        "ⴰⵣⵎⵣ ⵏ ⵜⴳⵉⵔⴰ ⵉⵣⵡⵓⵔ ⴰⵣⵎⵣ ⵏ ⵓⵙⵏⵜⵉ",
    ),
    (
        "issue.no_core_value",
        "يجب اختيار قيمة واحدة على الأقل من: الشفافية، المشاركة المدنية، المساءلة العمومية",
        "Cochez au moins une valeur parmi : transparence, participation civique, redevabilité publique",
        "ⴼⵔⵏ ⵢⴰⵏ ⵓⵣⴰⵍ ⵙⴳ: ⵜⴰⴼⵔⴰⵡⵜ, ⴰⵙⵎⵓⵜⵜⴳ, ⴰⵙⵉⵡⵍ",
    ),
    (
        "issue.value_without_justification",
        "القيمة «{field}» بدون تعليل",
        "La valeur « {field} » n'est pas justifiée",
        "ⴰⵣⴰⵍ «{field}» ⵡⴰⵔ ⴰⵙⵏⵎⴽ",
    ),
    (
        "issue.no_activity",
        "لا يوجد أي نشاط",
        "Aucune activité",
        "ⵓⵔ ⵜⵍⵍⵉ ⴽⴰ ⵏ ⵜⵡⵓⵔⵉ",
    ),
    (
        "issue.activity_missing",
        "النشاط {n}: «{field}» غير معبأ",
        "Activité {n} : « {field} » n'est pas renseigné",
        "ⵜⴰⵡⵓⵔⵉ {n}: «{field}» ⵓⵔ ⵉⵜⵜⵓⵙⵎⵖⵔ",
    ),
    (
        "issue.activity_bad_date",
        "النشاط {n}: «{field}» ليس تاريخا صحيحا",
        "Activité {n} : « {field} » n'est pas une date",
        "ⵜⴰⵡⵓⵔⵉ {n}: «{field}» ⵓⵔ ⵉⴳⵉ ⴰⵣⵎⵣ",
    ),
    (
        "issue.activity_end_before_start",
        "النشاط {n}: النهاية تسبق البداية",
        "Activité {n} : la fin précède le début",
        "ⵜⴰⵡⵓⵔⵉ {n}: ⵜⴰⴳⵉⵔⴰ ⵜⵣⵡⵓⵔ ⴰⵙⵏⵜⵉ",
    ),
    (
        "issue.activity_outside",
        "النشاط {n} يتجاوز مدة الالتزام",
        "Activité {n} : hors des dates de l'engagement",
        "ⵜⴰⵡⵓⵔⵉ {n} ⵜⴼⴼⵖ ⴰⵣⵎⵣ ⵏ ⵓⵙⵙⵓⴷⵓ",
    ),
    (
        "issue.no_indicator",
        "لا يوجد أي مؤشر",
        "Aucun indicateur",
        "ⵓⵔ ⵉⵍⵍⵉ ⴽⴰ ⵏ ⵓⵎⴰⵜⴰⵔ",
    ),
    (
        "issue.no_qualitative_indicator",
        "لا يوجد مؤشر نوعي",
        "Aucun indicateur qualitatif",
        "ⵓⵔ ⵉⵍⵍⵉ ⵓⵎⴰⵜⴰⵔ ⴰⵙⵏⴰⵡⴰⵢ",
    ),
    (
        "issue.indicator_missing",
        "المؤشر {n}: «{field}» غير معبأ",
        "Indicateur {n} : « {field} » n'est pas renseigné",
        "ⴰⵎⴰⵜⴰⵔ {n}: «{field}» ⵓⵔ ⵉⵜⵜⵓⵙⵎⵖⵔ",
    ),
    (
        "issue.no_actor",
        "لا يوجد فاعل داعم (موصى به)",
        "Aucun acteur d'appui (recommandé)",
        "ⵓⵔ ⵉⵍⵍⵉ ⵓⵎⴷⵔⴰⵡ ⴰⵎⴰⵡⴰⵙ",
    ),
    (
        "issue.contact_missing",
        "{field} غير معبأ",
        "{field} n'est pas renseigné",
        "{field} ⵓⵔ ⵉⵜⵜⵓⵙⵎⵖⵔ",
    ),
    (
        "issue.bad_email",
        "{field}: البريد الإلكتروني غير صحيح",
        "{field} : courriel invalide",
        "{field}: ⵜⴰⵏⵙⴰ ⵓⵔ ⵜⵚⵃⵉⵃ",
    ),
    (
        "issue.no_decision",
        "لم يُتخذ قرار المراجعة",
        "Pas de décision de révision",
        "ⵓⵔ ⵉⵍⵍⵉ ⵓⵙⵖⵜⵙ ⵏ ⵓⵙⵏⵇⴷ",
    ),
    (
        "issue.unknown_choice",
        "«{field}»: اختيار غير معروف",
        "« {field} » : choix inconnu",
        "«{field}»: ⴰⵙⵜⴰⵢ ⵓⵔ ⵉⵜⵜⵓⵙⵙⵏⵏ",
    ),
    (
        "issue.newer_schema",
        "هذه البطاقة كُتبت بنسخة أحدث من التطبيق",
        "Cette fiche vient d'une version plus récente de l'application",
        "ⵜⴰⴽⴰⵔⴹⴰ ⴰⴷ ⵜⵜⵓⵙⴽⴰⵔ ⵙ ⵜⵓⵏⵖⵍⵜ ⵜⴰⵎⴰⵢⵏⵓⵜ",
    ),
    // Export.
    (
        "export.complete",
        "البطاقة مكتملة",
        "La fiche est complète",
        "ⵜⴰⴽⴰⵔⴹⴰ ⵜⵎⵎⴷ",
    ),
    (
        "export.incomplete",
        "ما ينقص البطاقة",
        "Ce qui manque à la fiche",
        "ⵎⴰⴷ ⵉⵅⵚⵚⴰⵏ ⵜⴰⴽⴰⵔⴹⴰ",
    ),
    (
        "export.untranslated",
        "غير مترجم",
        "non traduit",
        "ⵓⵔ ⵉⵜⵜⵓⵙⵓⵖⵍ",
    ),
    ("export.yes", "نعم", "Oui", "ⵢⴰⵀ"),
    ("export.no", "لا", "Non", "ⵓⵀⵓ"),
];

/// The label of `key` in `lang`, or the key itself if there is none.
pub fn label(key: &str, lang: Lang) -> &str {
    LABELS
        .iter()
        .find(|r| r.0 == key)
        .map(|r| match lang {
            Lang::Ar => r.1,
            Lang::Fr => r.2,
            Lang::Zgh => r.3,
        })
        .unwrap_or(key)
}

/// Every label in `lang`, for the web app.
pub fn all(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    LABELS
        .iter()
        .map(|r| (r.0.to_string(), label(r.0, lang).into()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_exists_in_every_language_and_keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in LABELS {
            assert!(seen.insert(r.0), "duplicate label {}", r.0);
            assert!(
                !r.1.is_empty() && !r.2.is_empty() && !r.3.is_empty(),
                "{}",
                r.0
            );
            // Amazigh labels are in Tifinagh (U+2D30..U+2D7F), Latin only for acronyms.
            assert!(
                r.3.chars().any(|c| ('\u{2D30}'..='\u{2D7F}').contains(&c)) || r.3.starts_with('{'),
                "{} has no Tifinagh",
                r.0
            );
            assert!(
                r.1.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) || r.1.starts_with('{'),
                "{}",
                r.0
            );
        }
    }

    #[test]
    fn every_choice_has_a_label() {
        use crate::card::*;
        let keys = VALUES
            .iter()
            .map(|v| format!("value.{v}"))
            .chain(ACTOR_KINDS.iter().map(|v| format!("kind.{v}")))
            .chain(ACTIVITY_STATUSES.iter().map(|v| format!("astatus.{v}")))
            .chain(INDICATOR_KINDS.iter().map(|v| format!("ikind.{v}")))
            .chain(DECISIONS.iter().map(|v| format!("decision.{v}")))
            .chain(COMPLETIONS.iter().map(|v| format!("completion.{v}")))
            .chain(WORKFLOW.iter().map(|v| format!("workflow.{v}")))
            .chain(TEXT_STATUSES.iter().map(|v| format!("status.{v}")))
            .chain(AXES.iter().map(|v| format!("axis.{v}")))
            .chain(
                crate::workspace::GROUPS
                    .iter()
                    .map(|v| format!("group.{v}")),
            )
            .chain(TEXT_SECTIONS.iter().map(|v| v.to_string()));
        for k in keys {
            assert!(LABELS.iter().any(|r| r.0 == k), "no label for {k}");
        }
    }
}
