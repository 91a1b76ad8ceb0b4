import {
  Button,
  ColorInput,
  Container,
  Group,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../../web/api';
import { useCan } from '../../../web/session';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import type { Settings } from '../risks.contract';
import { matrixProblems, type RiskMatrix } from '../risks.levels';
import { LevelBadge } from './bits';
import { risksKey, useSettings } from './queries';
import { RisksSubnav } from './register-page';

export function SettingsPage(): ReactNode {
  return (
    <RequirePermission permission="risks.read">
      <MatrixSettings />
    </RequirePermission>
  );
}

function MatrixSettings(): ReactNode {
  const settings = useSettings();
  if (settings.isPending) return <PageLoader />;
  if (settings.isError) return <QueryError error={settings.error} />;
  return <Editor s={settings.data} />;
}

function Editor({ s }: { s: Settings }): ReactNode {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as 'en';
  const canManage = useCan('risks.manage');
  const qc = useQueryClient();
  const [m, setM] = useState<RiskMatrix>(() => structuredClone(s.matrix) as RiskMatrix);
  const [days, setDays] = useState<Record<string, number>>(() => ({ ...s.reviewDays }));
  useEffect(() => {
    setM(structuredClone(s.matrix) as RiskMatrix);
    setDays({ ...s.reviewDays });
  }, [s]);
  const problems = matrixProblems(m);
  const save = useMutation({
    mutationFn: () =>
      request<Settings>('/api/risks/settings', {
        method: 'PUT',
        body: { matrix: m, reviewDays: days, version: s.version },
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: risksKey });
      notifySuccess(t('risks.settingsSaved'));
    },
  });
  const label = (x: { label: Record<string, string | undefined> }) => x.label[lang] ?? x.label.en ?? '';
  const setLabel = (kind: 'likelihood' | 'impact' | 'levels', i: number, v: string) =>
    setM((cur) => {
      const next = structuredClone(cur);
      (next[kind][i]!.label as Record<string, string>)[lang] = v;
      return next;
    });
  const setLevel = (i: number, k: 'min' | 'max' | 'color', v: string | number) =>
    setM((cur) => {
      const next = structuredClone(cur);
      (next.levels[i] as unknown as Record<string, unknown>)[k] = v;
      return next;
    });
  return (
    <Container size="lg" px={0}>
      <RisksSubnav />
      <PageHeader
        title={t('risks.matrix')}
        description={t('risks.matrixIntro', { urn: s.matrixUrn ?? '—' })}
      />
      <Stack gap="md">
        <Section
          title={t('risks.levels')}
          description={t('risks.levelsHelp', { max: m.likelihood.length * m.impact.length })}
        >
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('risks.level')}</Table.Th>
                <Table.Th scope="col">{t('risks.label')}</Table.Th>
                <Table.Th scope="col">{t('risks.from')}</Table.Th>
                <Table.Th scope="col">{t('risks.to')}</Table.Th>
                <Table.Th scope="col">{t('risks.colour')}</Table.Th>
                <Table.Th scope="col">{t('risks.reviewDays')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {m.levels.map((l, i) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <LevelBadge
                      level={{
                        label: label(l as never),
                        color: /^#[0-9a-f]{6}$/i.test(l.color) ? l.color : '#888888',
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={t('risks.label')}
                      value={label(l as never)}
                      onChange={(e) => setLabel('levels', i, e.currentTarget.value)}
                      disabled={!canManage}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={t('risks.from')}
                      w={80}
                      min={1}
                      value={l.min}
                      onChange={(v) => setLevel(i, 'min', Number(v))}
                      disabled={!canManage}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={t('risks.to')}
                      w={80}
                      min={1}
                      value={l.max}
                      onChange={(v) => setLevel(i, 'max', Number(v))}
                      disabled={!canManage}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ColorInput
                      aria-label={t('risks.colour')}
                      w={130}
                      value={l.color}
                      onChange={(v) => setLevel(i, 'color', v)}
                      disabled={!canManage}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={t('risks.reviewDays')}
                      w={90}
                      min={1}
                      max={3650}
                      value={days[l.id] ?? 365}
                      onChange={(v) => setDays((d) => ({ ...d, [l.id]: Number(v) }))}
                      disabled={!canManage}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {problems.map((p) => (
            <Text key={p.path + p.message} c="red" size="sm">
              {p.message}
            </Text>
          ))}
        </Section>
        <Section title={t('risks.axes')}>
          <Group align="start" grow>
            {(['likelihood', 'impact'] as const).map((a) => (
              <Stack key={a} gap={4}>
                <Text fw={600}>{t(`risks.${a}`)}</Text>
                {m[a].map((x, i) => (
                  <TextInput
                    key={x.value}
                    aria-label={`${t(`risks.${a}`)} ${x.value}`}
                    leftSection={<Text size="xs">{x.value}</Text>}
                    value={label(x as never)}
                    onChange={(e) => setLabel(a, i, e.currentTarget.value)}
                    disabled={!canManage}
                  />
                ))}
              </Stack>
            ))}
          </Group>
        </Section>
        <ProblemAlert error={save.error} />
        {canManage && (
          <Group>
            <Button
              onClick={() => save.mutate()}
              disabled={problems.length > 0}
              loading={save.isPending}
              data-testid="matrix-save"
            >
              {t('risks.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Container>
  );
}
