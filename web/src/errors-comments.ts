// The comments API's refusals in Arabic, French and Amazigh (merged into
// errors.ts): codes and parameters from the server, worded here.

type Words = readonly [string, string, string];
type Params = Record<string, unknown>;

const RULES: Record<string, Words> = {
  not_reader: ['التعليق متاح لمن يمكنه قراءة البطاقة', 'Seules les personnes qui lisent la fiche la commentent', 'ⵖⴰⵙ ⵡⵉⵏ ⵖⵔⵏ ⵜⴰⴽⴰⵔⴹⴰ ⴰⵢ ⵉⵣⵎⵔⵏ ⴰⴷ ⵡⵏⵏⵉⵏ'],
  not_writer: ['الاقتراحات لأعضاء المجموعة ومنسقيها؛ يمكنك التعليق', 'Les suggestions sont réservées aux membres et à la co-coordination ; vous pouvez commenter', 'ⵉⵙⵓⵎⵓⵔⵏ ⵉ ⵉⴳⵎⴰⴹⵏ; ⵜⵣⵎⵔⴷ ⴰⴷ ⵜⵡⵏⵏⵉⴷ'],
  not_author: ['لا يعدل التعليق أو يحذفه إلا كاتبه', 'Seul·e l’auteur·rice modifie ou supprime un commentaire', 'ⵖⴰⵙ ⴰⵎⴰⵔⴰⵢ ⴰⵢ ⵉⵣⵎⵔⵏ ⴰⴷ ⵉⵙⵏⴼⵍ ⴰⵡⵏⵏⵉ'],
  not_decider: ['يقبل الاقتراح أو يرفضه منسقو المجموعة أو صاحبه', 'Seuls la co-coordination et l’auteur·rice décident d’une suggestion', 'ⵖⴰⵙ ⵉⵎⵙⵏⴰⵡⵏ ⴷ ⴱⵓ ⵓⵙⵓⵎⵔ ⴰⵢ ⵉⵜⵜⴳⵣⵎⵏ'],
  not_resolver: ['يغلق النقاش أعضاء المجموعة أو من فتحه', 'Seuls les membres et l’auteur·rice du fil le résolvent', 'ⵖⴰⵙ ⵉⴳⵎⴰⴹⵏ ⴷ ⴱⵓ ⵓⵎⵙⴰⵡⴰⵍ ⴰⵢ ⵜ ⵉⴼⵙⵙⵔⵏ'],
};

const STATUS: Record<string, Words> = {
  accepted: ['مقبول', 'acceptée', 'ⵉⵜⵜⵓⵇⴱⵍ'],
  rejected: ['مرفوض', 'refusée', 'ⵉⵜⵜⵓⴳⴰⵢ'],
  resolved: ['تم حله', 'résolue', 'ⵉⵜⵜⵓⴼⵙⵙⵔ'],
  open: ['مفتوح', 'ouverte', 'ⵉⵕⵥⵎ'],
};

const WHY: Record<string, Words> = {
  not_text: ['يجب أن يكون المقطع من نص', 'le passage doit être dans un texte', 'ⴰⵃⵔⵉⵛ ⵉⵇⵇⴰⵏ ⴳ ⵓⴹⵔⵉⵚ'],
  not_row: ['هذا ليس صفا من جدول', 'ce n’est pas une ligne de tableau', 'ⵡⴰ ⵓⵔ ⵉⴳⵉ ⴰⵣⵔⵉⵔⴳ'],
  out_of_range: ['المقطع خارج النص', 'le passage sort du texte', 'ⴰⵃⵔⵉⵛ ⴱⵕⵕⴰ ⵏ ⵓⴹⵔⵉⵚ'],
  passage_size: ['حدد حرفا واحدا على الأقل', 'choisissez au moins un caractère', 'ⴼⵔⵏ ⵢⴰⵏ ⵓⵙⴽⴽⵉⵍ ⵓⴳⴳⴰⵔ'],
};

