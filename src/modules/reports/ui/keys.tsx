import { Alert, Button, Checkbox, Code, Group, Progress, Stack, Text, TextInput } from '@mantine/core';
import { IconKey, IconLock, IconLockOpen } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../../web/api';
import { CopyValue } from '../../../web/ui-kit/copy-value';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PasswordField } from '../../../web/ui-kit/password-field';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { ButtonLink } from '../../../web/ui-kit/links';
import { handlerKey, useKeyStatus } from './queries';

// Reporting keys (docs/adr/0023): the private key is unwrapped with the passphrase into the
// server's memory for this session only; the recovery key is shown once, at set-up.

const MIN = 12;

/** A rough strength: length first, then the kinds of characters. 0 (too short) to 3 (strong). */
export function strength(p: string): 0 | 1 | 2 | 3 {
  if (p.length < MIN) return 0;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  const words = p.trim().split(/\s+/).length;
  if (p.length >= 20 && (kinds >= 3 || words >= 4)) return 3;
  if (p.length >= 16 || kinds >= 3) return 2;
  return 1;
}

function Strength({ value }: { value: string }): ReactNode {
  const { t } = useTranslation();
  const s = strength(value);
  const level = (['short', 'weak', 'fair', 'strong'] as const)[s];
  const colour = ['red', 'orange', 'yellow', 'teal'][s];
  return (
    <Stack gap={4}>
      <Progress value={value ? (s + 1) * 25 : 0} color={colour} size="sm" aria-hidden />
      <Text size="xs" c="dimmed" aria-live="polite" data-testid="passphrase-strength">
        {value ? t(`reports.keys.strength.${level}`) : t('reports.keys.strength.hint')}
      </Text>
    </Stack>
  );
}

/** A new passphrase typed twice, with the strength hint; valid when long enough and equal. */
function NewPassphrase({
  value,
  onChange,
}: {
  value: { a: string; b: string };
  onChange: (v: { a: string; b: string }) => void;
}): ReactNode {
  const { t } = useTranslation();
  const mismatch = value.b !== '' && value.a !== value.b;
  return (
    <Stack gap="xs">
      <PasswordField
        label={t('reports.keys.passphrase')}
        description={t('reports.keys.passphraseHint')}
        required
        minLength={MIN}
        autoComplete="new-password"
        value={value.a}
        onChange={(e) => onChange({ ...value, a: e.currentTarget.value })}
        data-testid="new-passphrase"
      />
      <Strength value={value.a} />
      <PasswordField
        label={t('reports.keys.passphraseAgain')}
        required
        autoComplete="new-password"
        value={value.b}
        error={mismatch ? t('reports.keys.mismatch') : undefined}
        onChange={(e) => onChange({ ...value, b: e.currentTarget.value })}
        data-testid="new-passphrase-again"
      />
    </Stack>
  );
}

/** The server's 422 for a wrong passphrase or recovery key: said on the field itself. */
const wrong = (e: unknown) => isApiError(e, 'UNPROCESSABLE');

const usable = (v: { a: string; b: string }) => v.a.length >= MIN && v.a === v.b;

function useRefreshKeys() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: handlerKey });
}

/** First-time set-up: passphrase twice, then the recovery key, shown once, to be stored. */
export function KeySetup({ onCreated, onDone }: { onCreated: () => void; onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const refresh = useRefreshKeys();
  const [v, setV] = useState({ a: '', b: '' });
  const [stored, setStored] = useState(false);
  const create = useMutation({
    mutationFn: () => api.post<{ recoveryKey: string }>('/api/reports/keys', { passphrase: v.a }),
    onSuccess: () => {
      setV({ a: '', b: '' });
      onCreated();
    },
  });
  if (create.data)
    return (
      <Stack data-testid="recovery-key-panel">
        <Alert
          color="orange"
          variant="light"
          icon={<IconKey aria-hidden />}
          title={t('reports.keys.recoveryTitle')}
        >
          {t('reports.keys.recoveryText')}
        </Alert>
        <Group gap="xs" wrap="nowrap">
          <Code fz="md" p="sm" style={{ wordBreak: 'break-all' }} data-testid="recovery-key" dir="ltr">
            {create.data.recoveryKey}
          </Code>
          <CopyValue value={create.data.recoveryKey} label={t('reports.keys.copyRecovery')} />
        </Group>
        <Checkbox
          label={t('reports.keys.stored')}
          checked={stored}
          onChange={(e) => setStored(e.currentTarget.checked)}
        />
        <Button
          w="fit-content"
          disabled={!stored}
          onClick={async () => {
            // The status is read again first, so that the empty set-up form never flashes back.
            await refresh();
            onDone();
          }}
          data-testid="recovery-done"
        >
          {t('reports.keys.continue')}
        </Button>
      </Stack>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (usable(v)) create.mutate();
      }}
    >
      <Stack>
        <Text size="sm">{t('reports.keys.setupText')}</Text>
        <NewPassphrase value={v} onChange={setV} />
        {create.error && <ProblemAlert error={create.error} />}
        <Button type="submit" w="fit-content" disabled={!usable(v)} loading={create.isPending}>
          {t('reports.keys.create')}
        </Button>
      </Stack>
    </form>
  );
}

