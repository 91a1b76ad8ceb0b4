import { Badge, Button, FileButton, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Items, api, upload } from '../../../web/api';
import { currentLanguage } from '../../../web/i18n';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { Section } from '../../../web/ui-kit/section';
import { handlerKey } from './queries';

/** A report's file as GET …/files/list describes it (reports.files.routes.ts, AttachedFile). */
interface FileT {
  id: string;
  name: string;
  type: string;
  size: number;
  direction: 'reporter' | 'handler';
  metadataRemoved: boolean;
  at: string;
}

/** Downloads are POSTs (each one is audited): fetch the file, then hand it to the browser. */
async function downloadFile(reportId: string, f: FileT, query: string) {
  const res = await fetch(`/api/reports/${reportId}/files/${f.id}/download${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-Requested-With': 'arusha', 'Accept-Language': currentLanguage() },
  });
  if (!res.ok)
    throw new ApiError({ status: res.status, code: res.status === 404 ? 'NOT_FOUND' : 'CONFLICT' });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = f.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The report's files (the reporter's and the handlers'); a handler may send one to the reporter.
 * `via="escrow"`: a custodian reading an escrowed report (read-only; each access audited as such).
 */
export function Files({
  reportId,
  closed,
  via,
}: {
  reportId: string;
  closed: boolean;
  via?: 'escrow';
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const query = via ? `?via=${via}` : '';
  const key = [...handlerKey, 'files', reportId, via ?? 'seal'];
  const files = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.post<Items<FileT>>(`/api/reports/${reportId}/files/list${query}`, undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: false,
  });
  const add = useMutation({
    mutationFn: (file: File) => upload('/api/reports/files', file, { fields: { reportId } }),
    onSuccess: () => {
      notifySuccess(t('reports.files.sent'));
      return qc.invalidateQueries({ queryKey: key });
    },
  });
  return (
    <Section title={t('reports.files.title')} description={t('reports.files.hint')}>
      {files.error ? <ProblemAlert error={files.error} /> : null}
      {files.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('reports.files.none')}
        </Text>
      )}
      <Stack gap={6} data-testid="report-files">
        {files.data?.items.map((x) => (
          <Group key={x.id} gap="xs" wrap="wrap">
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconDownload size={14} aria-hidden />}
              onClick={() => downloadFile(reportId, x, query).catch(setError)}
            >
              {x.name}
            </Button>
            <Text size="xs" c="dimmed">
              {x.direction === 'reporter' ? t('reports.files.fromReporter') : t('reports.files.fromHandler')}{' '}
              · {f.fileSize(x.size)} · {f.dateTime(x.at)}
            </Text>
            {!x.metadataRemoved && (
              <Badge color="orange" variant="light" size="sm">
                {t('reports.files.metadataKept')}
              </Badge>
            )}
          </Group>
        ))}
      </Stack>
      {error ? <ProblemAlert error={error} /> : null}
      {!closed && !via && (
        <FileButton onChange={(file) => file && add.mutate(file)}>
          {(props) => (
            <Button
              {...props}
              variant="light"
              w="fit-content"
              leftSection={<IconUpload size={16} aria-hidden />}
              loading={add.isPending}
            >
              {t('reports.files.send')}
            </Button>
          )}
        </FileButton>
      )}
      {add.error && <ProblemAlert error={add.error} />}
    </Section>
  );
}
