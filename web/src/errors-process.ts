// The revision process's refusals in Arabic, French and Amazigh (merged
// into errors.ts).

type Words = readonly [string, string, string];
type Params = Record<string, unknown>;

export const processWords: Record<string, (p: Params) => Words> = {
  proposals_rate_limited: (p) => [
    `لا يمكن إرسال أكثر من ${p.per_hour ?? 5} مقترحات في الساعة من العنوان نفسه: أعد المحاولة لاحقا`,
    `Au plus ${p.per_hour ?? 5} propositions par heure depuis une même adresse : réessayez plus tard`,
    `${p.per_hour ?? 5} ⵏ ⵉⵙⵓⵎⵔⵏ ⵉ ⵜⵙⵔⴰⴳⵜ ⵓⴳⴳⴰⵔ: ⴰⵍⵙ ⴷⴼⴼⵉⵔ`,
  ],
  no_such_proposal: () => ['لا يوجد مقترح بهذا الرمز', 'Aucune proposition ne porte ce code', 'ⵓⵔ ⵉⵍⵍⵉ ⵓⵙⵓⵎⵔ ⵙ ⵜⵏⴳⵉⵍⵜ ⴰ'],
  not_assigned: () => ['لم يُسند المقترح إلى مجموعة بعد', 'La proposition n’est pas encore confiée à un groupe', 'ⴰⵙⵓⵎⵔ ⵓⵔ ⵉⵜⵜⵓⴼⴽⴰ ⵉ ⵜⵔⴰⴱⴱⵓⵜ'],
  no_such_round: () => ['لا توجد جولة تقييم بهذا المعرف', 'Aucun tour de notation ne porte cet identifiant', 'ⵓⵔ ⵉⵍⵍⵉ ⵓⵣⵡⵉ ⵏ ⵓⵙⵙⵉⴼⴹ'],
  round_open: () => ['تبقى النقط سرية إلى أن تغلق الجولة', 'Les notes restent confidentielles jusqu’à la clôture du tour', 'ⵜⵉⵏⵇⵉⴹⵉⵏ ⴼⴼⵔⵏⵜ ⴰⵔ ⴰⴷ ⵉⵎⴷⵍ ⵓⵣⵡⵉ'],
  round_closed: () => ['أغلقت جولة التقييم', 'Le tour de notation est clos', 'ⵉⵎⴷⵍ ⵓⵣⵡⵉ ⵏ ⵓⵙⵙⵉⴼⴹ'],
  bad_score: (p) => [
    `أجب عن ${p.gates ?? ''} شروط وضع نقطة من 0 إلى 4 لكل معيار من ${p.criteria ?? ''} معايير`,
    `Répondez aux ${p.gates ?? ''} conditions et notez de 0 à 4 chacun des ${p.criteria ?? ''} critères`,
    `ⵔⴰⵔ ⵖⴼ ${p.gates ?? ''} ⵏ ⵜⵡⵜⵜⴰⵍⵉⵏ ⴷ 0-4 ⵉ ${p.criteria ?? ''} ⵏ ⵉⵙⵡⵉⵔⵏ`,
  ],
  consultation_closed: () => ['المشاورة العمومية حول المشروع غير مفتوحة حاليا', 'La consultation publique sur le projet n’est pas ouverte', 'ⴰⵎⵙⴰⵡⴰⵍ ⴰⵎⴰⵜⴰⵢ ⵓⵔ ⵉⵕⵥⵎ'],
  bad_line: (p) => [`السطر ${p.line ?? ''} من الملف: ${p.why ?? ''}`, `Ligne ${p.line ?? ''} du fichier : ${p.why ?? ''}`, `ⵉⵣⵔⵉ ${p.line ?? ''}: ${p.why ?? ''}`],
  reasons_needed: () => ['يُعلَّل الرد بالعربية والفرنسية على الأقل', 'La réponse est motivée en arabe et en français au moins', 'ⴰⵔⵔⵓ ⵙ ⵜⵄⵔⴰⴱⵜ ⴷ ⵜⴼⵔⴰⵏⵙⵉⵙⵜ ⵓⴳⴳⴰⵔ'],
};
