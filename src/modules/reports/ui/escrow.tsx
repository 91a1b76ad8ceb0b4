import { Alert, Badge, Button, Group, Modal, MultiSelect, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconShieldLock } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, isApiError } from '../../../web/api';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { PasswordField } from '../../../web/ui-kit/password-field';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { Section } from '../../../web/ui-kit/section';
import type { EscrowState } from '../reports.contract';
import { useRecipients } from './channels-queries';
import { handlerKey } from './queries';
import type { ReportDetailT } from './types';

// Key escrow (docs/adr/0023-reporting-encryption.md, "Escrow"): the banner handlers and channel
// administrators see while it is on, the switch (reports.escrow: custodians, password, warning),
// and a report's access history, where every opening via escrow shows.

export type EscrowStateT = z.infer<typeof EscrowState>;
export const escrowKey = ['reports', 'escrow'] as const;

/** Handlers: whether escrow is on and whether I am a custodian. */
export function useEscrowNotice(enabled = true) {
  return useQuery({
    queryKey: [...handlerKey, 'escrow'],
    queryFn: ({ signal }) => api.get<EscrowStateT>('/api/reports/escrow/notice', { signal }),
    enabled,
  });
}

/** Channel administrators: the state with its custodians. */
export function useEscrowState() {
  return useQuery({
    queryKey: escrowKey,
    queryFn: ({ signal }) => api.get<EscrowStateT>('/api/reports/escrow', { signal }),
  });
}

/** Shown while escrow is on; nothing while it is off. */
export function EscrowBanner({ state }: { state: EscrowStateT | undefined }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  if (!state?.enabled) return null;
  return (
    <Alert
      icon={<IconShieldLock aria-hidden />}
      color="orange"
      variant="light"
      mb="md"
      title={t('reports.escrow.bannerTitle')}
      data-testid="escrow-banner"
    >
      <Stack gap={4}>
        <Text size="sm">
          {t('reports.escrow.bannerText', {
            custodians: state.custodians.map((c) => c.name).join(', '),
            since: state.since ? f.dateTime(state.since) : '—',
          })}
        </Text>
        {state.custodian && <Text size="sm">{t('reports.escrow.youAreCustodian')}</Text>}
      </Stack>
    </Alert>
  );
}

/** The inbox's banner (handlers). */
export function HandlerEscrowBanner(): ReactNode {
  const notice = useEscrowNotice();
  return <EscrowBanner state={notice.data} />;
}

/** The escrow switch, on the channels page: state, banner, and (reports.escrow) the switch. */
export function EscrowSettings(): ReactNode {
  const { t } = useTranslation();
  const state = useEscrowState();
  const canSwitch = useCan('reports.escrow');
  const [open, setOpen] = useState(false);
  const s = state.data;
  return (
    <Section title={t('reports.escrow.title')} description={t('reports.escrow.intro')}>
      <EscrowBanner state={s} />
      <Group justify="space-between" align="center">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {t('reports.escrow.status')}
          </Text>
          {s && (
            <Badge color={s.enabled ? 'orange' : 'gray'} variant="light" data-testid="escrow-status">
              {s.enabled ? t('reports.escrow.on') : t('reports.escrow.off')}
            </Badge>
          )}
          {s?.enabled && (
            <Text size="sm" c="dimmed">
              {t('reports.escrow.sealed', { count: s.escrowedReports })}
            </Text>
          )}
        </Group>
        {canSwitch && s && (
          <Button
            variant={s.enabled ? 'default' : 'filled'}
            onClick={() => setOpen(true)}
            data-testid="escrow-switch"
          >
            {s.enabled ? t('reports.escrow.switchOff') : t('reports.escrow.switchOn')}
          </Button>
        )}
      </Group>
      {state.error && <ProblemAlert error={state.error} />}
      {s && <EscrowSwitchModal opened={open} enabled={s.enabled} onClose={() => setOpen(false)} />}
    </Section>
  );
}

function EscrowSwitchModal({
  opened,
  enabled,
  onClose,
}: {
  opened: boolean;
  enabled: boolean;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const recipients = useRecipients(opened && !enabled);
  const [custodians, setCustodians] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post<EscrowStateT>(
        '/api/reports/escrow',
        enabled ? { enabled: false, password } : { enabled: true, custodians, password },
      ),
    onSuccess: async () => {
      setPassword('');
      setCustodians([]);
      onClose();
      await qc.invalidateQueries({ queryKey: ['reports'] });
    },
  });
  const wrongPassword =
    isApiError(save.error, 'UNPROCESSABLE') && save.error.problem.errors?.some((e) => e.path === 'password');
  const options = (recipients.data?.items ?? []).map((r) => ({
    value: r.userId,
    label: r.hasKey ? r.name : `${r.name} — ${t('reports.escrow.noKey')}`,
    disabled: !r.hasKey,
  }));
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={enabled ? t('reports.escrow.offTitle') : t('reports.escrow.onTitle')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <Alert icon={<IconAlertTriangle aria-hidden />} color={enabled ? 'red' : 'orange'}>
            {enabled ? t('reports.escrow.offWarning') : t('reports.escrow.onWarning')}
          </Alert>
          {!enabled && (
            <MultiSelect
              label={t('reports.escrow.custodians')}
              description={t('reports.escrow.custodiansHelp')}
              data={options}
              value={custodians}
              onChange={setCustodians}
              required
              searchable
              data-testid="escrow-custodians"
            />
          )}
          <PasswordField
            label={t('reports.escrow.password')}
            description={t('reports.escrow.passwordHelp')}
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={wrongPassword ? t('reports.escrow.wrongPassword') : undefined}
            data-testid="escrow-password"
          />
          {save.error && !wrongPassword && <ProblemAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('reports.escrow.cancel')}
            </Button>
            <Button
              type="submit"
              color={enabled ? 'red' : undefined}
              variant={enabled ? 'outline' : 'filled'}
              loading={save.isPending}
              disabled={!password || (!enabled && custodians.length === 0)}
              data-testid="escrow-confirm"
            >
              {enabled ? t('reports.escrow.confirmOff') : t('reports.escrow.confirmOn')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A badge that wraps in a narrow column instead of cutting its label ("Opened via esc…"). */
const WRAPPING_BADGE = {
  root: { height: 'auto', paddingBlock: 2 },
  label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip' },
} as const;

/** Who opened the report or its files, and how: openings via escrow stand out. */
export function AccessHistory({ d }: { d: ReportDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Section title={t('reports.escrow.accessTitle')} description={t('reports.escrow.accessHint')}>
      {d.escrowed && (
        <Alert color="orange" variant="light" icon={<IconShieldLock aria-hidden />}>
          {t('reports.escrow.reportEscrowed')}
        </Alert>
      )}
      <Table data-testid="report-access">
        <Table.Tbody>
          {d.access.map((a, i) => (
            <Table.Tr key={`${a.at}-${i}`}>
              <Table.Td>{f.dateTime(a.at)}</Table.Td>
              <Table.Td>{a.by ?? '—'}</Table.Td>
              <Table.Td>
                {a.action === 'escrow_opened' ? (
                  <Badge color="orange" variant="light" styles={WRAPPING_BADGE}>
                    {t('reports.escrow.access.escrow_opened')}
                  </Badge>
                ) : (
                  <>
                    {t(`reports.escrow.access.${a.action}`)}
                    {a.viaEscrow && (
                      <>
                        {' '}
                        <Badge color="orange" variant="light" styles={WRAPPING_BADGE}>
                          {t('reports.escrow.access.viaEscrow')}
                        </Badge>
                      </>
                    )}
                  </>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}
