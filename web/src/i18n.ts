// The interface's own words in Arabic (default), French and Amazigh
// (Tifinagh). Card fields and choices are named by the schema crate
// (cardLabels in the WASM client), so exports and the editor agree.
// The Amazigh strings are a first draft to be reviewed (see the README).

export type Lang = 'ar' | 'fr' | 'zgh';
export const LANGS: Lang[] = ['ar', 'fr', 'zgh'];

import { reviewUi } from './i18n-review';
import { commentsUi } from './i18n-comments';
import { meetingsUi } from './i18n-meetings';
import { processUi } from './i18n-process';

const baseUi = {
  app: ['كودرافت — الصياغة المشتركة', 'Codraft — co-rédaction', 'Codraft — ⴰⵙⴰⵔⵓ ⴰⵎⵢⴰⵡⴰⵙ'],
  skip: ['تخطي إلى المحتوى', 'Aller au contenu', 'ⵣⴰⴳⵣ ⵖⵔ ⵜⵓⵎⴰⵢⵜ'],
  home: ['المجموعات الموضوعاتية', 'Groupes thématiques', 'ⵜⵉⵔⴰⴱⴱⵓⵜⵉⵏ'],
  intro: [
    'بطاقات الالتزامات لمراجعة خطة العمل الوطنية الثالثة للحكومة المنفتحة 2024-2028، تُصاغ بشكل مشترك وآني.',
    "Les fiches d'engagement de la révision du 3e plan d'action national pour un gouvernement ouvert 2024-2028, co-rédigées en direct.",
    'ⵜⵉⴽⴰⵔⴹⵉⵡⵉⵏ ⵏ ⵉⵙⵙⵓⴷⴰ ⵏ ⵓⵖⴰⵡⴰⵙ ⴰⵏⴰⵎⵓⵔ ⵡⵉⵙ ⴽⵕⴰⴹ 2024-2028, ⵙ ⵓⵙⴰⵔⵓ ⴰⵎⵢⴰⵡⴰⵙ.',
  ],
  newCard: ['بطاقة جديدة', 'Nouvelle fiche', 'ⵜⴰⴽⴰⵔⴹⴰ ⵜⴰⵎⴰⵢⵏⵓⵜ'],
  noCards: ['لا توجد بطاقات بعد', 'Pas encore de fiche', 'ⵓⵔ ⵜⵍⵍⵉ ⴽⴰ ⵏ ⵜⴽⴰⵔⴹⴰ'],
  untitled: ['بطاقة بدون عنوان', 'Fiche sans titre', 'ⵜⴰⴽⴰⵔⴹⴰ ⵡⴰⵔ ⴰⵣⵡⵍ'],
  back: ['العودة إلى المجموعات', 'Retour aux groupes', 'ⴰⵖⵓⵍ ⵖⵔ ⵜⵔⴰⴱⴱⵓⵜⵉⵏ'],
  loading: ['جارٍ التحميل…', 'Chargement…', 'ⴰⵙⴰⵍⵉ…'],
  notFound: ['هذه الوثيقة غير متاحة', "Ce document n'est pas disponible", 'ⴰⴷⵍⵉⵙ ⴰⴷ ⵓⵔ ⵉⵍⵍⵉ'],
  saved: ['محفوظ', 'Enregistré', 'ⵉⵜⵜⵓⵃⴹⴰ'],
  undo: ['تراجع', 'Annuler', 'ⵙⵙⵓⵖⵍ'],
  // The language picker's names, here rather than from the WASM client's
  // labels: the header is drawn before the client is in.
  'langName.ar': ['العربية', 'Arabe', 'ⵜⴰⵄⵔⴰⴱⵜ'],
  'langName.fr': ['الفرنسية', 'Français', 'ⵜⴰⴼⵔⴰⵏⵙⵉⵙⵜ'],
  'langName.zgh': ['الأمازيغية', 'Amazighe', 'ⵜⴰⵎⴰⵣⵉⵖⵜ'],
  redo: ['إعادة', 'Rétablir', 'ⴰⵍⵙ'],
  'undo.label': ['التراجع عن تعديلاتي', 'Annuler mes modifications', 'ⵙⵙⵓⵖⵍ ⵉⵙⵏⴼⵍⵏ ⵉⵏⵓ'],
  saving: ['جارٍ الحفظ…', 'Enregistrement…', 'ⴰⵃⴹⴰ…'],
  offline: ['غير متصل — التعديلات محفوظة على هذا الجهاز', 'Hors ligne — modifications gardées sur cet appareil', 'ⴱⵍⴰ ⴰⵣⴷⴰⵢ — ⵉⵙⵏⴼⴰⵍⵏ ⵃⴹⴰⵏ ⴳ ⵓⵙⵎⵉⵍ ⴰ'],
  connecting: ['جارٍ الاتصال…', 'Connexion…', 'ⴰⵣⴷⴰⵢ…'],
  // A card drawn from the server's copy while the live client downloads.
  draft: ['جارٍ التحميل — ما تكتبه محفوظ', 'Chargement — ce que vous tapez est gardé', 'ⴰⵙⴰⵍⵉ — ⴰⵢⵏⵏⴰ ⵜⴰⵔⴰⴷ ⵉⵜⵜⵓⵃⴹⴰ'],
  draftNote: [
    'يمكنك الكتابة في النصوص الآن؛ الحاضرون والمراجعة والتعليقات والصفوف تظهر بعد لحظات.',
    'Vous pouvez déjà écrire dans les textes ; présents, relecture, commentaires et lignes arrivent dans un instant.',
    'ⵜⵣⵎⵔⴷ ⴰⴷ ⵜⴰⵔⴰⴷ ⴳ ⵉⴹⵔⵉⵚⵏ ⴷⵖⵉ; ⵉⵏⴰⵎⴰⵔⵏ, ⴰⵙⵙⵉⴷⵏ, ⵉⵡⵏⵏⵉⵏ ⴷ ⵉⵣⵔⵉⵔⴳⵏ ⴰⴷ ⴷ ⴰⵡⵉⵏ ⴷⵖⵢⴰ.',
  ],
  online: ['متصل', 'En ligne', 'ⵉⵣⴷⵉ'],
  language: ['لغة الواجهة', "Langue de l'interface", 'ⵜⵓⵜⵍⴰⵢⵜ ⵏ ⵓⴳⵔⴰⵖⵏ'],
  you: ['أنت', 'Vous', 'ⴽⵢⵢ'],
  yourName: ['اسمك', 'Votre nom', 'ⵉⵙⵎ ⵏⵏⴽ'],
  sector: ['القطاع', 'Secteur', 'ⴰⴳⵔⴰⵡ'],
  'sector.administration': ['الإدارة', 'Administration', 'ⵜⴰⵏⴱⴰⴹⵜ'],
  'sector.civil_society': ['المجتمع المدني', 'Société civile', 'ⴰⵏⴰⵎⵓⵏ ⴰⵖⵔⵎⴰⵏ'],
  'sector.academia': ['الجامعة', 'Université', 'ⵜⴰⵙⴷⴰⵡⵉⵜ'],
  'sector.other': ['أخرى', 'Autre', 'ⵢⴰⴹⵏ'],
  here: ['الحاضرون', 'Présents', 'ⵉⵏⴰⵎⴰⵔⵏ'],
  alone: ['لا أحد غيرك هنا', "Personne d'autre ici", 'ⵓⵔ ⵉⵍⵍⵉ ⵢⴰⵏ ⵢⴰⴹⵏ'],
  inField: ['في', 'dans', 'ⴳ'],
  complete: ['مكتملة', 'Complète', 'ⵜⵎⵎⴷ'],
  missing: ['عناصر ناقصة', 'éléments manquants', 'ⵉⴼⵔⴷⵉⵙⵏ ⵉⵅⵚⵚⴰⵏ'],
  recommended: ['موصى به', 'recommandé', 'ⵉⵜⵜⵓⵙⵓⵎⵔ'],
  completeness: ['اكتمال البطاقة', 'Complétude de la fiche', 'ⴰⵙⵎⴷ ⵏ ⵜⴽⴰⵔⴹⴰ'],
  add: ['إضافة', 'Ajouter', 'ⵔⵏⵓ'],
  remove: ['حذف', 'Supprimer', 'ⴽⴽⵙ'],
  colour: ['تغيير لوني في الحضور', 'Changer ma couleur de présence', 'ⵙⵏⴼⵍ ⴰⴽⵍⵓ ⵉⵏⵓ'],
  confirmRemoveRow: ['حذف هذا الصف؟', 'Supprimer cette ligne ?', 'ⴰⴷ ⵜⴽⴽⵙⴷ ⴰⵣⵔⵉⵔⴳ ⴰ?'],
  confirmRemoveMember: ['إزالة هذا الشخص من المجموعة؟', 'Retirer cette personne du groupe ?', 'ⴰⴷ ⵜⴽⴽⵙⴷ ⴰⴼⵔⴷ ⴰ ⵙⴳ ⵜⵔⴰⴱⴱⵓⵜ?'],
  up: ['إلى الأعلى', 'Monter', 'ⵙⴰⵍⵉ'],
  down: ['إلى الأسفل', 'Descendre', 'ⵙⵔⵓⵙ'],
  row: ['الصف', 'Ligne', 'ⴰⵣⵔⵉⵔⴳ'],
  choose: ['— اختر —', '— choisir —', '— ⵙⵜⵉ —'],
  export: ['تصدير', 'Exporter', 'ⵙⵙⵓⴼⵖ'],
  exportLang: ['لغة التصدير', "Langue de l'export", 'ⵜⵓⵜⵍⴰⵢⵜ ⵏ ⵓⵙⵙⵓⴼⵖ'],
  markdown: ['Markdown', 'Markdown', 'Markdown'],
  print: ['صفحة للطباعة (PDF)', 'Page imprimable (PDF)', 'ⵜⴰⵙⵏⴰ ⵏ ⵓⵙⵉⵏⴳⵍ (PDF)'],
  translit: ['كتابة لاتينية ← تيفيناغ', 'Saisie latine → tifinaghe', 'ⴰⵙⵏⵇⵍ ⵙ ⵜⵍⴰⵜⵉⵏⵉⵜ → ⵜⵉⴼⵉⵏⴰⵖ'],
  translitHelp: [
    'اكتب بالحروف اللاتينية فتتحول إلى تيفيناغ (gh ← ⵖ، ch ← ⵛ، kh ← ⵅ، الحروف الكبيرة D S T Z R H للمفخمة).',
    'Tapez en latin, le texte s\u2019écrit en tifinaghe (gh → ⵖ, ch → ⵛ, kh → ⵅ ; majuscules D S T Z R H pour les emphatiques).',
    'ⴰⵔⴰ ⵙ ⵜⵍⴰⵜⵉⵏⵉⵜ, ⴰⴹⵔⵉⵚ ⵉⵜⵜⵢⴰⵔⴰ ⵙ ⵜⵉⴼⵉⵏⴰⵖ (gh → ⵖ, ch → ⵛ, kh → ⵅ).',
  ],
  groupCards: ['بطاقات', 'fiches', 'ⵜⵉⴽⴰⵔⴹⵉⵡⵉⵏ'],
  general: ['معطيات عامة', 'Informations générales', 'ⵉⵙⴼⴽⴰ ⵉⵎⴰⵜⴰⵢⵏ'],
  description: ['وصف الالتزام', "Description de l'engagement", 'ⴰⴳⵍⴰⵎ ⵏ ⵓⵙⵙⵓⴷⵓ'],
  followUp: ['التتبع', 'Suivi', 'ⴰⴹⴼⴼⵓⵔ'],
  error: ['خطأ', 'Erreur', 'ⵜⴰⵣⴳⵍⵜ'],
  signIn: ['تسجيل الدخول', 'Se connecter', 'ⴽⵛⵎ'],
  signOut: ['تسجيل الخروج', 'Se déconnecter', 'ⴼⴼⵖ'],
  email: ['البريد الإلكتروني', 'Courriel', 'ⵜⵉⴱⵔⴰⵜ ⵜⴰⵍⵉⴽⵜⵔⵓⵏⵉⵜ'],
  password: ['كلمة المرور', 'Mot de passe', 'ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ'],
  passwordHint: ['10 أحرف على الأقل', 'Au moins 10 caractères', 'ⵎⵇⵇⴰⵔ 10 ⵏ ⵉⵙⴽⴽⵉⵍⵏ'],
  organisation: ['الهيئة', 'Organisation', 'ⵜⴰⵎⵙⵙⵓⴷⵙⵜ'],
  name: ['الاسم', 'Nom', 'ⵉⵙⵎ'],
  members: ['الأعضاء', 'Membres', 'ⵉⴳⵎⴰⴹⵏ'],
  manageMembers: ['تدبير الأعضاء', 'Gérer les membres', 'ⴰⵙⵡⵓⴷⴷⵓ ⵏ ⵉⴳⵎⴰⴹⵏ'],
  'home.search': ['بحث في البطاقات (الرقم أو العنوان)', 'Chercher une fiche (numéro ou titre)', 'ⵔⵣⵓ ⵜⴰⴽⴰⵔⴹⴰ'],
  'home.group': ['المجموعة', 'Groupe', 'ⵜⴰⵔⴰⴱⴱⵓⵜ'],
  'home.allGroups': ['كل المجموعات', 'Tous les groupes', 'ⴰⴽⴽⵯ ⵜⵉⵔⴰⴱⴱⵓⵜⵉⵏ'],
  'home.allStages': ['كل المراحل', 'Toutes les étapes', 'ⴰⴽⴽⵯ ⵉⴼⵔⴷⵉⵙⵏ'],
  'home.lastEdit': ['آخر تعديل:', 'dernière modification :', 'ⴰⵙⵏⴼⵍ ⴰⵏⴳⴳⴰⵔⵓ:'],
  'home.noMatch': ['لا بطاقة تطابق البحث', 'Aucune fiche ne correspond', 'ⵓⵔ ⵜⵍⵍⵉ ⵜⴽⴰⵔⴹⴰ'],
  'jump.toField': ['الانتقال إلى حقل…', 'Aller au champ…', 'ⴷⴷⵓ ⵖⵔ ⵓⵙⵉⴳⵏⴰ…'],
  'jump.label': ['أجزاء البطاقة', 'Parties de la fiche', 'ⵉⵃⵔⵉⵛⵏ ⵏ ⵜⴽⴰⵔⴹⴰ'],
  refused: ['لم يقبل الخادم تعديلاتك الأخيرة، فأزيلت:', 'Le serveur a refusé vos dernières modifications, retirées :', 'ⵓⵔ ⵉⵇⴱⵉⵍ ⵓⵎⴰⴽⴰⵢ ⵉⵙⵏⴼⴰⵍⵏ ⵏⵏⴽ:'],
  'date.day': ['اليوم', 'jour', 'ⴰⵙⵙ'],
  'date.month': ['الشهر', 'mois', 'ⴰⵢⵢⵓⵔ'],
  'date.year': ['السنة', 'année', 'ⴰⵙⴳⴳⵯⴰⵙ'],
  'date.yearHint': ['سنة', 'aaaa', 'ⴰⵙⴳⴳⵯⴰⵙ'],
  'role.co_coordinator': ['منسق(ة) مشارك(ة)', 'Co-coordinateur·rice', 'ⴰⵎⵙⵏⴰⵡ ⴰⵎⵢⴰⵡⴰⵙ'],
  'role.member': ['عضو', 'Membre', 'ⴰⴳⵎⴰⴹ'],
  'role.observer': ['ملاحظ(ة)', 'Observateur·rice', 'ⴰⵎⵙⵎⵓⵏ'],
  'role.admin': ['مدير(ة) الموقع', 'Administrateur·rice', 'ⴰⵏⵎⵀⴰⵍ'],
  role: ['الدور', 'Rôle', 'ⵜⴰⵎⵙⵎⴰⵔⵜ'],
  coordinators: ['المنسقان', 'Co-coordination', 'ⵉⵎⵙⵏⴰⵡⵏ'],
  vacant: ['شاغر', 'vacant', 'ⵉⵅⵡⴰ'],
  invite: ['دعوة شخص', 'Inviter une personne', 'ⵙⵉⵡⵍ ⵉ ⵢⴰⵏ'],
  inviteLink: ['رابط الدعوة (صالح لمرة واحدة)', "Lien d'invitation (usage unique)", 'ⴰⵣⴷⴰⵢ ⵏ ⵜⵖⵓⵔⵉ'],
  createAccount: ['إنشاء حسابي والانضمام', 'Créer mon compte et rejoindre', 'ⵙⵏⵓⵍⴼⵓ ⴰⵎⵉⴹⴰⵏ ⵉⵏⵓ'],
  invitedTo: ['دعوة للانضمام إلى', 'Invitation à rejoindre', 'ⵜⴰⵖⵓⵔⵉ ⵖⵔ'],
  readOnly: ['أنت ملاحظ(ة) في هذه المجموعة: القراءة فقط', 'Vous êtes observateur·rice dans ce groupe : lecture seule', 'ⴽⵢⵢ ⴷ ⴰⵎⵙⵎⵓⵏ: ⵖⵔ ⵖⴰⵙ'],
  notMember: ['لست عضوا في هذه المجموعة', "Vous n'êtes pas membre de ce groupe", 'ⵓⵔ ⵜⴳⵉⴷ ⴰⴳⵎⴰⴹ'],
  open: ['فتح', 'Ouvrir', 'ⵕⵥⵎ'],
} as const;

