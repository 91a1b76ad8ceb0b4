import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Container,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { CopyValue } from '../../../web/ui-kit/copy-value';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { NotFoundPage, PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { Section } from '../../../web/ui-kit/section';
import { CHANNEL_LANGUAGES } from '../reports.vocab';
import { Builder } from './channels-builder';
import { type Draft, fromChannel, missingCount, problemsAt, problemsByPath, toBody } from './channels-draft';
import { languageName } from './channels-page';
import { Preview } from './channels-preview';
import {
  type ChannelT,
  channelsKey,
  publicUrl,
  type RecipientT,
  textIn,
  useChannels,
  useRecipients,
} from './channels-queries';

export function ChannelEditorPage(): ReactNode {
  return (
    <RequirePermission permission="reports.manage">
      <ChannelEditor />
    </RequirePermission>
  );
}

function ChannelEditor(): ReactNode {
  const { id } = useParams({ strict: false }) as { id: string };
  const list = useChannels();
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <QueryError error={list.error} onRetry={list.refetch} />;
  const c = list.data.items.find((x) => x.id === id);
  if (!c) return <NotFoundPage />;
  return <Editor key={c.id} c={c} />;
}

function Editor({ c }: { c: ChannelT }): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const recipients = useRecipients();
  const [draft, setDraft] = useState<Draft>(() => fromChannel(c));
  const [lang, setLang] = useState(() =>
    c.languages.includes(i18n.language) ? i18n.language : (c.languages[0] ?? 'en'),
  );
  const langs = draft.languages.length ? draft.languages : ['en'];
  const tab = langs.includes(lang) ? lang : langs[0]!;
  const pristine = useMemo(() => JSON.stringify(fromChannel(c)), [c]);
  const dirty = JSON.stringify(draft) !== pristine;
  const save = useMutation({
    mutationFn: () => api.patch<ChannelT>(`/api/reports/channels/${c.id}`, toBody(draft, c)),
    onSuccess: (fresh) => {
      qc.setQueryData<Items<ChannelT>>(channelsKey, (old) =>
        old ? { ...old, items: old.items.map((x) => (x.id === fresh.id ? fresh : x)) } : old,
      );
      setDraft(fromChannel(fresh));
      notifySuccess(t('reports.channels.saved'));
    },
  });
  // A reload after a 409 brings the current version; what was typed stays in the draft.
  const reload = () => qc.invalidateQueries({ queryKey: channelsKey });
  // The preview shows the step being edited.
  const [previewStep, setPreviewStep] = useState(1);
  const problems = useMemo(() => problemsByPath(save.error), [save.error]);
  const err = (path: string) => problemsAt(problems, path).join(' · ') || undefined;
  // Warn before leaving with unsaved changes.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const name = textIn(c.name, i18n.language, c.languages);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  return (
    <Container size="xl" px={0} pb={96}>
      <PageHeader
        title={name}
        crumbs={[{ label: t('reports.channels.title'), to: '/reports/channels' }]}
        description={
          <Group gap="xs" wrap="nowrap">
            <Badge color={c.active ? 'teal' : 'gray'} variant="light">
              {t(c.active ? 'reports.channels.active' : 'reports.channels.inactive')}
            </Badge>
            <Code dir="ltr">{publicUrl(c)}</Code>
            <CopyValue value={publicUrl(c)} label={t('reports.channels.copyUrl')} />
          </Group>
        }
      />
      <Stack gap="lg">
        <Section title={t('reports.channels.settings')} description={t('reports.channels.settingsHelp')}>
          <Settings draft={draft} set={set} c={c} err={err} recipients={recipients.data?.items ?? []} />
        </Section>
        <Section
          title={t('reports.channels.questionnaire')}
          description={t('reports.channels.questionnaireHelp')}
        >
          <Tabs value={tab} onChange={(v) => v && setLang(v)} keepMounted={false}>
            <Tabs.List>
              {langs.map((l) => {
                const missing = missingCount(draft, l);
                return (
                  <Tabs.Tab
                    key={l}
                    value={l}
                    data-testid={`lang-tab-${l}`}
                    rightSection={
                      missing > 0 ? (
                        <Tooltip
                          label={t('reports.channels.missingIn', { language: languageName(l) })}
                          withArrow
                        >
                          <Badge
                            size="sm"
                            color="orange"
                            variant="filled"
                            circle
                            aria-label={t('reports.channels.missingIn', { language: languageName(l) })}
                          >
                            {missing}
                          </Badge>
                        </Tooltip>
                      ) : undefined
                    }
                  >
                    {languageName(l)}
                  </Tabs.Tab>
                );
              })}
            </Tabs.List>
          </Tabs>
          <Grid gap="lg" mt="sm">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Builder
                draft={draft}
                update={setDraft}
                lang={tab}
                problems={problems}
                onStepFocus={setPreviewStep}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <div style={{ position: 'sticky', top: 80 }}>
                <Text size="sm" fw={600} mb={4}>
                  {t('reports.channels.preview')}
                </Text>
                <Text size="xs" c="dimmed" mb="xs">
                  {t('reports.channels.previewHelp')}
                </Text>
                <Preview draft={draft} lang={tab} step={previewStep} setStep={setPreviewStep} />
              </div>
            </Grid.Col>
          </Grid>
        </Section>
      </Stack>
      <Paper
        withBorder
        shadow="md"
        p="sm"
        radius="md"
        mt="lg"
        style={{ position: 'sticky', bottom: 12, zIndex: 5 }}
      >
        <Stack gap="xs">
          <SaveError error={save.error} onReload={reload} />
          <Group justify="flex-end" gap="sm">
            {dirty && (
              <Text size="sm" c="orange.8" fw={500} data-testid="channel-dirty">
                {t('reports.channels.unsaved')}
              </Text>
            )}
            <Button
              onClick={() => save.mutate()}
              loading={save.isPending}
              disabled={!dirty}
              data-testid="channel-save"
            >
              {t('reports.channels.save')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Container>
  );
}

