// The review API's refusals in Arabic, French and Amazigh (merged into
// errors.ts): codes and parameters from the server, worded here.

import { meetingWho } from './errors-meetings';

type Words = readonly [string, string, string];
type Params = Record<string, unknown>;

const STAGES: Record<string, Words> = {
  draft: ['مسودة', 'brouillon', 'ⴰⵣⵡⵉⵔ'],
  group_review: ['قيد مراجعة المجموعة', 'en revue', 'ⴳ ⵓⵙⵙⵉⴼⴹ'],
  validated: ['مصادق عليها', 'validée', 'ⵜⵜⵓⵙⴷⵓⵙ'],
  adopted: ['معتمدة', 'adoptée', 'ⵜⵜⵓⵙⵏⴼⵍ'],
  published: ['منشورة', 'publiée', 'ⵜⵜⵓⵥⵕⴳ'],
};

const WHO: Record<string, Words> = {
  co_coordinators: ['منسقو المجموعة', 'la co-coordination du groupe', 'ⵉⵎⵙⵏⴰⵡⵏ ⵏ ⵜⵔⴰⴱⴱⵓⵜ'],
  co_coordinators_or_committee: ['المنسقون أو اللجنة', 'la co-coordination ou le comité', 'ⵉⵎⵙⵏⴰⵡⵏ ⵏⵖ ⴰⴽⵓⵎⵉⵜⵉ'],
  writers: ['أعضاء المجموعة ومنسقوها', 'les membres et la co-coordination', 'ⵉⴳⵎⴰⴹⵏ ⴷ ⵉⵎⵙⵏⴰⵡⵏ'],
  committee: ['لجنة القيادة', 'le comité de pilotage', 'ⴰⴽⵓⵎⵉⵜⵉ ⵏ ⵓⵏⵀⵔ'],
  secretariat: ['كتابة لجنة القيادة', 'le secrétariat du comité', 'ⵜⴰⵏⴰⵎⵓⵙⵜ ⵏ ⵓⴽⵓⵎⵉⵜⵉ'],
  ...meetingWho,
};

const stage = (p: Params, i: number) => STAGES[String(p.stage ?? p.to ?? '')]?.[i] ?? String(p.stage ?? '');

