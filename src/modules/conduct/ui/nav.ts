import type { NavEntry } from '../../../web/registry';

export const conductNav: NavEntry[] = [];
