import fs from 'node:fs';
import { sfc32 } from '../../platform/random.ts';
import { CANONICAL_COLUMNS } from './analytics.vocab.ts';

/**
 * Synthetic declarations in the canonical schema (`arusha demo-data declarations`): offices,
 * officers, brokers of skewed sizes (Zipf), products with reference unit values and risk,
 * a selectivity engine, control outcomes and times; with `plant`, known anomalies and their
 * ground truth. Deterministic by seed; streamed to disk (rows never held in memory).
 */
export interface GenerateOptions {
  rows: number;
  seed: number;
  plant: boolean;
  out: string;
  delimiter?: string;
  /** Year of the registrations (default 2025). */
  year?: number;
  /** Write the optional `procedure` column (default true); false writes the extract as before it existed. */
  procedure?: boolean;
  onProgress?: (done: number) => void;
}

export interface GroundTruth {
  seed: number;
  rows: number;
  collusivePairs: { officer_id: string; declarant_id: string; office_code: string }[];
  downRouting: string[];
  lowDetection: string[];
  lenientValuation: string[];
  slowProcessing: string[];
}

/** sfc32 seeded through splitmix32: fast, good enough for simulation, reproducible. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const next = sfc32(split(), split(), split(), split());
  const normal = () => {
    const u = next() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, normal, int: (n: number) => Math.floor(next() * n) };
}

/** Cumulative weights → an index drawn by binary search. */
function picker(weights: number[]) {
  const cum = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i] as number;
    cum[i] = s;
  }
  return (u: number) => {
    const x = u * s;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const CHANNELS = ['green', 'blue', 'yellow', 'red'] as const;

/**
 * Customs procedure codes (ASYCUDA CPC: requested procedure, previous procedure) of an import
 * extract, with their share of declarations before the adjustments below: home use, home use
 * out of a customs warehouse, entry into a warehouse, inward processing.
 */
export const PROCEDURES = ['4000', '4071', '7100', '5100'] as const;
const PROCEDURE_SHARE = [0.72, 0.12, 0.1, 0.06];
/** Relative weight of each procedure by system channel (green, blue, yellow, red): selectivity
 * controls home use more than goods entering a warehouse, and checks inward processing's papers. */
const PROCEDURE_BY_CHANNEL = [
  [1, 1, 1, 1],
  [1.2, 1, 0.8, 0.7],
  [1.6, 1.2, 0.6, 0.4],
  [0.8, 1, 1.8, 1.2],
];
/** Undervaluation is commoner on goods leaving a warehouse for home use. */
const PROCEDURE_IF_UNDERVALUED = [1, 1.8, 0.6, 1];
/** Textiles (HS 50–63) and machinery (84–85) are the goods processed under inward processing. */
const processed = (hs6: string) => {
  const ch = Number(hs6.slice(0, 2));
  return (ch >= 50 && ch <= 63) || ch === 84 || ch === 85;
};

export async function generateDeclarations(o: GenerateOptions): Promise<GroundTruth> {
  const r = rng(o.seed);
  // The procedure is drawn from a stream of its own, after the rest of the row, given its office,
  // product, system channel and valuation: every other column is what the seed gave before
  // procedures were generated (the planted anomalies and the tests built on them stay put).
  const rp = rng((o.seed ^ 0x70726f63) >>> 0);
  const withProcedure = o.procedure ?? true;
  const year = o.year ?? 2025;
  const sep = o.delimiter ?? ',';
  const nOffices = 6;
  const offices = Array.from({ length: nOffices }, (_, i) => `OFF${pad(i + 1, 2)}`);
  const officeWeight = offices.map((_, i) => 1 / (i + 1) ** 0.6);
  const nOfficers = Math.max(24, Math.min(400, Math.round(o.rows / 2500)));
  const officers = Array.from({ length: nOfficers }, (_, i) => ({
    id: `INS${pad(i + 1, 4)}`,
    office: i % nOffices,
  }));
  const officersByOffice = offices.map((_, k) => officers.filter((x) => x.office === k));
  const nBrokers = Math.max(40, Math.min(20_000, Math.round(o.rows / 150)));
  const brokers = Array.from({ length: nBrokers }, (_, i) => ({
    id: `BRK${pad(i + 1, 5)}`,
    home: r.int(nOffices),
    risk: r.next() ** 2,
  }));
  const pickBroker = picker(brokers.map((_, i) => 1 / (i + 1) ** 1.05));
  const nImporters = Math.max(100, Math.round(o.rows / 40));
  const nProducts = 600;
  const products = Array.from({ length: nProducts }, () => {
    const chapter = 1 + r.int(97);
    return {
      hs6: `${pad(chapter, 2)}${pad(r.int(10_000), 4)}`,
      uv: Math.exp(1 + 2.5 * r.next()),
      risk: r.next() ** 3,
      duty: [0.05, 0.1, 0.2, 0.3][r.int(4)] as number,
    };
  });
  const pickProduct = picker(products.map((_, i) => 1 / (i + 1) ** 0.8));
  const origins = ['CN', 'FR', 'DE', 'IN', 'US', 'AE', 'TR', 'BR', 'JP', 'ZA', 'NG', 'IT', 'TH', 'VN', 'BE'];

  // Planted anomalies: distinct officers per kind, collusive brokers of middle size at home.
  const truth: GroundTruth = {
    seed: o.seed,
    rows: o.rows,
    collusivePairs: [],
    downRouting: [],
    lowDetection: [],
    lenientValuation: [],
    slowProcessing: [],
  };
  const kind = new Map<string, 'down' | 'lowdet' | 'lenient' | 'slow' | 'collude'>();
  const collude = new Map<string, string>(); // broker id → officer id
  if (o.plant) {
    const pool = [...officers].sort(() => r.next() - 0.5);
    const take = (k: 'down' | 'lowdet' | 'lenient' | 'slow' | 'collude', n: number) =>
      pool.splice(0, n).map((x) => {
        kind.set(x.id, k);
        return x;
      });
    truth.downRouting = take('down', 2).map((x) => x.id);
    truth.lowDetection = take('lowdet', 2).map((x) => x.id);
    truth.lenientValuation = take('lenient', 2).map((x) => x.id);
    truth.slowProcessing = take('slow', 2).map((x) => x.id);
    const lo = Math.min(10, nBrokers - 10);
    for (const off of take('collude', 3)) {
      let b = brokers[lo + r.int(Math.min(40, nBrokers - lo))];
      while (!b || collude.has(b.id)) b = brokers[lo + r.int(Math.min(40, nBrokers - lo))];
      b.home = off.office;
      collude.set(b.id, off.id);
      truth.collusivePairs.push({
        officer_id: off.id,
        declarant_id: b.id,
        office_code: offices[off.office] as string,
      });
    }
  }

  const start = Date.UTC(year, 0, 1) / 1000;
  const span = 365 * 86400;
  const iso = (s: number) => new Date(Math.round(s) * 1000).toISOString().slice(0, 19);
  const out = fs.createWriteStream(o.out);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((res) => out.once('drain', () => res()));
  // Office 2 is the port with the bonded warehouses.
  const officeProcedure = offices.map((_, i) => (i === 1 ? [1, 2.5, 3, 1] : [1, 1, 1, 1]));
  const productProcedure = products.map((p) => (processed(p.hs6) ? [1, 1, 1, 5] : [1, 1, 1, 1]));
  const weights = new Float64Array(PROCEDURES.length);
  const procedureOf = (office: number, product: number, sys: number, undervalued: boolean) => {
    let total = 0;
    for (let i = 0; i < PROCEDURES.length; i++) {
      total +=
        (PROCEDURE_SHARE[i] as number) *
        (officeProcedure[office]?.[i] as number) *
        (productProcedure[product]?.[i] as number) *
        (PROCEDURE_BY_CHANNEL[i]?.[sys] as number) *
        (undervalued ? (PROCEDURE_IF_UNDERVALUED[i] as number) : 1);
      weights[i] = total;
    }
    const x = rp.next() * total;
    let i = 0;
    while (i < PROCEDURES.length - 1 && (weights[i] as number) <= x) i++;
    return PROCEDURES[i] as string;
  };
  await write(`${CANONICAL_COLUMNS.filter((c) => withProcedure || c !== 'procedure').join(sep)}\n`);
  const pickOffice = picker(officeWeight);
  let buf: string[] = [];
  for (let n = 1; n <= o.rows; n++) {
    const broker = brokers[pickBroker(r.next())] as (typeof brokers)[number];
    const office = r.next() < 0.85 ? broker.home : pickOffice(r.next());
    const staff = officersByOffice[office] as typeof officers;
    let assignment = 'random';
    let officer = staff[r.int(staff.length)] as (typeof officers)[number];
    const partner = collude.get(broker.id);
    const colluding = partner !== undefined && office === broker.home && r.next() < 0.6;
    if (colluding) officer = officers.find((x) => x.id === partner) as (typeof officers)[number];
    else if (r.next() < 0.04) assignment = r.next() < 0.5 ? 'manual' : 'rule';
    const k = kind.get(officer.id);
    const productIndex = pickProduct(r.next());
    const product = products[productIndex] as (typeof products)[number];
    const origin = origins[Math.min(origins.length - 1, Math.floor(origins.length * r.next() ** 1.5))];
    const risk = Math.min(1, 0.55 * product.risk + 0.45 * broker.risk + 0.1 * r.next());
    const fraud = r.next() < 0.04 + 0.3 * risk;
    const undervalued = fraud && r.next() < 0.6;
    const mass = Math.exp(Math.log(2000) + 1.2 * r.normal());
    const trueValue = mass * product.uv * Math.exp(0.2 * r.normal());
    const value = undervalued ? trueValue * (0.25 + 0.15 * r.next()) : trueValue;
    const u = r.next();
    const pRed = 0.04 + 0.3 * risk;
    const pYellow = 0.1 + 0.2 * risk;
    const sys = u < pRed ? 3 : u < pRed + pYellow ? 2 : u < pRed + pYellow + 0.05 ? 1 : 0;
    let fin = sys;
    let reroutedBy = '';
    if (sys >= 2) {
      const pDown = k === 'down' ? 0.3 : 0.015;
      if (r.next() < pDown) {
        fin = r.next() < 0.7 ? 0 : sys - 1;
        reroutedBy = officer.id;
      }
    }
    const dutyDeclared = value * product.duty;
    let dutyAssessed = dutyDeclared;
    let offence = '';
    if (fin >= 2) {
      let pDetect = fin === 3 ? 0.85 : 0.6;
      if (k === 'lowdet') pDetect = 0.15;
      if (colluding) pDetect = 0.1;
      if (k === 'lenient' && undervalued) pDetect = 0;
      const hit = fraud && r.next() < pDetect;
      offence = hit ? '1' : '0';
      if (hit) dutyAssessed = (undervalued ? trueValue : value) * product.duty * (undervalued ? 1.1 : 1.15);
    }
    const reg = start + r.next() * span;
    let delayH = Math.exp(Math.log([3, 4, 20, 40][fin] as number) + 0.9 * r.normal());
    if (k === 'slow') delayH *= 6;
    if (colluding) delayH *= 0.5;
    if (r.next() < 0.01) delayH *= 15;
    const unprocessed = r.next() < 0.003;
    const asm = unprocessed ? '' : iso(reg + delayH * 3600);
    const rel = unprocessed ? '' : iso(reg + delayH * 3600 + Math.exp(Math.log(5) + r.normal()) * 3600);
    const row = [
      `D${year}${pad(n, 9)}`,
      offices[office],
      iso(reg),
      asm,
      rel,
      broker.id,
      `IMP${pad(1 + r.int(nImporters), 6)}`,
      officer.id,
      assignment,
      CHANNELS[sys],
      CHANNELS[fin],
      reroutedBy,
      product.hs6,
      origin,
      value.toFixed(2),
      mass.toFixed(1),
      dutyDeclared.toFixed(2),
      dutyAssessed.toFixed(2),
      offence,
    ];
    if (withProcedure) row.push(procedureOf(office, productIndex, sys, undervalued));
    buf.push(row.join(sep));
    if (buf.length === 5000 || n === o.rows) {
      await write(`${buf.join('\n')}\n`);
      buf = [];
      o.onProgress?.(n);
    }
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return truth;
}
