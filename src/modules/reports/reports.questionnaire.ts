import type { Field } from './reports.contract.ts';

// The customs questionnaire shipped with every new channel (issue 4): what happened, where,
// when, which procedure, who was involved (role, not name), amounts, evidence (text and
// files). Only choices and the office are `statistical`: free text may identify the reporter.

const yes = (en: string, fr: string, ar: string) => ({ en, fr, ar });

const procedure = [
  ['clearance', yes('Clearance of goods', 'Dédouanement des marchandises', 'تخليص البضائع')],
  ['valuation', yes('Valuation', 'Évaluation en douane', 'التقييم الجمركي')],
  ['classification', yes('Tariff classification', 'Classement tarifaire', 'التصنيف التعريفي')],
  [
    'examination',
    yes('Physical examination / inspection', 'Visite physique / contrôle', 'المعاينة / التفتيش'),
  ],
  ['transit', yes('Transit', 'Transit', 'العبور')],
  [
    'exemptions',
    yes(
      'Exemptions and special regimes',
      'Exonérations et régimes particuliers',
      'الإعفاءات والأنظمة الخاصة',
    ),
  ],
  ['refunds', yes('Refunds and drawback', 'Remboursements et ristournes', 'الاسترداد ورد الرسوم')],
  [
    'licensing',
    yes(
      'Broker or operator licensing',
      'Agrément des commissionnaires ou opérateurs',
      'ترخيص المخلصين أو المتعاملين',
    ),
  ],
  [
    'recruitment',
    yes(
      'Recruitment, postings or promotion',
      'Recrutement, affectations ou promotion',
      'التوظيف أو التعيينات أو الترقية',
    ),
  ],
  ['procurement', yes('Procurement', 'Marchés publics', 'المشتريات')],
  ['other', yes('Other', 'Autre', 'أخرى')],
] as const;

const role = [
  ['officer', yes('Customs officer', 'Agent des douanes', 'موظف جمارك')],
  ['supervisor', yes('Supervisor or manager', 'Supérieur ou responsable', 'مشرف أو مدير')],
  [
    'senior_manager',
    yes(
      'Senior manager (head of office or above)',
      'Cadre supérieur (chef de bureau ou au-delà)',
      'مسؤول رفيع (رئيس مكتب أو أعلى)',
    ),
  ],
  ['broker', yes('Customs broker', 'Commissionnaire en douane', 'مخلص جمركي')],
  ['trader', yes('Importer or exporter', 'Importateur ou exportateur', 'مستورد أو مصدر')],
  ['other', yes('Other', 'Autre', 'أخرى')],
] as const;

const reporter = [
  ['staff', yes('Customs staff', 'Personnel des douanes', 'موظف في الجمارك')],
  ['trade', yes('Trader or broker', 'Opérateur ou commissionnaire', 'متعامل أو مخلص')],
  ['public', yes('Member of the public', 'Particulier', 'فرد من الجمهور')],
  [
    'other',
    yes('Other or prefer not to say', 'Autre ou je préfère ne pas répondre', 'أخرى أو أفضل عدم القول'),
  ],
] as const;

const paid = [
  ['asked', yes('Asked, not paid', 'Demandé, non payé', 'طُلب ولم يُدفع')],
  ['paid', yes('Paid', 'Payé', 'دُفع')],
  ['none', yes('No money involved', 'Pas d’argent en jeu', 'لا يوجد مال')],
] as const;

// Naming a senior manager routes the report to the channel's second tier (escalation recipients).
const ESCALATES = new Set(['senior_manager']);
const opts = (list: readonly (readonly [string, Record<string, string>])[]) =>
  list.map(([id, label]) => ({ id, label, ...(ESCALATES.has(id) ? { escalates: true } : {}) }));

export const DEFAULT_CHANNEL = {
  slug: 'report',
  name: yes('Report corruption', 'Signaler la corruption', 'الإبلاغ عن الفساد'),
  intro: yes(
    'You do not need to give your name. Do not write anything that identifies you unless you want to. Keep the receipt you get at the end: it is the only way to read our answers.',
    'Vous n’avez pas à donner votre nom. N’écrivez rien qui vous identifie, sauf si vous le souhaitez. Conservez le reçu affiché à la fin : c’est le seul moyen de lire nos réponses.',
    'لا داعي لذكر اسمك. لا تكتب ما يكشف هويتك إلا إذا أردت ذلك. احتفظ بالإيصال الذي يظهر في النهاية: فهو الوسيلة الوحيدة لقراءة ردودنا.',
  ),
  languages: ['en', 'fr', 'ar'],
};

