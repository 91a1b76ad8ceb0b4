import { Anchor, Table, Text, Typography } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { VersionDetailT } from './types';

export const conductKey = ['conduct'] as const;

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The code's text (Markdown rendered and sanitised by the server) and its sanction scale. */
export function CodeText({
  code,
  pdfHref,
}: {
  code: { html: string; sanctions: VersionDetailT['sanctions'] };
  pdfHref?: string;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      {pdfHref && (
        <Anchor href={pdfHref} target="_blank" rel="noopener" mb="sm" display="inline-block">
          {t('conduct.openPdf')}
        </Anchor>
      )}
      <Typography
        maw="72ch"
        // Rendered from Markdown and sanitised (allow-list) by the server, like the lessons.
        dangerouslySetInnerHTML={{ __html: code.html }}
      />
      {code.sanctions.length > 0 && (
        <>
          <Text fw={600} mt="lg" mb="xs" component="h2" size="lg">
            {t('conduct.sanctionScale')}
          </Text>
          <ScrollTable minWidth={480} label={t('conduct.sanctionScale')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('conduct.level')}</Table.Th>
                  <Table.Th scope="col">{t('conduct.misconduct')}</Table.Th>
                  <Table.Th scope="col">{t('conduct.sanction')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {code.sanctions.map((s) => (
                  <Table.Tr key={s.level}>
                    <Table.Td>{s.level}</Table.Td>
                    <Table.Td>{s.misconduct}</Table.Td>
                    <Table.Td>{s.sanction}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
    </>
  );
}

export type ManageTab = 'versions' | 'campaigns' | 'parties';

/** Links between the manager's pages (versions, campaigns, private sector). */
export function ManageTabs({ current }: { current: ManageTab }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('conduct.manageNav')}
      current={current}
      tabs={[
        { id: 'versions', to: '/conduct/versions', label: t('conduct.tabs.versions') },
        { id: 'campaigns', to: '/conduct/campaigns', label: t('conduct.tabs.campaigns') },
        { id: 'parties', to: '/conduct/parties', label: t('conduct.tabs.parties') },
      ]}
    />
  );
}

/** A share (0–1) as a whole percentage in the UI language, or a dash. */
export function usePct() {
  const { i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  return (v: number | null | undefined) => (v === null || v === undefined ? '—' : nf.format(v));
}
