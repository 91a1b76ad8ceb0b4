import type { NavEntry } from '../../../web/registry';

export const risksNav: NavEntry[] = [];
