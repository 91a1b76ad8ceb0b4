import type { NavEntry } from '../../../web/registry';

export const actionPlansNav: NavEntry[] = [];
