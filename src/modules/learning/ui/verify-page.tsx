import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type { VerificationT } from './types';

// Public certificate verification: works signed out. It shows what the certificate states
// (name, course, version, date) or that the code is not valid — nothing else.

/** Crockford base32 in five groups of four; the server forgives case, spaces, I/L/O. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9 -]{14,40}[A-Za-z0-9]$/;

export function VerifyPage(): ReactNode {
  return <Verify code={undefined} />;
}

export function VerifyCodePage(): ReactNode {
  const { code } = useParams({ strict: false }) as { code: string };
  return <Verify code={code} />;
}

function Verify({ code }: { code: string | undefined }): ReactNode {
  const { t } = useTranslation();
  useDocumentTitle(`${t('learning.verify.title')} · ${t('app.name')}`);
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('learning.verify.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('learning.verify.intro')}
      </Text>
      <CodeForm initial={code ?? ''} />
      {code && <Result key={code} code={code} />}
    </Stack>
  );
}

function CodeForm({ initial }: { initial: string }): ReactNode {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const c = value.trim().toUpperCase().replace(/\s+/g, '-');
        if (!CODE.test(c)) {
          setError(t('learning.verify.badCode'));
          return;
        }
        setError(null);
        navigate({ to: '/verify/$code', params: { code: c } } as never);
      }}
    >
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          label={t('learning.verify.code')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={error}
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
          style={{ flex: 1 }}
          data-testid="verify-code-input"
        />
        <Button type="submit">{t('learning.verify.check')}</Button>
      </Group>
    </form>
  );
}

function Result({ code }: { code: string }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['learning', 'verify', code],
    queryFn: async ({ signal }): Promise<VerificationT> => {
      try {
        return await api.get<VerificationT>(`/api/learning/verify/${encodeURIComponent(code)}`, {
          signal,
          authRedirect: false,
        });
      } catch (e) {
        // An unknown or malformed code is simply "not valid".
        if (e instanceof ApiError && (e.status === 404 || e.status === 400))
          return { valid: false, status: 'unknown' };
        throw e;
      }
    },
    retry: false,
  });
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  const v = q.data;
  if (!v.valid)
    return (
      <Alert
        color="red"
        variant="light"
        role="status"
        icon={<IconCircleX aria-hidden />}
        title={t('learning.verify.notValid')}
        data-testid="verify-result"
        data-valid="false"
      >
        {v.status === 'revoked' ? t('learning.verify.revoked') : t('learning.verify.notValidBody')}
      </Alert>
    );
  return (
    <Alert
      color="teal"
      variant="light"
      role="status"
      icon={<IconCircleCheck aria-hidden />}
      title={t('learning.verify.valid')}
      data-testid="verify-result"
      data-valid="true"
    >
      <Table variant="vertical" withTableBorder={false} fz="sm" verticalSpacing={4}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={140}>{t('learning.verify.name')}</Table.Th>
            <Table.Td>{v.learner}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('learning.verify.course')}</Table.Th>
            <Table.Td>{v.course}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('learning.verify.version')}</Table.Th>
            <Table.Td>{f.number(v.version)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('learning.verify.completedOn')}</Table.Th>
            <Table.Td>{f.date(v.completedOn)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Alert>
  );
}
