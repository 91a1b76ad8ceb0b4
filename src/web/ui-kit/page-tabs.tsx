import { Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { hasPermission, useMe } from '../session';
import { ButtonLink } from './links';

export interface PageTab {
  id: string;
  to: string;
  label: string;
  /** Shown only to those who hold it. */
  permission?: string;
}

/**
 * Links between a module's pages, as a row of small buttons, the current page marked. Tabs the
 * user may not open are left out; with fewer than two left, nothing is shown.
 */
export function PageTabs({
  label,
  current,
  tabs,
}: {
  /** The navigation's accessible name. */
  label: string;
  current: string;
  tabs: readonly PageTab[];
}): ReactNode {
  const me = useMe();
  const shown = tabs.filter((x) => !x.permission || hasPermission(me, x.permission));
  if (shown.length < 2) return null;
  return (
    <Group gap="xs" mb="md" component="nav" aria-label={label}>
      {shown.map((x) => (
        <ButtonLink
          key={x.id}
          to={x.to}
          size="xs"
          variant={x.id === current ? 'filled' : 'default'}
          aria-current={x.id === current ? 'page' : undefined}
        >
          {x.label}
        </ButtonLink>
      ))}
    </Group>
  );
}
