import { Alert, Code, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../api';
import { ScrollTable } from './scroll-table';

/** An API error as an alert; a problem's `errors` list (path + message) as a table. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }): ReactNode {
  const { t } = useTranslation();
  if (!error) return null;
  const details = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  const requestId = error instanceof ApiError ? error.problem.requestId : undefined;
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title={title ?? t('errors.title')}
      icon={<IconAlertTriangle aria-hidden />}
    >
      <Stack gap="xs">
        <Text size="sm">{errorMessage(error)}</Text>
        {details.length > 0 && (
          <ScrollTable minWidth={320} label={t('errors.detailsCaption', { count: details.length })}>
            <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm">
              <Table.Caption>{t('errors.detailsCaption', { count: details.length })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('errors.path')}</Table.Th>
                  <Table.Th scope="col">{t('errors.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {details.map((d, i) => (
                  // The same path may repeat, hence the index in the key.
                  <Table.Tr key={`${d.path}-${i}`}>
                    <Table.Td>
                      <Code>{d.path || '/'}</Code>
                    </Table.Td>
                    <Table.Td>{d.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        {requestId && (
          <Text size="xs" c="dimmed">
            {t('errors.requestId', { id: requestId })}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
