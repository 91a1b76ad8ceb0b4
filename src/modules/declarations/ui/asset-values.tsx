import { Alert, Modal, Stack, Table, Text } from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { AssetCategory } from '../declarations.vocab';
import type { AssetValuesT } from './types';

/**
 * An asset declaration's values: a POST, because every opening is written to the audit log.
 * Not cached: closing and opening again is another (audited) reading.
 */
export function AssetValuesModal({ id, onClose }: { id: string | null; onClose: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['declarations', 'asset-values', id, i18n.language],
    queryFn: () => api.post<AssetValuesT>(`/api/declarations/${id}/asset-values`),
    enabled: !!id,
    gcTime: 0,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const money = (n: number) =>
    new Intl.NumberFormat(i18n.language, { style: 'currency', currency: q.data?.currency ?? 'USD' }).format(
      n,
    );
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={!!id}
      onClose={onClose}
      title={t('declarations.assetValues')}
      size="xl"
    >
      <Stack>
        <Alert icon={<IconEye size={18} />} color="gray" variant="light">
          {t('declarations.auditedRead')}
        </Alert>
        {q.isPending ? (
          <PageLoader />
        ) : q.isError ? (
          <QueryError error={q.error} />
        ) : (
          <>
            {q.data.flags.map((f) => (
              <Alert key={f.id} color="orange" title={t(`declarations.rules.${f.rule}`)}>
                {f.explanation}
              </Alert>
            ))}
            <ScrollTable minWidth={560} label={t('declarations.items')}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('declarations.category')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.lineDescription')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.acquiredOn')}</Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t('declarations.value')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {q.data.items.map((i, n) => (
                    <Table.Tr key={n}>
                      <Table.Td>{t(`declarations.categories.${i.category as AssetCategory}`)}</Table.Td>
                      <Table.Td>{i.description}</Table.Td>
                      <Table.Td>{i.acquiredOn ?? '—'}</Table.Td>
                      <Table.Td ta="end">{money(i.value)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            <Text>
              {t('declarations.totals', {
                assets: money(q.data.totals.assets),
                liabilities: money(q.data.totals.liabilities),
                netWorth: money(q.data.totals.netWorth),
                income: money(q.data.totals.income),
              })}
            </Text>
          </>
        )}
      </Stack>
    </Modal>
  );
}
