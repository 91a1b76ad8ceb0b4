import { Badge, Button, Code, FileInput, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { IconFileUpload, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import type { LibrarySummaryT } from '../../../web/types';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { useLibraries } from './queries';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { notify } from '../../../web/ui-kit/notify';

const MAX_BYTES = 2_000_000;

function UploadForm(): ReactNode {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [content, setContent] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const upload = useMutation({
    mutationFn: (text: string) => api.post<LibrarySummaryT>('/api/standards/libraries', { content: text }),
    onSuccess: (lib) => {
      notify({
        color: 'teal',
        title: t('libraries.uploaded'),
        message: t('libraries.uploadedDetail', { name: lib.name, version: lib.version }),
      });
      setContent('');
      setFile(null);
      void queryClient.invalidateQueries({ queryKey: ['standards'] });
    },
  });

  const onFile = async (f: File | null) => {
    setFile(f);
    setLocalError(null);
    upload.reset();
    if (!f) return;
    if (f.size > MAX_BYTES) {
      setLocalError(t('libraries.tooLarge'));
      return;
    }
    setContent(await f.text());
  };

  return (
    <Section title={t('libraries.upload')} description={t('libraries.uploadHelp')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (content.trim().length < 2) {
            setLocalError(t('libraries.empty'));
            return;
          }
          upload.mutate(content);
        }}
        noValidate
      >
        <Stack>
          <ProblemAlert error={upload.error} title={t('libraries.rejected')} />
          <FileInput
            label={t('libraries.file')}
            description={t('libraries.fileHelp')}
            accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
            value={file}
            onChange={(f) => void onFile(f)}
            clearable
            leftSection={<IconFileUpload size={16} aria-hidden />}
            error={localError}
            maw={480}
          />
          <Textarea
            label={t('libraries.content')}
            description={t('libraries.contentHelp')}
            value={content}
            onChange={(e) => {
              setContent(e.currentTarget.value);
              setLocalError(null);
            }}
            autosize
            minRows={6}
            maxRows={20}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            spellCheck={false}
          />
          <Group>
            <Button
              type="submit"
              leftSection={<IconUpload size={16} aria-hidden />}
              loading={upload.isPending}
            >
              {t('libraries.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

const KIND_COLORS: Record<LibrarySummaryT['kind'], string> = {
  framework: 'blue',
  reference: 'grape',
  scale: 'teal',
  matrix: 'orange',
};

export function LibrariesPage(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const libraries = useLibraries();
  const canManage = useCan('standards.manage');
  return (
    <>
      <PageHeader
        title={t('libraries.title')}
        description={t('libraries.intro')}
        crumbs={[{ label: t('standards.title'), to: '/standards' }]}
      />
      <RequirePermission permission="standards.read">
        <Stack gap="lg">
          {libraries.isPending ? (
            <PageLoader />
          ) : libraries.isError ? (
            <QueryError error={libraries.error} onRetry={() => void libraries.refetch()} />
          ) : (
            <ScrollTable minWidth={760} label={t('libraries.title')}>
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Caption>
                  {t('libraries.caption', { count: libraries.data.items.length })}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('libraries.name')}</Table.Th>
                    <Table.Th scope="col">{t('libraries.kind')}</Table.Th>
                    <Table.Th scope="col">{t('libraries.version')}</Table.Th>
                    <Table.Th scope="col">{t('libraries.provider')}</Table.Th>
                    <Table.Th scope="col">{t('libraries.scope')}</Table.Th>
                    <Table.Th scope="col">{t('libraries.loadedAt')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {libraries.data.items.map((lib) => (
                    <Table.Tr key={lib.id}>
                      <Table.Td>
                        <Stack gap={2}>
                          <Text size="sm" fw={500}>
                            {lib.name}
                          </Text>
                          <Code fz="xs">{lib.urn}</Code>
                        </Stack>
                      </Table.Td>
                      <Table.Td miw={120}>
                        <Badge variant="light" color={KIND_COLORS[lib.kind]} tt="none">
                          {t(`libraries.kinds.${lib.kind}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Text size="sm">{fmt.number(lib.version)}</Text>
                          {lib.superseded && (
                            <Badge size="xs" variant="light" color="gray" tt="none">
                              {t('libraries.superseded')}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{lib.provider}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {t(`libraries.scopes.${lib.scope}`)}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(lib.loadedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          {canManage && <UploadForm />}
        </Stack>
      </RequirePermission>
    </>
  );
}
