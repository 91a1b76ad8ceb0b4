import { CURRENCY_EXPONENTS, type Currency } from './programme.vocab.ts';

// Exact money arithmetic (docs/adr/0028): integers of the currency's minor unit as BigInt,
// decimal strings at the edges, rates as exact fractions. Never a float.

const TEN = 10n;
const pow10 = (n: number) => TEN ** BigInt(n);

/** Does this decimal string fit the currency's minor unit (no more decimals than it has)? */
export function fitsCurrency(amount: string, currency: Currency): boolean {
  const m = /^\d+(?:\.(\d+))?$/.exec(amount);
  return !!m && (m[1]?.length ?? 0) <= CURRENCY_EXPONENTS[currency];
}

/** "12500.5" EUR → 1250050n (minor units). The string is validated by the contract first. */
export function toMinor(amount: string, currency: Currency): bigint {
  const e = CURRENCY_EXPONENTS[currency];
  const [int, frac = ''] = amount.split('.');
  if (frac.length > e) throw new Error(`${amount} has more decimals than ${currency}`);
  return BigInt(int!) * pow10(e) + BigInt(frac.padEnd(e, '0') || '0');
}

/** 1250050n EUR → "12500.50". */
export function fromMinor(minor: bigint, currency: Currency): string {
  const e = CURRENCY_EXPONENTS[currency];
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  const s = abs.toString().padStart(e + 1, '0');
  const out = e === 0 ? s : `${s.slice(0, -e)}.${s.slice(-e)}`;
  return neg ? `-${out}` : out;
}

/** An exact positive fraction. */
export interface Ratio {
  num: bigint;
  den: bigint;
}

/** "1.0825" → 10825/10000. */
export function ratioOf(decimal: string): Ratio {
  const [int, frac = ''] = decimal.split('.');
  return { num: BigInt(int! + frac), den: pow10(frac.length) };
}

export const invert = (r: Ratio): Ratio => ({ num: r.den, den: r.num });

/** n / d rounded to the nearest integer, halves away from zero (d > 0). */
export function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return neg ? -q : q;
}

/**
 * `total` split into `n` exact shares (a cost line shared by partnerships, an activity's cost shared
 * by its outputs): the first (total mod n) shares get one minor unit more.
 */
export function splitEqually(total: bigint, n: number): bigint[] {
  const N = BigInt(n);
  const each = total / N;
  const rest = total - each * N;
  return Array.from({ length: n }, (_, k) => each + (BigInt(k) < rest ? 1n : 0n));
}

/**
 * `total` split in proportion to non-negative integer `weights` (not all zero), exactly: each share
 * rounded down, then the minor units left over go one each to the largest remainders, the earlier
 * share first on a tie. Equal weights give splitEqually's result.
 */
export function splitByWeights(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((s, w) => s + w, 0n);
  if (sum <= 0n || weights.some((w) => w < 0n)) throw new Error('weights must be non-negative, not all zero');
  const shares = weights.map((w) => (total * w) / sum);
  let rest = total - shares.reduce((s, v) => s + v, 0n);
  const order = weights
    .map((w, k) => ({ k, rem: (total * w) % sum }))
    .sort((x, y) => (x.rem === y.rem ? x.k - y.k : x.rem > y.rem ? -1 : 1));
  for (const { k } of order) {
    if (rest <= 0n) break;
    shares[k]! += 1n;
    rest -= 1n;
  }
  return shares;
}

/** An activity's explicit cost shares as stored: a percentage or an amount per partnership. */
export type CostShare =
  | { partnershipId: string; percent: string }
  | { partnershipId: string; amount: { amount: string; currency: Currency } };

/**
 * The weights an activity's costs are split by between its partnerships (in `partnershipIds`
 * order): its explicit shares (percentages in hundredths, amounts in minor units), else equal.
 */
export function partnerWeights(a: {
  partnershipIds: readonly string[];
  costShares?: CostShare[] | null;
}): bigint[] {
  const byId = new Map((a.costShares ?? []).map((s) => [s.partnershipId, s]));
  if (!a.costShares?.length || a.partnershipIds.some((i) => !byId.has(i)))
    return a.partnershipIds.map(() => 1n);
  return a.partnershipIds.map((i) => {
    const s = byId.get(i)!;
    return 'percent' in s ? scaled(s.percent, 2) : toMinor(s.amount.amount, s.amount.currency);
  });
}

