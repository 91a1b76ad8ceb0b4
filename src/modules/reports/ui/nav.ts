import type { NavEntry } from '../../../web/registry';

export const reportsNav: NavEntry[] = [];
