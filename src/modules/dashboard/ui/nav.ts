import type { NavEntry } from '../../../web/registry';

export const dashboardNav: NavEntry[] = [];