/**
 * A decimal string in units of 10^-digits, further decimals cut, for exact comparisons and weights:
 * ("40", 2) → 4000n; ("-2.5", 4) → -25000n; ("3.3333333", 4) → 33333n.
 */
export function scaled(decimal: string, digits: number): bigint {
  const neg = decimal.startsWith('-');
  const [int, frac = ''] = (neg ? decimal.slice(1) : decimal).split('.');
  const v = BigInt(int || '0') * pow10(digits) + BigInt(frac.padEnd(digits, '0').slice(0, digits) || '0');
  return neg ? -v : v;
}

/**
 * Convert an amount of `from`'s minor units at `rate` (units of `to` per unit of `from`) into
 * `to`'s minor units, rounded once, halves away from zero.
 */
export function convert(minor: bigint, from: Currency, to: Currency, rate: Ratio): bigint {
  const shift = CURRENCY_EXPONENTS[to] - CURRENCY_EXPONENTS[from];
  let num = minor * rate.num;
  let den = rate.den;
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  return divRound(num, den);
}

/** A rate as a decimal string for display (up to 10 decimals, trailing zeros trimmed). */
export function ratioToDecimal(r: Ratio, digits = 10): string {
  const scaled = divRound(r.num * pow10(digits), r.den);
  const s = scaled.toString().padStart(digits + 1, '0');
  const out = `${s.slice(0, -digits)}.${s.slice(-digits)}`.replace(/\.?0+$/, '');
  return out === '' ? '0' : out;
}

/** A stored decimal (numeric, e.g. an indicator's figure) without trailing zeros: "12.5000" → "12.5"; "3.0000" → "3". */
export const figure = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/**
 * A decimal (an amount, a figure) as a table cell (platform/tables): a number when the number
 * reads back as the same decimal, so a spreadsheet can sum it; otherwise the exact decimal as text
 * (999999999999999.99 would become 1000000000000000 as a double). Null stays empty.
 */
export function decimalCell(decimal: string | null): number | string | null {
  if (decimal === null) return null;
  const n = Number(decimal);
  if (n === 0) return 0;
  return String(n) === figure(decimal) ? n : decimal;
}

/** An exchange rate as stored: units of `toCurrency` for one unit of `fromCurrency`, as of a day. */
export interface StoredRate {
  fromCurrency: Currency;
  toCurrency: Currency;
  rate: string;
  asOf: string;
}
/** A rate a conversion used, for display beside the figures. */
export interface RateUsed {
  from: Currency;
  to: Currency;
  rate: string;
  asOf: string;
  inverse: boolean;
}

/**
 * Converts amounts into `target` (docs/adr/0028, funding gap): with the latest rate in `rates`
 * (newest first, already limited to the reporting date) of the direct pair, else the inverse pair
 * as an exact fraction; each amount rounded once to the target's minor unit, halves away from
 * zero. `missing(from)` is thrown when no rate joins `from` to the target. `used()` lists the rates.
 */
export function converter(
  rates: readonly StoredRate[],
  target: Currency,
  missing: (from: Currency) => Error,
) {
  const used = new Map<Currency, RateUsed>();
  const rateFor = (from: Currency): Ratio => {
    if (from === target) return { num: 1n, den: 1n };
    const direct = rates.find((r) => r.fromCurrency === from && r.toCurrency === target);
    const inverse = direct
      ? undefined
      : rates.find((r) => r.fromCurrency === target && r.toCurrency === from);
    const r = direct ?? inverse;
    if (!r) throw missing(from);
    used.set(from, {
      from: r.fromCurrency,
      to: r.toCurrency,
      rate: ratioToDecimal(ratioOf(r.rate)),
      asOf: r.asOf,
      inverse: !direct,
    });
    return direct ? ratioOf(r.rate) : invert(ratioOf(r.rate));
  };
  return {
    inTarget: (minor: string | bigint, from: Currency) => convert(BigInt(minor), from, target, rateFor(from)),
    used: () => [...used.values()],
  };
}
