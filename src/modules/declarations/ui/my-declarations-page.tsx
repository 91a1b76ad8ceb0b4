import {
  ActionIcon,
  Button,
  Container,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconGift, IconHome, IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import {
  ASSET_CATEGORIES,
  ASSET_KINDS,
  DISPOSITIONS,
  MITIGATIONS,
  PARTY_KINDS,
  type DeclarationType,
} from '../declarations.vocab';
import { AssetValuesModal } from './asset-values';
import { ApprovalBadge, DeclarationsTabs, StatusBadge } from './bits';
import { declarationsKey, useCycles, useMine, useSettings } from './queries';
import type { CycleT, DeclarationT } from './types';

export function MyDeclarationsPage(): ReactNode {
  return (
    <RequirePermission permission="declarations.declare">
      <MyDeclarations />
    </RequirePermission>
  );
}

const today = () => new Date().toISOString().slice(0, 10);

function MyDeclarations(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const mine = useMine();
  const cycles = useCycles();
  const settings = useSettings();
  const [filing, setFiling] = useState<DeclarationType | null>(null);
  const [values, setValues] = useState<string | null>(null);
  const enabled = settings.data?.enabledTypes ?? [];
  const icons = { conflict: IconUsers, gift: IconGift, asset: IconHome } as const;
  const open = (cycles.data?.items ?? []).filter((c) => c.filed === false);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('declarations.mineTitle')}
        description={t('declarations.mineIntro')}
        actions={(['conflict', 'gift', 'asset'] as const)
          .filter((k) => enabled.includes(k))
          .map((k) => {
            const Icon = icons[k];
            return (
              <Button
                key={k}
                leftSection={<Icon size={16} aria-hidden />}
                onClick={() => setFiling(k)}
                data-testid={`file-${k}`}
              >
                {t(`declarations.file.${k}`)}
              </Button>
            );
          })}
      />
      <DeclarationsTabs current="mine" />
      <Stack gap="lg">
        {open.length > 0 && (
          <Section title={t('declarations.dueTitle')}>
            <Stack gap={4}>
              {open.map((c) => (
                <Text key={c.id} c={c.dueDate < today() ? 'red' : undefined}>
                  {t('declarations.dueLine', { title: c.title, date: f.date(c.dueDate) })}
                </Text>
              ))}
            </Stack>
          </Section>
        )}
        <section aria-labelledby="declarations-mine">
          <Title order={2} size="h3" id="declarations-mine" mb="sm">
            {t('declarations.myList')}
          </Title>
          {mine.isPending ? (
            <PageLoader />
          ) : mine.isError ? (
            <QueryError error={mine.error} onRetry={() => mine.refetch()} />
          ) : mine.data.items.length === 0 ? (
            <Text c="dimmed">{t('declarations.none')}</Text>
          ) : (
            <ScrollTable minWidth={720} label={t('declarations.myList')}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('declarations.type')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.subject')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.submittedAt')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.statusLabel')}</Table.Th>
                    <Table.Th scope="col" />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {mine.data.items.map((d) => (
                    <Table.Tr key={d.id} data-testid={`declaration-row-${d.id}`}>
                      <Table.Td>{t(`declarations.types.${d.type}`)}</Table.Td>
                      <Table.Td>
                        {d.summary}
                        {d.cycleTitle && (
                          <Text size="xs" c="dimmed">
                            {d.cycleTitle}
                            {d.late ? ` · ${t('declarations.late')}` : ''}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{f.date(d.submittedAt)}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <StatusBadge status={d.status} />
                          <ApprovalBadge approval={d.approval} />
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {d.type === 'asset' && (
                          <Button size="xs" variant="default" onClick={() => setValues(d.id)}>
                            {t('declarations.showValues')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </section>
      </Stack>
      <FileModal
        type={filing}
        cycles={(cycles.data?.items ?? []).filter((c) => c.type === filing && c.filed !== null)}
        baseCurrency={settings.data?.baseCurrency ?? 'USD'}
        threshold={settings.data?.giftThreshold}
        onClose={() => setFiling(null)}
      />
      <AssetValuesModal id={values} onClose={() => setValues(null)} />
    </Container>
  );
}

interface Line {
  description: string;
  amount: number | string;
}
interface Item {
  category: string;
  description: string;
  value: number | string;
  acquiredOn: string;
}

function FileModal({
  type,
  cycles,
  baseCurrency,
  threshold,
  onClose,
}: {
  type: DeclarationType | null;
  cycles: CycleT[];
  baseCurrency: string;
  threshold: number | undefined;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const currencies = useMemo(() => Intl.supportedValuesOf('currency'), []);
  const [cycleId, setCycleId] = useState('');
  const [c, setC] = useState({
    partyKind: 'broker',
    partyName: '',
    partyIdentifier: '',
    nature: '',
    mitigation: 'recusal',
  });
  const [g, setG] = useState({
    giver: '',
    giftDate: today(),
    description: '',
    value: '' as number | string,
    currency: baseCurrency,
    disposition: 'declined',
  });
  const [a, setA] = useState({
    assetKind: 'annual',
    periodYear: (new Date().getFullYear() - 1) as number | string,
  });
  const [items, setItems] = useState<Item[]>([
    { category: 'real_estate', description: '', value: '', acquiredOn: '' },
  ]);
  const setItem = (n: number, patch: Partial<Item>) =>
    setItems(items.map((x, i) => (i === n ? { ...x, ...patch } : x)));
  const [liabilities, setLiabilities] = useState<Line[]>([]);
  const [income, setIncome] = useState<Line[]>([{ description: '', amount: '' }]);
  const close = () => {
    save.reset();
    onClose();
  };
  const save = useMutation({
    mutationFn: () => {
      const base = { type, ...(cycleId ? { cycleId } : {}) };
      if (type === 'conflict') return api.post<DeclarationT>('/api/declarations', { ...base, ...c });
      if (type === 'gift')
        return api.post<DeclarationT>('/api/declarations', { ...base, ...g, value: Number(g.value) });
      return api.post<DeclarationT>('/api/declarations', {
        ...base,
        assetKind: a.assetKind,
        periodYear: Number(a.periodYear),
        items: items.map((i) => ({
          category: i.category,
          description: i.description,
          value: Number(i.value),
          acquiredOn: i.acquiredOn || null,
        })),
        liabilities: liabilities.map((l) => ({ description: l.description, amount: Number(l.amount) })),
        income: income.map((l) => ({ description: l.description, amount: Number(l.amount) })),
      });
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      notifySuccess(t('declarations.filed'));
      close();
    },
  });
  const lines = (title: string, list: Line[], set: (l: Line[]) => void, testid: string) => (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text fw={500}>{title}</Text>
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => set([...list, { description: '', amount: '' }])}
          data-testid={`${testid}-add`}
        >
          {t('declarations.addLine')}
        </Button>
      </Group>
      {list.map((l, n) => (
        <Group key={n} align="flex-end" wrap="nowrap">
          <TextInput
            flex={2}
            label={t('declarations.lineDescription')}
            value={l.description}
            onChange={(e) =>
              set(list.map((x, i) => (i === n ? { ...x, description: e.currentTarget.value } : x)))
            }
          />
          <NumberInput
            flex={1}
            label={t('declarations.amount', { currency: baseCurrency })}
            min={0}
            value={l.amount}
            onChange={(v) => set(list.map((x, i) => (i === n ? { ...x, amount: v } : x)))}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t('declarations.removeLine')}
            onClick={() => set(list.filter((_, i) => i !== n))}
            mb={4}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={!!type}
      onClose={close}
      title={type ? t(`declarations.file.${type}`) : ''}
      size={type === 'asset' ? 'xl' : 'lg'}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {cycles.length > 0 && (
            <NativeSelect
              label={t('declarations.cycle')}
              value={cycleId}
              onChange={(e) => setCycleId(e.currentTarget.value)}
              data={[
                { value: '', label: t('declarations.noCycle') },
                ...cycles.map((x) => ({ value: x.id, label: x.title })),
              ]}
            />
          )}
          {type === 'conflict' && (
            <>
              <NativeSelect
                label={t('declarations.partyKindLabel')}
                value={c.partyKind}
                onChange={(e) => setC({ ...c, partyKind: e.currentTarget.value })}
                data={PARTY_KINDS.map((k) => ({ value: k, label: t(`declarations.partyKind.${k}`) }))}
              />
              <TextInput
                required
                label={t('declarations.partyName')}
                value={c.partyName}
                onChange={(e) => setC({ ...c, partyName: e.currentTarget.value })}
              />
              <TextInput
                required
                label={t('declarations.partyIdentifier')}
                description={t('declarations.partyIdentifierHelp')}
                value={c.partyIdentifier}
                onChange={(e) => setC({ ...c, partyIdentifier: e.currentTarget.value })}
              />
              <Textarea
                required
                label={t('declarations.nature')}
                value={c.nature}
                onChange={(e) => setC({ ...c, nature: e.currentTarget.value })}
              />
              <NativeSelect
                label={t('declarations.mitigationLabel')}
                value={c.mitigation}
                onChange={(e) => setC({ ...c, mitigation: e.currentTarget.value })}
                data={MITIGATIONS.map((k) => ({ value: k, label: t(`declarations.mitigation.${k}`) }))}
              />
            </>
          )}
          {type === 'gift' && (
            <>
              <TextInput
                required
                label={t('declarations.giver')}
                value={g.giver}
                onChange={(e) => setG({ ...g, giver: e.currentTarget.value })}
              />
              <TextInput
                required
                type="date"
                label={t('declarations.giftDate')}
                max={today()}
                value={g.giftDate}
                onChange={(e) => setG({ ...g, giftDate: e.currentTarget.value })}
              />
              <Textarea
                required
                label={t('declarations.description')}
                value={g.description}
                onChange={(e) => setG({ ...g, description: e.currentTarget.value })}
              />
              <Group grow align="flex-start">
                <NumberInput
                  required
                  label={t('declarations.value')}
                  min={0}
                  value={g.value}
                  onChange={(v) => setG({ ...g, value: v })}
                />
                <NativeSelect
                  label={t('declarations.currency')}
                  value={g.currency}
                  onChange={(e) => setG({ ...g, currency: e.currentTarget.value })}
                  data={currencies}
                />
              </Group>
              {threshold !== undefined && (
                <Text size="sm" c="dimmed">
                  {t('declarations.thresholdHint', { threshold, currency: baseCurrency })}
                </Text>
              )}
              <NativeSelect
                label={t('declarations.dispositionLabel')}
                value={g.disposition}
                onChange={(e) => setG({ ...g, disposition: e.currentTarget.value })}
                data={DISPOSITIONS.map((k) => ({ value: k, label: t(`declarations.disposition.${k}`) }))}
              />
            </>
          )}
          {type === 'asset' && (
            <>
              <Text size="sm" c="dimmed">
                {t('declarations.assetPrivacy')}
              </Text>
              <Group grow>
                <NativeSelect
                  label={t('declarations.assetKindLabel')}
                  value={a.assetKind}
                  onChange={(e) => setA({ ...a, assetKind: e.currentTarget.value })}
                  data={ASSET_KINDS.map((k) => ({ value: k, label: t(`declarations.assetKind.${k}`) }))}
                />
                <NumberInput
                  label={t('declarations.periodYear')}
                  min={1950}
                  max={2100}
                  value={a.periodYear}
                  onChange={(v) => setA({ ...a, periodYear: v })}
                />
              </Group>
              <Group justify="space-between">
                <Text fw={500}>{t('declarations.items')}</Text>
                <Button
                  size="xs"
                  variant="subtle"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  onClick={() =>
                    setItems([...items, { category: 'other', description: '', value: '', acquiredOn: '' }])
                  }
                >
                  {t('declarations.addLine')}
                </Button>
              </Group>
              {items.map((it, n) => (
                <Group key={n} align="flex-end" wrap="wrap" gap="xs">
                  <NativeSelect
                    label={t('declarations.category')}
                    value={it.category}
                    onChange={(e) => setItem(n, { category: e.currentTarget.value })}
                    data={ASSET_CATEGORIES.map((k) => ({
                      value: k,
                      label: t(`declarations.categories.${k}`),
                    }))}
                  />
                  <TextInput
                    flex={1}
                    miw={160}
                    label={t('declarations.lineDescription')}
                    value={it.description}
                    onChange={(e) => setItem(n, { description: e.currentTarget.value })}
                  />
                  <NumberInput
                    w={140}
                    label={t('declarations.amount', { currency: baseCurrency })}
                    min={0}
                    value={it.value}
                    onChange={(v) => setItem(n, { value: v })}
                  />
                  <TextInput
                    type="date"
                    w={160}
                    max={today()}
                    label={t('declarations.acquiredOn')}
                    value={it.acquiredOn}
                    onChange={(e) => setItem(n, { acquiredOn: e.currentTarget.value })}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('declarations.removeLine')}
                    onClick={() => setItems(items.filter((_, i) => i !== n))}
                    mb={4}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              ))}
              {lines(t('declarations.liabilities'), liabilities, setLiabilities, 'liabilities')}
              {lines(t('declarations.income'), income, setIncome, 'income')}
            </>
          )}
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="declaration-submit">
              {t('declarations.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
