import type { ReactNode } from 'react';

export function ReportKeysPage(): ReactNode {
  return null;
}
