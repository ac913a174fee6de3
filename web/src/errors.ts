// The server's refusals in the interface language. The API answers
// {error: code, message, params}; the sync socket's `error` messages start
// with a code ("read-only: …"). Each known code is worded here in Arabic,
// French and Amazigh; an unknown one falls back to the server's text.

import { ApiError } from './api';
import { lang, LANGS } from './i18n';
import { reviewWords } from './errors-review';
import { commentWords } from './errors-comments';
import { meetingWords } from './errors-meetings';
import { processWords } from './errors-process';

type Words = readonly [string, string, string];
type Params = Record<string, unknown>;

const BASE: Record<string, (p: Params) => Words> = {
  wrong_credentials: () => ['البريد الإلكتروني أو كلمة المرور غير صحيحة', 'Adresse e-mail ou mot de passe incorrect', 'ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ ⵏⵖ ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ ⵓⵔ ⵉⵚⵃⵉⵃ'],
  rate_limited: (p) => [
    `محاولات فاشلة كثيرة من هذا العنوان: انتظر ${p.minutes ?? 15} دقيقة`,
    `Trop d'essais manqués depuis cette adresse : attendez ${p.minutes ?? 15} minutes`,
    `ⴰⵟⵟⴰⵙ ⵏ ⵜⵉⵔⵎⵉⵜⵉⵏ ⵉⵅⵚⵔⵏ: ⵔⴰⵊⵓ ${p.minutes ?? 15} ⵜⵓⵙⴷⵉⴷⵉⵏ`,
  ],
  password_too_short: (p) => [
    `يجب أن تتكون كلمة المرور من ${p.min ?? 10} أحرف على الأقل`,
    `Le mot de passe doit compter au moins ${p.min ?? 10} caractères`,
    `ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ ⵉⵇⵇⴰⵏ ${p.min ?? 10} ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⵓⴳⴳⴰⵔ`,
  ],
  password_too_long: (p) => [
    `كلمة المرور طويلة جدا (${p.max ?? 1024} بايت على الأكثر)`,
    `Mot de passe trop long (${p.max ?? 1024} octets au plus)`,
    `ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ ⵜⵖⵣⵉ ⴱⵣⵣⴰⴼ (${p.max ?? 1024} ⵓⴳⴳⴰⵔ)`,
  ],
  password_weak: () => [
    'كلمة المرور هذه شائعة جدا أو سهلة التخمين: اختر كلمة أطول وأقل توقعا',
    'Ce mot de passe est trop courant ou trop facile à deviner : choisissez-en un plus long et moins prévisible',
    'ⵜⴰⴳⵓⵔⵉ ⴰⴷ ⵏ ⵓⵣⵔⴰⵢ ⵜⴻⵜⵜⵓⵙⵙⴰⵏ ⴱⵣⵣⴰⴼ: ⵙⵜⵉ ⵢⴰⵜ ⵜⵖⵣⵉⵏ ⴽⵜⵔ',
  ],
  email_taken: () => [
    'يوجد حساب بهذا البريد الإلكتروني: سجّل الدخول به أو استعمل عنوانا آخر',
    'Un compte existe déjà pour cette adresse : connectez-vous avec lui ou utilisez une autre adresse',
    'ⵍⵍⵉⵏ ⵓⵎⵉⴹⴰⵏ ⵙ ⵜⴰⵏⵙⴰ ⴰ: ⴽⵛⵎ ⵙⵉⵙ ⵏⵖ ⵙⵙⵎⵔⵙ ⵜⴰⵏⵙⴰ ⵢⴰⴹⵏ',
  ],
  unauthorized: () => ['انتهت جلستك: سجّل الدخول من جديد', 'Votre session a pris fin : reconnectez-vous', 'ⵜⴻⴽⴽⴰ ⵜⵖⵉⵎⵉⵜ ⵏⵏⴽ: ⴽⵛⵎ ⴷⴰ ⵉⵙⵏⵜ'],
  conflict: () => ['تغيّر هذا في الأثناء: أعد المحاولة', 'Cela a changé entre-temps : réessayez', 'ⵉⵜⵜⵓⵙⵏⴼⵍ ⴰⵢⴰ: ⴰⵍⵙ'],
  open_access: () => ['هذا الخادم بلا حسابات (وضع الاختبار)', 'Ce serveur fonctionne sans comptes (mode d’essai)', 'ⴰⵎⴰⴽⴰⵢ ⴰ ⵓⵔ ⵖⵓⵔⵙ ⵉⵎⵉⴹⴰⵏⵏ'],
  invitation_gone: () => [
    'رابط الدعوة هذا غير صالح: سبق استعماله أو انتهت صلاحيته. اطلب من منسقي المجموعة دعوة جديدة',
    'Ce lien d’invitation n’est plus valable : il a déjà servi ou a expiré. Demandez une nouvelle invitation à la co-coordination du groupe',
    'ⴰⵙⵖⵓⵏ ⵏ ⵜⵖⵓⵔⵉ ⴰ ⵓⵔ ⵉⵚⵃⵉⵃ: ⵉⵜⵜⵓⵙⵎⵔⵙ ⵏⵖ ⵉⵎⵎⵓⵜ. ⵙⵜⵔ ⵜⴰⵖⵓⵔⵉ ⵜⴰⵎⴰⵢⵏⵓⵜ ⵙⴳ ⵉⵎⵙⵏⴰⵡⵏ',
  ],
  invitation_for_another_email: () => [
    'هذه الدعوة موجهة إلى عنوان بريد إلكتروني آخر',
    'Cette invitation est destinée à une autre adresse e-mail',
    'ⵜⴰⵖⵓⵔⵉ ⴰ ⵉ ⵜⴰⵏⵙⴰ ⵢⴰⴹⵏ',
  ],
  name_and_email_needed: () => [
    'الاسم والبريد الإلكتروني مطلوبان',
    'Un nom et une adresse e-mail sont nécessaires',
    'ⵉⵙⵎ ⴷ ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ ⵉⵇⵇⴰⵏ',
  ],
  too_long: (p) => [
    `البريد الإلكتروني أو الاسم أو الهيئة طويل جدا (${p.max ?? 200} حرفا على الأكثر)`,
    `L'adresse, le nom ou l'organisation est trop long (${p.max ?? 200} caractères au plus)`,
    `ⵜⴰⵏⵙⴰ ⵏⵖ ⵉⵙⵎ ⵏⵖ ⵜⵓⵙⵙⵉⵙⵜ ⵖⵣⵉⵏ ⴱⵣⵣⴰⴼ (${p.max ?? 200} ⵓⴳⴳⴰⵔ)`,
  ],
  cards_rate_limited: (p) => [
    `لا يمكن إنشاء أكثر من ${p.per_hour ?? 30} بطاقة في الساعة: أعد المحاولة لاحقا`,
    `Au plus ${p.per_hour ?? 30} nouvelles fiches par heure : réessayez plus tard`,
    `${p.per_hour ?? 30} ⵏ ⵜⴽⴰⵔⴹⵉⵡⵉⵏ ⵉ ⵜⵙⵔⴰⴳⵜ ⵓⴳⴳⴰⵔ: ⴰⵍⵙ ⴷⴼⴼⵉⵔ`,
  ],
  'read-only': () => [
    'يمكنك قراءة هذه البطاقة دون تعديلها: لم تُطبَّق تعديلاتك',
    'Vous pouvez lire cette fiche mais pas la modifier : vos modifications n’ont pas été appliquées',
    'ⵜⵣⵎⵔⴷ ⴰⴷ ⵜⵖⵔⴷ ⵜⴰⴽⴰⵔⴹⴰ ⴰ ⵎⴰⵛ ⵓⵔ ⵜⵣⵎⵔⴷ ⴰⴷ ⵜⵙⵏⴼⵍⴷ',
  ],
  'change-too-large': () => [
    'هذا التعديل كبير جدا: لم يُحفظ',
    'Cette modification est trop volumineuse : elle n’a pas été enregistrée',
    'ⴰⵙⵏⴼⵍ ⴰ ⵉⵅⴰⵜⴰⵔ ⴱⵣⵣⴰⴼ: ⵓⵔ ⵉⵜⵜⵓⵃⴹⴰ',
  ],
  'document-full': () => [
    'بلغت هذه البطاقة الحجم الأقصى: لم يُحفظ التعديل',
    'Cette fiche a atteint sa taille maximale : la modification n’a pas été enregistrée',
    'ⵜⴰⴽⴰⵔⴹⴰ ⴰ ⵜⵍⴽⵎ ⵜⴰⵖⵣⵉ ⵏⵏⵙ ⵜⴰⵎⵇⵔⴰⵏⵜ: ⵓⵔ ⵉⵜⵜⵓⵃⴹⴰ ⵓⵙⵏⴼⵍ',
  ],
  'session-expired': () => [
    'انتهت صلاحية تسجيل دخولك: سجّل الدخول من جديد',
    'Votre session a expiré : reconnectez-vous',
    'ⵜⵎⵎⵓ ⵜⵉⵣⵉ ⵏ ⵓⴽⵛⴰⵎ ⵏⵏⴽ: ⴽⵛⵎ ⴷⴰ ⵉⵙⵏⵜ',
  ],
  'peer-id-in-use': () => [
    'هذا المعرّف مستعمل من حساب آخر: أعد تحميل الصفحة',
    'Cet identifiant est utilisé par un autre compte : rechargez la page',
    'ⴰⵎⴰⵜⴰⵔ ⴰ ⵉⵜⵜⵓⵙⵎⵔⵙ ⵙⴳ ⵓⵎⵉⴹⴰⵏ ⵢⴰⴹⵏ: ⴰⵍⵙ ⴰⵙⴰⵍⵉ',
  ],
};

const WORDS: Record<string, (p: Params) => Words> = { ...reviewWords, ...commentWords, ...meetingWords, ...processWords, ...BASE };

/** A refusal's code and parameters in the interface language, or `fallback`. */
export function word(code: string, params: Params, fallback: string): string {
  const w = WORDS[code];
  return w ? w(params)[LANGS.indexOf(lang())] : fallback;
}

/** What to show for a failure caught from the API or anything else. */
export function errorText(x: unknown): string {
  if (x instanceof ApiError) return word(x.code, x.params, x.message);
  return String(x);
}

/** A sync socket `error` message ("code: text") in the interface language. */
export function syncErrorText(message: string): string {
  const m = /^([a-z][a-z-]*):/.exec(message);
  return m ? word(m[1], {}, message) : message;
}