export const reviewWords: Record<string, (p: Params) => Words> = {
  forbidden: (p) => {
    const w = WHO[String(p.who ?? '')];
    return w
      ? [`هذا الإجراء مخصص لـ${w[0]}`, `Seul·e·s ${w[1]} peuvent faire cela`, `ⵖⴰⵙ ${w[2]} ⴰⵢ ⵉⵣⵎⵔⵏ ⴰⴷ ⵙⴽⵔⵏ ⴰⵢⴰ`]
      : ['ليس لديك الحق في القيام بهذا', "Vous n'avez pas le droit de faire cela", 'ⵓⵔ ⵜⵣⵎⵔⴷ ⴰⴷ ⵜⵙⴽⵔⴷ ⴰⵢⴰ'];
  },
  no_such_move: (p) => [
    `لا يمكن نقل البطاقة من «${STAGES[String(p.from)]?.[0] ?? p.from}» إلى «${STAGES[String(p.to)]?.[0] ?? p.to}»`,
    `Une fiche ne peut pas passer de « ${STAGES[String(p.from)]?.[1] ?? p.from} » à « ${STAGES[String(p.to)]?.[1] ?? p.to} »`,
    `ⵓⵔ ⵜⵣⵎⵔ ⵜⴽⴰⵔⴹⴰ ⴰⴷ ⵜⵣⵔⵉ ⵙⴳ ${STAGES[String(p.from)]?.[2] ?? p.from} ⵖⵔ ${STAGES[String(p.to)]?.[2] ?? p.to}`,
  ],
  needs_approvals: () => [
    'تتم المصادقة على البطاقة بموافقة المنسقين الاثنين، لا بتغيير المرحلة',
    'Une fiche est validée par l’approbation des deux co-coordinateur·rice·s, pas par un changement d’étape',
    'ⵜⴰⴽⴰⵔⴹⴰ ⵜⵜⵓⵙⴷⵓⵙ ⵙ ⵓⵙⴷⵓⵙ ⵏ ⵙⵉⵏ ⵉⵎⵙⵏⴰⵡⵏ',
  ],
  reason_needed: () => ['يجب ذكر سبب الإرجاع إلى المسودة', 'Indiquez le motif du retour en brouillon', 'ⵉⵇⵇⴰⵏ ⵓⵙⵎⵉⵍ ⵏ ⵜⵎⵏⵜⵉⵍⵜ'],
  not_in_review: (p) => [
    `البطاقة ${stage(p, 0)}: المصادقة تتم خلال مراجعة المجموعة`,
    `La fiche est ${stage(p, 1)} : les approbations se font pendant la revue du groupe`,
    `ⵜⴰⴽⴰⵔⴹⴰ ${stage(p, 2)}: ⴰⵙⴷⵓⵙ ⴳ ⵓⵙⵙⵉⴼⴹ ⵏ ⵜⵔⴰⴱⴱⵓⵜ`,
  ],
  already_approved: () => ['سبق أن صادقت على هذه الصيغة', 'Vous avez déjà approuvé cette version', 'ⵜⵙⴷⵓⵙⴷ ⵜⴰⵍⵖⴰ ⴰ'],
  stale_version: () => [
    'تغيّرت البطاقة منذ الصيغة التي صادقت عليها: اطلع على الفرق ثم صادق من جديد',
    'La fiche a changé depuis la version que vous approuviez : regardez les différences et approuvez à nouveau',
    'ⵜⴰⴽⴰⵔⴹⴰ ⵜⵜⵓⵙⵏⴼⵍ: ⵥⵕ ⵉⵎⵣⴰⵔⴰⵢⵏ ⵙⴷⵓⵙ ⴷⴰ ⵉⵙⵏⵜ',
  ],
  incomplete: (p) => [
    `ينقص ${p.missing ?? ''} عنصرا إلزاميا: أكملها قبل المصادقة`,
    `${p.missing ?? ''} éléments obligatoires manquent : complétez-les avant d’approuver`,
    `${p.missing ?? ''} ⵏ ⵉⴼⵔⴷⵉⵙⵏ ⵉⵅⵚⵚⴰⵏ`,
  ],
  approver_sector: () => [
    'تأتي المصادقتان من منسق(ة) عن الإدارة ومنسق(ة) عن المجتمع المدني',
    'Les approbations viennent d’un·e co-coordinateur·rice de l’administration et d’un·e de la société civile',
    'ⵉⵙⴷⵓⵙⵏ ⵙⴳ ⵜⵏⴱⴰⴹⵜ ⴷ ⵓⵏⴰⵎⵓⵏ ⴰⵖⵔⵎⴰⵏ',
  ],
  no_approval: () => ['ليست لديك مصادقة على هذه البطاقة', 'Vous n’avez pas d’approbation sur cette fiche', 'ⵓⵔ ⵜⵙⴷⵓⵙⴷ ⵜⴰⴽⴰⵔⴹⴰ ⴰ'],
  card_locked: (p) => [
    `البطاقة ${stage(p, 0)}: لا يتغير نصها قبل إرجاعها إلى المسودة`,
    `La fiche est ${stage(p, 1)} : son texte ne change pas avant son retour en brouillon`,
    `ⵜⴰⴽⴰⵔⴹⴰ ${stage(p, 2)}: ⴰⴹⵔⵉⵚ ⵏⵏⵙ ⵉⵇⵇⵏ`,
  ],
  unknown_version: () => ['هذه الصيغة غير موجودة', 'Cette version n’existe pas', 'ⵜⴰⵍⵖⴰ ⴰ ⵓⵔ ⵜⵍⵍⵉ'],
  unknown_heads: () => [
    'هذه النقطة ليست من تاريخ هذه البطاقة',
    'Ce point n’appartient pas à l’historique de cette fiche',
    'ⵜⴰⵏⵇⵇⵉⴹⵜ ⴰ ⵓⵔ ⵜⵍⵍⵉ ⴳ ⵓⵎⵣⵔⵓⵢ ⵏ ⵜⴽⴰⵔⴹⴰ ⴰ',
  ],
  no_such_field: (p) => [
    `الحقل ${p.field ?? ''} غير موجود في البطاقة الآن`,
    `Le champ ${p.field ?? ''} n’existe plus dans la fiche`,
    `ⴰⵙⵎⵍ ${p.field ?? ''} ⵓⵔ ⵉⵍⵍⵉ`,
  ],
  busy: () => ['تغيرت مراجعة البطاقة عدة مرات في الأثناء: أعد المحاولة', 'La revue de la fiche a changé plusieurs fois entre-temps : réessayez', 'ⴰⵍⵙ ⴷⴰ ⵉⵙⵏⵜ'],
  storage: () => ['تعذر الوصول إلى التخزين: أعد المحاولة', 'Le stockage est indisponible : réessayez', 'ⴰⵃⵟⵟⵓ ⵓⵔ ⵉⵍⵍⵉ: ⴰⵍⵙ'],
  not_found: () => ['غير موجود', 'Introuvable', 'ⵓⵔ ⵉⵍⵍⵉ'],
  bad_request: () => ['طلب غير صالح', 'Requête invalide', 'ⵜⵓⵜⵔⴰ ⵓⵔ ⵉⵚⵃⵉⵃⵏ'],
};