const ui = { ...baseUi, ...reviewUi, ...commentsUi, ...meetingsUi, ...processUi };

export type UiKey = keyof typeof ui;

let current: Lang = 'ar';
let labels: Record<string, string> = {};
let labelSource: (lang: Lang) => Record<string, string> = () => ({});

export function lang(): Lang {
  return current;
}

/** The interface's word for `key`. */
export function t(key: UiKey): string {
  return ui[key][LANGS.indexOf(current)];
}

/** A card field's or choice's name (from the schema crate). */
export function label(key: string): string {
  return labels[key] ?? key;
}

export function useLabels(source: (lang: Lang) => Record<string, string>) {
  labelSource = source;
  labels = source(current);
}

export const TAGS: Record<Lang, string> = { ar: 'ar-MA', fr: 'fr-MA', zgh: 'zgh-Tfng-MA' };

/** Switches the interface language: `lang`, `dir` and every word. */
export function setLang(l: Lang) {
  current = l;
  labels = labelSource(l);
  localStorage.setItem('codraft.lang', l);
  const html = document.documentElement;
  html.lang = TAGS[l];
  html.dir = l === 'ar' ? 'rtl' : 'ltr';
  document.title = t('app');
}

export function savedLang(): Lang {
  const s = localStorage.getItem('codraft.lang');
  return s === 'fr' || s === 'zgh' ? s : 'ar';
}
