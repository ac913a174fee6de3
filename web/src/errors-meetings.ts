// The meetings API's refusals in Arabic, French and Amazigh (merged into
// errors.ts): codes and parameters from the server, worded here.

type Words = readonly [string, string, string];
type Params = Record<string, unknown>;

const STATUS: Record<string, Words> = {
  scheduled: ['مبرمج ولم يبدأ بعد', 'programmée et pas encore commencée', 'ⵉⵜⵜⵓⵙⵖⵉⵡⵙ, ⵓⵔ ⵉⴱⴷⵉ'],
  in_progress: ['جارٍ', 'en cours', 'ⵉⵜⵜⴻⴷⴷⵓ'],
  ended: ['انتهى', 'terminée', 'ⵉⴽⵎⵍ'],
  published: ['محضره منشور', 'au procès-verbal publié', 'ⴰⵎⵣⵔⵓⵢ ⵏⵏⵙ ⵉⵜⵜⵓⵥⵕⴳ'],
  correcting: ['قيد تصحيح المحضر', 'en correction du procès-verbal', 'ⴳ ⵓⵙⵖⵓⴷⵓ'],
};

const WHAT: Record<string, Words> = {
  'agenda items': ['نقاط جدول الأعمال', 'points de l’ordre du jour', 'ⵜⵉⵏⵇⵉⴹⵉⵏ'],
  invitees: ['المدعوين', 'invité·e·s', 'ⵉⵏⵖⵓⵔⴰ'],
  decisions: ['القرارات', 'décisions', 'ⵉⵙⵡⵓⵔⵉⵏ'],
  'action items': ['المهام', 'actions', 'ⵜⵉⵡⵓⵔⵉⵡⵉⵏ'],
  'linked cards and proposals': ['البطاقات والمقترحات المرتبطة', 'fiches et propositions liées', 'ⵜⵉⴽⴰⵔⴹⵉⵡⵉⵏ ⴷ ⵉⵙⵓⵎⵔⵏ'],
};

const s = (p: Params, k: string) => String(p[k] ?? '');

