import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type enWeb from '../../locales/en/web.json';
import type enActionPlans from '../../locales/en/web.action-plans.json';
import type enAssessments from '../../locales/en/web.assessments.json';
import type enDashboard from '../../locales/en/web.dashboard.json';
import type enLearning from '../../locales/en/web.learning.json';
import type enConduct from '../../locales/en/web.conduct.json';
import type enDeclarations from '../../locales/en/web.declarations.json';
import type enPostings from '../../locales/en/web.postings.json';
import type enSurveys from '../../locales/en/web.surveys.json';
import type enAnalytics from '../../locales/en/web.analytics.json';
import type enCases from '../../locales/en/web.cases.json';
import type enRisks from '../../locales/en/web.risks.json';
import type enLibrary from '../../locales/en/web.library.json';
import type enIsc from '../../locales/en/web.isc.json';
import type enReports from '../../locales/en/web.reports.json';
import type enProgramme from '../../locales/en/web.programme.json';

// The catalogs: locales/<lang>/web.json (this UI) and locales/<lang>/server.json (error codes,
// permission and role labels, written with the server). Each language is loaded on demand
// as its own small chunk; English is always loaded as the fallback.
export const LANGUAGES = ['en', 'fr', 'es', 'ru', 'ar', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in that language (a language switcher shows endonyms). */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  ru: 'Русский',
  ar: 'العربية',
  pt: 'Português',
};

const STORAGE_KEY = 'arusha.language';
const NAMESPACES = ['web', 'server'] as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'web';
    resources: {
      web: typeof enWeb &
        typeof enAssessments &
        typeof enRisks &
        typeof enActionPlans &
        typeof enDashboard &
        typeof enLearning &
        typeof enConduct &
        typeof enDeclarations &
        typeof enPostings &
        typeof enSurveys &
        typeof enAnalytics &
        typeof enLibrary &
        typeof enIsc &
        typeof enReports &
        typeof enProgramme &
        typeof enCases;
    };
  }
}

const catalogs = import.meta.glob<Record<string, unknown>>('../../locales/*/*.json', { import: 'default' });
const loaded = new Set<string>();

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Stored choice, then the browser's preferred languages, then English. */
export function detectLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage unavailable (private mode): fall through
  }
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of preferred) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function rememberLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // ignore
  }
}

async function loadLanguage(lng: Language): Promise<void> {
  if (loaded.has(lng)) return;
  // web.json and each module's web.<m>.json merge into the `web` namespace (likewise server).
  await Promise.all(
    NAMESPACES.flatMap((ns) =>
      Object.entries(catalogs)
        .filter(([file]) => new RegExp(`^\\.\\./\\.\\./locales/${lng}/${ns}(\\.[\\w-]+)?\\.json$`).test(file))
        .map(async ([, load]) => i18next.addResourceBundle(lng, ns, await load(), true, true)),
    ),
  );
  loaded.add(lng);
}

export function currentLanguage(): Language {
  const lng = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(lng) ? lng : 'en';
}

function applyToDocument(lng: string): void {
  const html = document.documentElement;
  html.lang = lng;
  html.dir = i18next.dir(lng);
}

export async function initI18n(): Promise<typeof i18next> {
  const lng = detectLanguage();
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'web',
    fallbackNS: false,
    resources: {},
    partialBundledLanguages: true,
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
  });
  await Promise.all([loadLanguage('en'), loadLanguage(lng)]);
  i18next.on('languageChanged', applyToDocument);
  await i18next.changeLanguage(lng);
  applyToDocument(lng);
  return i18next;
}

/** Loads the catalogs if needed, switches, and remembers the choice in this browser. */
export async function changeLanguage(lng: Language): Promise<void> {
  await loadLanguage(lng);
  await i18next.changeLanguage(lng);
  rememberLanguage(lng);
}

/** A translation from the server's catalog (error codes, roles, permissions), or undefined. */
export function serverText(key: string, options?: Record<string, unknown>): string | undefined {
  if (!i18next.exists(key, { ns: 'server' } as never)) return undefined;
  return i18next.t(key as never, { ns: 'server', ...options } as never) as unknown as string;
}
