import type { NavEntry } from '../../../web/registry';

export const learningNav: NavEntry[] = [];
