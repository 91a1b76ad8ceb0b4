import type { NavEntry } from '../../../web/registry';

export const postingsNav: NavEntry[] = [];
