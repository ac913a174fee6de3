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
  reasons_needed: () => ['يُعلَّل الرد بالعربية والفرنسية على الأقل', 'La réponse est motivée en arabe et en français au moins', 'ⴰⵔⵔⵓ ⵙ ⵜⵄⵔⴰⴱⵜ ⴷ ⵜⴼⵔⴰⵏⵙⵉⵙⵜ ⵓⴳⴳⴰⵔ'],
};
