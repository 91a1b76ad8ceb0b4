import type { NavEntry } from '../../../web/registry';

export const declarationsNav: NavEntry[] = [];
