import { Alert, Button, Container, FileInput, Group, Stack, Table, Text } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import type { ImportReport } from '../risks.contract';
import { risksKey, uploadRegister } from './queries';
import { RisksSubnav } from './register-page';

export function ImportPage(): ReactNode {
  return (
    <RequirePermission permission="risks.manage">
      <Wizard />
    </RequirePermission>
  );
}

function Wizard(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const dry = useMutation({
    mutationFn: (f: File) => uploadRegister(f, true),
    onSuccess: (r) => {
      setPreview(r);
      setDone(null);
    },
  });
  const commit = useMutation({
    mutationFn: (f: File) => uploadRegister(f, false),
    onSuccess: async (r) => {
      setDone(r);
      setPreview(null);
      await qc.invalidateQueries({ queryKey: risksKey });
    },
  });
  return (
    <Container size="lg" px={0}>
      <RisksSubnav />
      <PageHeader title={t('risks.import.title')} description={t('risks.import.intro')} />
      <Stack gap="md">
        <Section title={t('risks.import.step1')}>
          <Group align="end">
            <FileInput
              label={t('risks.import.file')}
              accept=".xlsx,.csv"
              value={file}
              onChange={(f) => {
                setFile(f);
                setPreview(null);
                setDone(null);
              }}
              w={360}
              data-testid="risk-import-file"
            />
            <Button
              leftSection={<IconUpload size={16} aria-hidden />}
              disabled={!file}
              loading={dry.isPending}
              onClick={() => file && dry.mutate(file)}
              data-testid="risk-import-check"
            >
              {t('risks.import.check')}
            </Button>
          </Group>
          <ProblemAlert error={dry.error} />
        </Section>
        {preview && (
          <Section title={t('risks.import.step2')}>
            {preview.errors.length > 0 ? (
              <>
                <Alert color="red">{t('risks.import.hasErrors', { n: preview.errors.length })}</Alert>
                <Table data-testid="risk-import-errors">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('risks.import.row')}</Table.Th>
                      <Table.Th scope="col">{t('risks.import.column')}</Table.Th>
                      <Table.Th scope="col">{t('risks.import.problem')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.errors.map((e, i) => (
                      <Table.Tr key={i}>
                        <Table.Td>{e.row}</Table.Td>
                        <Table.Td ff="monospace">{e.column ?? '—'}</Table.Td>
                        <Table.Td>{e.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            ) : (
              <Stack gap="xs">
                <Text>{t('risks.import.summary', importCounts(t, preview))}</Text>
                <Group>
                  <Button
                    color="teal"
                    loading={commit.isPending}
                    onClick={() => file && commit.mutate(file)}
                    data-testid="risk-import-confirm"
                  >
                    {t('risks.import.confirm')}
                  </Button>
                </Group>
              </Stack>
            )}
          </Section>
        )}
        <ProblemAlert error={commit.error} />
        {done && <Alert color="teal">{t('risks.import.done', importCounts(t, done))}</Alert>}
      </Stack>
    </Container>
  );
}

/** New, replaced and unchanged risks, each count with its word in the language's plural form. */
function importCounts(
  t: TFunction,
  r: ImportReport,
): { created: string; updated: string; unchanged: string } {
  return {
    created: t('risks.import.created', { count: r.created.length }),
    updated: t('risks.import.updated', { count: r.updated.length }),
    unchanged: t('risks.import.unchanged', { count: r.unchanged.length }),
  };
}