export const DEFAULT_QUESTIONNAIRE: Field[] = [
  {
    id: 'what',
    type: 'long_text',
    step: 1,
    required: true,
    statistical: false,
    label: yes('What happened?', 'Que s’est-il passé ?', 'ماذا حدث؟'),
    help: yes(
      'Describe the facts: what was asked, done or promised, and by whom (role).',
      'Décrivez les faits : ce qui a été demandé, fait ou promis, et par qui (fonction).',
      'صف الوقائع: ما الذي طُلب أو فُعل أو وُعد به، ومن قام به (صفته).',
    ),
    maxLength: 10_000,
  },
  {
    id: 'procedure',
    type: 'single',
    step: 1,
    required: true,
    statistical: true,
    label: yes('Which procedure?', 'Quelle procédure ?', 'أي إجراء؟'),
    options: opts(procedure),
  },
  {
    id: 'office',
    type: 'office',
    step: 2,
    required: false,
    statistical: true,
    label: yes(
      'Where (office or border post)?',
      'Où (bureau ou poste frontière) ?',
      'أين (المكتب أو المركز الحدودي)؟',
    ),
  },
  {
    id: 'when',
    type: 'date',
    step: 2,
    required: false,
    statistical: false,
    label: yes('When (approximately)?', 'Quand (approximativement) ?', 'متى (تقريباً)؟'),
  },
  {
    id: 'involved_role',
    type: 'multiple',
    step: 2,
    required: false,
    statistical: true,
    label: yes('Who was involved (role)?', 'Qui était impliqué (fonction) ?', 'من كان متورطاً (الصفة)؟'),
    options: opts(role),
  },
  {
    id: 'involved',
    type: 'short_text',
    step: 2,
    required: false,
    statistical: false,
    label: yes(
      'Anything more about the people involved (names only if you wish)',
      'Précisions sur les personnes impliquées (noms seulement si vous le souhaitez)',
      'تفاصيل عن الأشخاص المعنيين (الأسماء فقط إن رغبت)',
    ),
    maxLength: 500,
  },
  {
    id: 'money',
    type: 'single',
    step: 3,
    required: false,
    statistical: true,
    label: yes('Was money asked or paid?', 'De l’argent a-t-il été demandé ou payé ?', 'هل طُلب مال أو دُفع؟'),
    options: opts(paid),
  },
  {
    id: 'amount',
    type: 'amount',
    step: 3,
    required: false,
    statistical: false,
    label: yes('Amount asked or paid', 'Montant demandé ou payé', 'المبلغ المطلوب أو المدفوع'),
  },
  {
    id: 'evidence',
    type: 'long_text',
    step: 3,
    required: false,
    statistical: false,
    label: yes(
      'What evidence exists, and where?',
      'Quelles preuves existent, et où ?',
      'ما الأدلة الموجودة، وأين؟',
    ),
    maxLength: 5_000,
  },
  {
    id: 'files',
    type: 'attachment',
    step: 3,
    required: false,
    statistical: false,
    label: yes('Files (photos, documents)', 'Fichiers (photos, documents)', 'ملفات (صور، مستندات)'),
    help: yes(
      'Hidden information (place, camera, author) is removed from JPEG, PNG and PDF files before they are stored. Word, Excel and text files are kept as they are: remove your name from them first.',
      'Les informations cachées (lieu, appareil, auteur) sont retirées des fichiers JPEG, PNG et PDF avant leur enregistrement. Les fichiers Word, Excel et texte sont gardés tels quels : retirez-en d’abord votre nom.',
      'تُزال المعلومات المخفية (المكان، الجهاز، المؤلف) من ملفات JPEG وPNG وPDF قبل حفظها. أما ملفات Word وExcel والنصوص فتُحفظ كما هي: احذف اسمك منها أولاً.',
    ),
  },
  {
    id: 'reporter',
    type: 'single',
    step: 3,
    required: false,
    statistical: true,
    label: yes('You are…', 'Vous êtes…', 'أنت…'),
    options: opts(reporter),
  },
];