export const commentWords: Record<string, (p: Params) => Words> = {
  comment_forbidden: (p) => RULES[String(p.rule ?? '')] ?? RULES.not_reader,
  not_suggestion: () => ['هذا ليس اقتراحا', 'Ce n’est pas une suggestion', 'ⵡⴰ ⵓⵔ ⵉⴳⵉ ⴰⵙⵓⵎⵔ'],
  already_decided: (p) => {
    const s = STATUS[String(p.status ?? '')] ?? STATUS.accepted;
    return [`سبق البت في الاقتراح: ${s[0]}`, `La suggestion est déjà ${s[1]}`, `ⴰⵙⵓⵎⵔ ⵉⵜⵜⵓⴳⵣⵎ: ${s[2]}`];
  },
  unknown_mention: (p) => [
    `@${p.name ?? ''} ليس(ت) عضوا في المجموعة`,
    `@${p.name ?? ''} n’est pas membre du groupe`,
    `@${p.name ?? ''} ⵓⵔ ⵉⴳⵉ ⴰⴳⵎⴰⴹ ⵏ ⵜⵔⴰⴱⴱⵓⵜ`,
  ],
  no_such_thread: () => ['هذا النقاش غير موجود', 'Cette discussion n’existe pas', 'ⴰⵎⵙⴰⵡⴰⵍ ⴰ ⵓⵔ ⵉⵍⵍⵉ'],
  no_such_comment: () => ['هذا التعليق غير موجود', 'Ce commentaire n’existe pas', 'ⴰⵡⵏⵏⵉ ⴰ ⵓⵔ ⵉⵍⵍⵉ'],
  passage_deleted: () => ['حُذف المقطع: لا يمكن تطبيق الاقتراح', 'Le passage a été supprimé : la suggestion ne s’applique plus', 'ⴰⵃⵔⵉⵛ ⵉⵜⵜⵓⴽⴽⵙ'],
  suggestion_stale: () => [
    'تغير المقطع منذ الاقتراح: لم يطبق، ويمكن قراءته دائما',
    'Le passage a changé depuis la suggestion : elle n’est pas appliquée, et reste lisible',
    'ⴰⵃⵔⵉⵛ ⵉⵜⵜⵓⵙⵏⴼⵍ: ⴰⵙⵓⵎⵔ ⵓⵔ ⵉⵜⵜⵓⵙⵎⵔⵙ',
  ],
  bad_anchor: (p) => {
    const w = WHY[String(p.why ?? '')] ?? WHY.out_of_range;
    return [`مرجع غير صالح: ${w[0]}`, `Ancre invalide : ${w[1]}`, `ⴰⵙⵖⵓⵏ ⵓⵔ ⵉⵚⵃⵉⵃⵏ: ${w[2]}`];
  },
  too_many_threads: (p) => [
    `عدد كبير من النقاشات (${p.max ?? ''} على الأكثر)`,
    `Trop de discussions (${p.max ?? ''} au plus)`,
    `ⴰⵟⵟⴰⵙ ⵏ ⵉⵎⵙⴰⵡⴰⵍⵏ (${p.max ?? ''})`,
  ],
  empty_comment: () => ['اكتب نص التعليق', 'Écrivez le commentaire', 'ⴰⵔⵓ ⴰⵡⵏⵏⵉ'],
  bad_webhook_url: () => ['العنوان يبدأ بـ https:// أو http://', 'L’adresse commence par https:// ou http://', 'ⴰⵏⵙⴰ ⵉⴱⴷⴷⵓ ⵙ https://'],
  too_many_webhooks: (p) => [
    `عدد كبير من الروابط (${p.max ?? ''} على الأكثر)`,
    `Trop de webhooks (${p.max ?? ''} au plus)`,
    `ⴰⵟⵟⴰⵙ ⵏ ⵉⵙⵖⵓⵏⵏ (${p.max ?? ''})`,
  ],
};