/** Unlocks the private key for this session (memory only; forgotten after 30 min idle). */
export function UnlockForm(): ReactNode {
  const { t } = useTranslation();
  const refresh = useRefreshKeys();
  const [passphrase, setPassphrase] = useState('');
  const unlock = useMutation({
    mutationFn: () => api.post('/api/reports/keys/unlock', { passphrase }),
    onSuccess: () => {
      setPassphrase('');
      refresh();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        unlock.mutate();
      }}
    >
      <Group align="flex-end" gap="xs">
        <PasswordField
          label={t('reports.keys.passphrase')}
          required
          autoComplete="current-password"
          value={passphrase}
          error={wrong(unlock.error) ? t('reports.keys.wrongPassphrase') : undefined}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 220 }}
          data-testid="unlock-passphrase"
        />
        <Button type="submit" leftSection={<IconLockOpen size={16} aria-hidden />} loading={unlock.isPending}>
          {t('reports.keys.unlock')}
        </Button>
      </Group>
      {unlock.error && !wrong(unlock.error) && (
        <Stack mt="xs">
          <ProblemAlert error={unlock.error} />
        </Stack>
      )}
    </form>
  );
}

/** A new passphrase with the recovery key (the old passphrase is forgotten). */
export function RecoverForm(): ReactNode {
  const { t } = useTranslation();
  const refresh = useRefreshKeys();
  const [recoveryKey, setRecoveryKey] = useState('');
  const [v, setV] = useState({ a: '', b: '' });
  const recover = useMutation({
    mutationFn: () =>
      api.post('/api/reports/keys/recover', { recoveryKey: recoveryKey.trim(), passphrase: v.a }),
    onSuccess: () => {
      setRecoveryKey('');
      setV({ a: '', b: '' });
      notifySuccess(t('reports.keys.recovered'));
      refresh();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (usable(v)) recover.mutate();
      }}
    >
      <Stack>
        <TextInput
          label={t('reports.keys.recoveryKey')}
          required
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
          value={recoveryKey}
          error={wrong(recover.error) ? t('reports.keys.wrongRecovery') : undefined}
          onChange={(e) => setRecoveryKey(e.currentTarget.value)}
        />
        <NewPassphrase value={v} onChange={setV} />
        {recover.error && !wrong(recover.error) && <ProblemAlert error={recover.error} />}
        <Button
          type="submit"
          w="fit-content"
          disabled={!usable(v) || !recoveryKey.trim()}
          loading={recover.isPending}
        >
          {t('reports.keys.recover')}
        </Button>
      </Stack>
    </form>
  );
}

export function LockButton(): ReactNode {
  const { t } = useTranslation();
  const refresh = useRefreshKeys();
  const qc = useQueryClient();
  const lock = useMutation({
    mutationFn: () => api.post('/api/reports/keys/lock'),
    onSuccess: () => {
      // Decrypted reports leave the cache with the key (an open report page asks to unlock).
      qc.resetQueries({ queryKey: [...handlerKey, 'report'] });
      refresh();
      notifySuccess(t('reports.keys.locked'));
    },
  });
  return (
    <Button
      variant="default"
      leftSection={<IconLock size={16} aria-hidden />}
      loading={lock.isPending}
      onClick={() => lock.mutate()}
      data-testid="lock-keys"
    >
      {t('reports.keys.lockNow')}
    </Button>
  );
}

/**
 * The banner shown whenever the keys are not usable: set-up (link to the keys page) or unlock
 * (inline). Renders nothing while the keys are unlocked.
 */
export function KeyBanner(): ReactNode {
  const { t } = useTranslation();
  const keys = useKeyStatus();
  if (!keys.data || keys.data.unlocked) return null;
  if (!keys.data.hasKey)
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconKey aria-hidden />}
        title={t('reports.keys.missingTitle')}
        mb="md"
      >
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('reports.keys.missingText')}</Text>
          <ButtonLink to="/reports/keys" size="xs">
            {t('reports.keys.setUp')}
          </ButtonLink>
        </Stack>
      </Alert>
    );
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconLock aria-hidden />}
      title={t('reports.keys.lockedTitle')}
      mb="md"
      data-testid="keys-locked"
    >
      <Stack gap="xs">
        <Text size="sm">{t('reports.keys.lockedText')}</Text>
        <UnlockForm />
      </Stack>
    </Alert>
  );
}
