import { all } from 'iso-3166-1';

/**
 * Country of origin (declarations: ISO 3166-1 alpha-2, sometimes alpha-3 or numeric) → the
 * partner code of UN Comtrade-style trade statistics (numeric, M49-based), for the declared side
 * of mirror analysis (docs/adr/0025).
 *
 * ISO 3166-1 alpha-2 / alpha-3 / numeric come from the `iso-3166-1` package (MIT, 249 countries).
 * UN Comtrade reports a few countries under its own codes instead of the ISO numeric one (its
 * reference table "partnerAreas"; every one of these occurs in ../shared/data/comtrade-sawnwood):
 * France incl. Monaco 251 (ISO 250), Italy 381 (380), Norway incl. Svalbard 579 (578), India 699
 * (356), Switzerland incl. Liechtenstein 757 (756), USA incl. Puerto Rico and the Virgin Islands
 * 842 (840), and Taiwan, which Comtrade lists as "Other Asia, nes" 490 (ISO 158). The territories
 * folded into those codes map to them too, as Comtrade counts them there.
 */
const COMTRADE: Readonly<Record<string, string>> = {
  FRA: '251',
  MCO: '251',
  ITA: '381',
  NOR: '579',
  SJM: '579',
  IND: '699',
  CHE: '757',
  LIE: '757',
  USA: '842',
  PRI: '842',
  VIR: '842',
  TWN: '490',
};

export interface OriginCode {
  /** The code as a declaration carries it (alpha-2 or alpha-3, upper case). */
  code: string;
  /** The partner code in the trade statistics. */
  partner: string;
  name: string;
}

let table: OriginCode[] | undefined;

/** Every alpha-2 and alpha-3 code with its trade-statistics partner code (built once). */
export function originTable(): readonly OriginCode[] {
  if (table) return table;
  table = all().flatMap((c) => {
    const partner = COMTRADE[c.alpha3] ?? String(Number(c.numeric));
    return [
      { code: c.alpha2, partner, name: c.country },
      { code: c.alpha3, partner, name: c.country },
    ];
  });
  return table;
}

/** One origin code → its partner code, or null when unknown (shown as a caveat, never dropped). */
export function partnerOf(origin: string): string | null {
  const o = origin.trim().toUpperCase();
  if (/^[0-9]{1,3}$/.test(o)) return String(Number(o));
  return originTable().find((c) => c.code === o)?.partner ?? null;
}
