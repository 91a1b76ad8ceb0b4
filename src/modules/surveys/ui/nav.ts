import type { NavEntry } from '../../../web/registry';

export const surveysNav: NavEntry[] = [];
