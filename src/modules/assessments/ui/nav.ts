import type { NavEntry } from '../../../web/registry';

export const assessmentsNav: NavEntry[] = [];
