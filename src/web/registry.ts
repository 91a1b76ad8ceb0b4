import type { Icon } from '@tabler/icons-react';
import type { LinkProps } from '@tanstack/react-router';
import type { TFunction } from 'i18next';

// What a module contributes to the navigation and the home page. An entry is shown only
// when the user holds its permission and, for a `platformAdmin` entry, is a platform
// administrator (the server enforces the same rules).
export interface NavEntry {
  id: string;
  to: NonNullable<LinkProps['to']>;
  label: (t: TFunction) => string;
  description?: (t: TFunction) => string;
  icon: Icon;
  /** Permission id (`module.action`) the user needs; none = every signed-in user. */
  permission?: string;
  /** Shown only to platform administrators (`me.user.isPlatformAdmin`). */
  platformAdmin?: boolean;
  /** Shown only when the server runs in development / demo mode. */
  devOnly?: boolean;
  /** Hidden from the home page cards. */
  navOnly?: boolean;
  order: number;
}
