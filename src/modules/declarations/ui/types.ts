// What the UI reads from /api/declarations: the server's contracts (type-only imports).
import type { z } from 'zod';
import type {
  AssetValues,
  Cycle,
  Declaration,
  Flag,
  HandledRows,
  Settings,
  Statistics,
} from '../declarations.contract';

export type DeclarationT = z.infer<typeof Declaration>;
export type AssetValuesT = z.infer<typeof AssetValues>;
export type CycleT = z.infer<typeof Cycle>;
export type FlagT = z.infer<typeof Flag>;
export type HandledRowsT = z.infer<typeof HandledRows>;
export type SettingsT = z.infer<typeof Settings>;
export type StatisticsT = z.infer<typeof Statistics>;