export const meetingWords: Record<string, (p: Params) => Words> = {
  title_needed: () => ['للاجتماع عنوان بلغة واحدة على الأقل', 'Une réunion a un titre dans au moins une langue', 'ⴰⵎⵙⵉⵡⴹ ⵖⵓⵔⵙ ⴰⵣⵡⵍ ⴳ ⵢⴰⵜ ⵜⵓⵜⵍⴰⵢⵜ ⵓⴳⴳⴰⵔ'],
  date_needed: () => ['أدخل تاريخا صحيحا', 'Indiquez une date valide', 'ⵙⴽⵛⵎ ⴰⵣⵎⵣ ⵉⵚⵃⴰⵏ'],
  bad_time: () => ['أدخل ساعة صحيحة (س:د)', 'Indiquez une heure valide (hh:mm)', 'ⵙⴽⵛⵎ ⵜⴰⵙⵔⴰⴳⵜ ⵉⵚⵃⴰⵏ'],
  bad_link: () => ['رابط الاجتماع يبدأ بـ https://', 'Le lien de la réunion commence par https://', 'ⴰⵙⵖⵓⵏ ⵏ ⵓⵎⵙⵉⵡⴹ ⵉⵜⵜⴱⴷⵓ ⵙ https://'],
  item_title_needed: (p) => [`للنقطة ${s(p, 'item')} من جدول الأعمال عنوان`, `Le point ${s(p, 'item')} de l’ordre du jour a besoin d’un titre`, `ⵜⵉⵏⵇⵉⴹⵜ ${s(p, 'item')} ⵜⵅⵚⵚⴰ ⴰⵣⵡⵍ`],
  bad_duration: (p) => [
    `مدة النقطة ${s(p, 'item')} بين 1 و${s(p, 'max')} دقيقة`,
    `La durée du point ${s(p, 'item')} va de 1 à ${s(p, 'max')} minutes`,
    `ⵜⴰⵣⵣⵉⴳⵣⵜ ⵏ ⵜⵏⵇⵉⴹⵜ ${s(p, 'item')} ⵙⴳ 1 ⴰⵔ ${s(p, 'max')} ⵜⵓⵙⴷⵉⴷⵉⵏ`,
  ],
  agenda_overlap: (p) => [
    `تبدأ النقطة ${s(p, 'item')} قبل انتهاء النقطة ${s(p, 'previous')}`,
    `Le point ${s(p, 'item')} commence avant la fin du point ${s(p, 'previous')}`,
    `ⵜⵉⵏⵇⵉⴹⵜ ${s(p, 'item')} ⵜⴱⴷⴷⴰ ⵇⴱⵍ ⴰⴷ ⵜⴽⵎⵍ ${s(p, 'previous')}`,
  ],
  outside_body: (p) => [
    `${s(p, 'name')} ليس من أعضاء هذه الهيئة`,
    `${s(p, 'name')} ne fait pas partie de cette instance`,
    `${s(p, 'name')} ⵓⵔ ⵉⴳⵉ ⴰⴳⵎⴰⴹ ⵏ ⵜⵓⵙⵙⵉⵙⵜ ⴰ`,
  ],
  too_many: (p) => {
    const w = WHAT[s(p, 'what')] ?? ['', '', ''];
    return [`${s(p, 'max')} ${w[0]} على الأكثر`, `${s(p, 'max')} ${w[1]} au plus`, `${s(p, 'max')} ${w[2]} ⵓⴳⴳⴰⵔ`];
  },
  not_invited: () => ['لست مدعوا إلى هذا الاجتماع', 'Vous n’êtes pas invité·e à cette réunion', 'ⵓⵔ ⵜⵜⵓⵖⵔⴰⴷ ⵖⵔ ⵓⵎⵙⵉⵡⴹ ⴰ'],
  already_begun: () => [
    'بدأ الاجتماع: يُعلن عن الغياب قبل بدايته',
    'La réunion a commencé : une absence s’annonce avant son début',
    'ⵉⴱⴷⴰ ⵓⵎⵙⵉⵡⴹ: ⴰⵎⵓⵔⵙ ⵉⵜⵜⵓⵙⵙⵏⵖⵎⴰⵙ ⵇⴱⵍ ⵏ ⵓⵙⵏⵜⵉ',
  ],
  wrong_status: (p) => {
    const w = STATUS[s(p, 'status')] ?? [s(p, 'status'), s(p, 'status'), s(p, 'status')];
    return [`غير ممكن الآن: الاجتماع ${w[0]}`, `Impossible maintenant : la réunion est ${w[1]}`, `ⵓⵔ ⵉⵣⵎⵉⵔ ⵖⵉⵍⴰ: ⴰⵎⵙⵉⵡⴹ ${w[2]}`];
  },
  minutes_locked: () => [
    'المحضر منشور: افتح تصحيحا لتعديله',
    'Le procès-verbal est publié : ouvrez une correction pour le modifier',
    'ⴰⵎⵣⵔⵓⵢ ⵉⵜⵜⵓⵥⵕⴳ: ⵕⵥⵎ ⴰⵙⵖⵓⴷⵓ ⵃⵎⴰ ⴰⴷ ⵜ ⵜⵙⵏⴼⵍⴷ',
  ],
  no_such_entry: () => ['هذا العنصر لم يعد موجودا: أعد تحميل الصفحة', 'Cet élément n’existe plus : rechargez la page', 'ⴰⴼⵔⴷⵉⵙ ⴰ ⵓⵔ ⵉⵍⵍⵉ: ⴰⵍⵙ ⴰⵙⴰⵍⵉ'],
  no_meeting: () => ['لم ينعقد أي اجتماع للمجموعة أو للجنة بعد', 'Aucune réunion du groupe ou du comité n’a encore eu lieu', 'ⵓⵔ ⵉⵍⵍⵉ ⵓⵎⵙⵉⵡⴹ ⴰⵔ ⵖⵉⵍⴰ'],
  empty_text: () => ['اكتب النص أولا', 'Écrivez d’abord le texte', 'ⴰⵔⴰ ⴰⴹⵔⵉⵚ ⵣⵡⴰⵔ'],
};

/** Who may do a meeting action (the `who` of `forbidden`). */
export const meetingWho: Record<string, Words> = {
  organisers: ['منظمو اجتماعات الهيئة (المنسقون والكتابة)', 'les organisateur·rice·s (co-coordination, secrétariat)', 'ⵉⵎⵙⵓⴷⵙⵏ ⵏ ⵉⵎⵙⵉⵡⴹⵏ'],
};
