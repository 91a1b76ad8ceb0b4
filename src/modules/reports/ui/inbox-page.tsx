import type { ReactNode } from 'react';

export function ReportsInboxPage(): ReactNode {
  return null;
}