function Settings({
  draft,
  set,
  c,
  err,
  recipients,
}: {
  draft: Draft;
  set: <K extends keyof Draft>(k: K, v: Draft[K]) => void;
  c: ChannelT;
  err: (path: string) => string | undefined;
  recipients: RecipientT[];
}): ReactNode {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <MultiSelect
          label={t('reports.channels.languages')}
          description={t('reports.channels.languagesHelp')}
          data={CHANNEL_LANGUAGES.map((l) => ({ value: l, label: languageName(l) }))}
          value={draft.languages}
          onChange={(v) => set('languages', v)}
          error={err('languages')}
          data-testid="channel-languages"
        />
        <TextInput
          label={t('reports.channels.slug')}
          description={t('reports.channels.slugHelp')}
          value={draft.slug}
          dir="ltr"
          onChange={(e) => set('slug', e.currentTarget.value.toLowerCase().replace(/[^a-z0-9-]/g, '-'))}
          error={err('slug')}
          data-testid="channel-slug"
        />
      </SimpleGrid>
      {draft.slug !== c.slug && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} p="xs">
          {t('reports.channels.slugWarning')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {draft.languages.map((l) => (
          <Stack key={l} gap="xs">
            <TextInput
              label={t('reports.channels.nameIn', { language: languageName(l) })}
              value={draft.name[l] ?? ''}
              lang={l}
              dir={i18n.dir(l)}
              onChange={(e) => set('name', { ...draft.name, [l]: e.currentTarget.value })}
              error={err(`name.${l}`) ?? (l === draft.languages[0] ? err('name') : undefined)}
              data-missing={!draft.name[l]?.trim() || undefined}
              description={
                draft.name[l]?.trim() ? undefined : (
                  <Text span size="xs" c="orange.8" fw={500}>
                    {t('reports.channels.missing')}
                  </Text>
                )
              }
            />
            <Textarea
              label={t('reports.channels.introIn', { language: languageName(l) })}
              value={draft.intro[l] ?? ''}
              lang={l}
              dir={i18n.dir(l)}
              autosize
              minRows={2}
              maxRows={6}
              onChange={(e) => set('intro', { ...draft.intro, [l]: e.currentTarget.value })}
              error={err(`intro.${l}`)}
            />
          </Stack>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <NumberInput
          label={t('reports.channels.retentionDays')}
          description={t('reports.channels.retentionHelp')}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          value={draft.retentionDays}
          min={30}
          max={3650}
          onChange={(v) => set('retentionDays', Number(v) || 0)}
          error={err('retentionDays')}
        />
        <NumberInput
          label={t('reports.channels.ackDays')}
          value={draft.ackDays}
          min={1}
          max={90}
          onChange={(v) => set('ackDays', Number(v) || 0)}
          error={err('ackDays')}
        />
        <NumberInput
          label={t('reports.channels.feedbackDays')}
          value={draft.feedbackDays}
          min={7}
          max={365}
          onChange={(v) => set('feedbackDays', Number(v) || 0)}
          error={err('feedbackDays')}
        />
      </SimpleGrid>
      <Checkbox.Group
        label={t('reports.channels.recipients')}
        description={t('reports.channels.recipientsHelp')}
        value={draft.recipients}
        onChange={(v) => set('recipients', v)}
        error={err('recipients')}
      >
        <Stack gap={6} mt="xs" data-testid="channel-recipients">
          {recipients.map((r) => (
            <Group key={r.userId} gap="xs">
              <Checkbox value={r.userId} label={r.name} />
              {!r.hasKey && (
                <Tooltip label={t('reports.channels.noKeyHelp')} multiline w={260} withArrow>
                  <Badge
                    color="orange"
                    variant="light"
                    tt="none"
                    leftSection={<IconInfoCircle size={12} aria-hidden />}
                  >
                    {t('reports.channels.noKey')}
                  </Badge>
                </Tooltip>
              )}
            </Group>
          ))}
        </Stack>
      </Checkbox.Group>
      {draft.recipients.length === 0 && (
        <Text size="sm" c="red">
          {t('reports.channels.noRecipients')}
        </Text>
      )}
      <Checkbox.Group
        label={t('reports.channels.escalationRecipients')}
        description={t('reports.channels.escalationNote')}
        value={draft.escalationRecipients}
        onChange={(v) => set('escalationRecipients', v)}
        error={err('escalationRecipients')}
      >
        <Stack gap={6} mt="xs" data-testid="channel-escalation-recipients">
          {recipients.map((r) => (
            <Checkbox key={r.userId} value={r.userId} label={r.name} />
          ))}
        </Stack>
      </Checkbox.Group>
    </Stack>
  );
}
