import {
  ActionIcon,
  Alert,
  Button,
  Code,
  Group,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconKey, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api, errorMessage } from '../../../web/api';
import type { ApiTokenT, CreatedApiTokenT } from '../../../web/types';
import { CopyValue } from '../../../web/ui-kit/copy-value';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { Section } from '../../../web/ui-kit/section';
import { requiredError } from './validation';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { notify } from '../../../web/ui-kit/notify';

const TOKENS_KEY = ['me', 'tokens'] as const;

function CreateTokenForm({ onCreated }: { onCreated: (t: CreatedApiTokenT) => void }): ReactNode {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', expiresInDays: 90 as number | string },
    validate: {
      name: (v) => requiredError(t, v),
      expiresInDays: (v) =>
        typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 365
          ? null
          : t('validation.range', { min: 1, max: 365 }),
    },
  });
  const create = useMutation({
    mutationFn: (v: { name: string; expiresInDays: number }) =>
      api.post<CreatedApiTokenT>('/api/me/tokens', v),
    onSuccess: (token) => {
      form.reset();
      onCreated(token);
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (err) => applyFieldErrors(form, ['name', 'expiresInDays'], err),
  });
  return (
    <form
      onSubmit={form.onSubmit((v) =>
        create.mutate({ name: v.name.trim(), expiresInDays: Number(v.expiresInDays) }),
      )}
      noValidate
    >
      <Stack gap="sm">
        <ProblemAlert error={create.error} />
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label={t('tokens.name')}
            required
            w={260}
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <NumberInput
            label={t('tokens.expiresInDays')}
            min={1}
            max={365}
            allowDecimal={false}
            w={160}
            key={form.key('expiresInDays')}
            {...form.getInputProps('expiresInDays')}
          />
        </Group>
        <Group>
          <Button type="submit" leftSection={<IconKey size={16} aria-hidden />} loading={create.isPending}>
            {t('tokens.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TokensSection(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: TOKENS_KEY,
    queryFn: ({ signal }) => api.get<Items<ApiTokenT>>('/api/me/tokens', { signal }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/me/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => {
      notify({ color: 'teal', message: t('tokens.revoked') });
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (err) => notify({ color: 'red', title: t('errors.title'), message: errorMessage(err) }),
  });
  const [created, setCreated] = useState<CreatedApiTokenT | null>(null);

  return (
    <Section title={t('tokens.title')} description={t('tokens.description')}>
      {created && (
        <Alert
          color="teal"
          variant="light"
          title={t('tokens.createdTitle', { name: created.name })}
          role="status"
        >
          <Stack gap="xs">
            <Text size="sm">{t('tokens.createdHelp')}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code className="secret-text" data-testid="created-token">
                {created.token}
              </Code>
              <CopyValue value={created.token} label={t('tokens.copy')} />
            </Group>
            <Group>
              <Button size="xs" variant="default" onClick={() => setCreated(null)}>
                {t('common.done')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {tokens.isPending ? (
        <PageLoader />
      ) : tokens.isError ? (
        <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <Text size="sm">{t('tokens.none')}</Text>
      ) : (
        <ScrollTable minWidth={560} label={t('tokens.caption')}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Caption>{t('tokens.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('tokens.name')}</Table.Th>
                <Table.Th scope="col">{t('tokens.prefix')}</Table.Th>
                <Table.Th scope="col">{t('tokens.created')}</Table.Th>
                <Table.Th scope="col">{t('tokens.expires')}</Table.Th>
                <Table.Th scope="col">{t('tokens.lastUsed')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.items.map((tok) => (
                <Table.Tr key={tok.id}>
                  <Table.Td>{tok.name}</Table.Td>
                  <Table.Td>
                    <Code>{tok.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{fmt.date(tok.createdAt)}</Table.Td>
                  <Table.Td>{fmt.date(tok.expiresAt)}</Table.Td>
                  <Table.Td>{tok.lastUsedAt ? fmt.dateTime(tok.lastUsedAt) : t('tokens.never')}</Table.Td>
                  <Table.Td>
                    <Tooltip label={t('tokens.revoke')} withArrow>
                      <ActionIcon
                        color="red"
                        variant="subtle"
                        aria-label={t('tokens.revokeNamed', { name: tok.name })}
                        loading={revoke.isPending && revoke.variables === tok.id}
                        onClick={() => revoke.mutate(tok.id)}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <CreateTokenForm onCreated={setCreated} />
    </Section>
  );
}
