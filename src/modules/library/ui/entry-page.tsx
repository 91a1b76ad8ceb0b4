import {
  Button,
  Card,
  Container,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { LANGUAGE_NAMES } from '../../../web/i18n';
import { hasPermission, useMe } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ENTRY_LANGUAGES, type EntryLanguage } from '../library.vocab';
import { AttachmentList, EntryBadges, MeasuresTable, libraryKey } from './bits';
import type { PublishedDetailT, UseResultT } from './types';

export function LibraryEntryPage(): ReactNode {
  return (
    <RequirePermission permission="library.read">
      <EntryView />
    </RequirePermission>
  );
}

function EntryView(): ReactNode {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const { id } = useParams({ strict: false }) as { id: string };
  // The reader's language by default; the reader may pick another the entry is written in.
  const uiLanguage = (ENTRY_LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as EntryLanguage)
    : 'en';
  const [picked, setPicked] = useState<EntryLanguage | null>(null);
  const lang = picked ?? uiLanguage;
  const entry = useQuery({
    queryKey: [...libraryKey, 'published', id, lang],
    queryFn: ({ signal }) =>
      api.get<PublishedDetailT>(`/api/library/published/${id}?lang=${lang}`, { signal }),
    placeholderData: (previous) => previous,
  });
  if (entry.isPending) return <PageLoader />;
  if (entry.isError) return <QueryError error={entry.error} onRetry={() => entry.refetch()} />;
  const e = entry.data;
  const who = e.anonymous ? t('library.anonymous') : [e.organisation, e.country].filter(Boolean).join(', ');
  return (
    <Container size="md" px={0}>
      <PageHeader
        title={e.title}
        crumbs={[{ label: t('library.title'), to: '/library' }]}
        description={t('library.publishedLine', {
          who,
          date: f.date(e.publishedAt),
          revision: e.revision,
        })}
      />
      <Stack>
        <EntryBadges type={e.type} language={e.language} factors={e.factors} />
        <Group gap="sm" data-testid="library-shown-language">
          <Text size="sm">
            {e.shownLanguage === lang
              ? t('library.shownIn', { language: LANGUAGE_NAMES[e.shownLanguage] })
              : t('library.shownInOriginal', {
                  wanted: LANGUAGE_NAMES[lang],
                  language: LANGUAGE_NAMES[e.shownLanguage],
                })}
          </Text>
          {e.languages.length > 1 && (
            <SegmentedControl
              size="xs"
              aria-label={t('library.readIn')}
              value={e.shownLanguage}
              onChange={(l) => setPicked(l as EntryLanguage)}
              data={e.languages.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
            />
          )}
        </Group>
        {/* The entry's text in its language's direction; the headings stay in the page's (a card
            marked dir=auto took the Arabic heading's direction and put a French full stop first). */}
        <Card withBorder padding="lg">
          <Stack>
            <Section title={t('library.summary')} text={e.summary} lang={e.shownLanguage} />
            <Section title={t('library.whatDone')} text={e.whatDone} lang={e.shownLanguage} />
            <Section title={t('library.whatChanged')} text={e.whatChanged} lang={e.shownLanguage} />
            {e.measures.length > 0 && (
              <div>
                <Title order={2} size="h4" mb="xs">
                  {t('library.measures')}
                </Title>
                <MeasuresTable measures={e.measures} testId="library-measures" />
              </div>
            )}
            {e.attachments.length > 0 && (
              <div>
                <Title order={2} size="h4" mb="xs">
                  {t('library.attachments')}
                </Title>
                <AttachmentList
                  attachments={e.attachments}
                  href={(id) => `/api/library/published/${e.id}/attachments/${id}`}
                />
              </div>
            )}
          </Stack>
        </Card>
        {hasPermission(me, 'action-plans.manage') && <UseThis entry={e} />}
        <Comments entry={e} canComment={hasPermission(me, 'library.comment')} />
        {e.canModerate && <Unpublish entry={e} onReload={() => entry.refetch()} />}
      </Stack>
    </Container>
  );
}

function Section({ title, text, lang }: { title: string; text: string; lang: EntryLanguage }): ReactNode {
  const { i18n } = useTranslation();
  if (!text) return null;
  return (
    <div>
      <Title order={2} size="h4" mb={4}>
        {title}
      </Title>
      <Text lang={lang} dir={i18n.dir(lang)} style={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Text>
    </div>
  );
}

interface PlanItem {
  id: string;
  title: string;
  status: string;
}

function UseThis({ entry }: { entry: PublishedDetailT }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [planId, setPlanId] = useState<string | null>(null);
  const [done, setDone] = useState<UseResultT | null>(null);
  // The action-plans pages' own query key, so the list is shared with them.
  const plans = useQuery({
    queryKey: ['action-plans'],
    queryFn: ({ signal }) => api.get<Items<PlanItem>>('/api/action-plans', { signal }),
  });
  const use = useMutation({
    mutationFn: () => api.post<UseResultT>(`/api/library/published/${entry.id}/use`, { planId }),
    onSuccess: (r) => {
      setDone(r);
      qc.invalidateQueries({ queryKey: ['action-plans'] });
      notifySuccess(t('library.usedToast', { ref: r.ref }));
    },
  });
  const open = (plans.data?.items ?? []).filter((p) => p.status !== 'archived');
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb="xs">
        {t('library.useTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('library.useIntro')}
      </Text>
      {plans.isError ? (
        <ProblemAlert error={plans.error} />
      ) : open.length === 0 && !plans.isPending ? (
        <Text size="sm">{t('library.noPlans')}</Text>
      ) : (
        <Group align="flex-end">
          <Select
            style={{ flex: 1 }}
            label={t('library.plan')}
            value={planId}
            onChange={setPlanId}
            data={open.map((p) => ({ value: p.id, label: p.title }))}
            data-testid="library-plan"
          />
          <Button
            disabled={!planId}
            loading={use.isPending}
            onClick={() => use.mutate()}
            data-testid="library-use"
          >
            {t('library.use')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={use.error} />
      {done && (
        <Text size="sm" mt="sm" data-testid="library-used">
          <AnchorLink to="/action-plans/$id" params={{ id: done.planId }}>
            {t('library.usedLink', { ref: done.ref })}
          </AnchorLink>
        </Text>
      )}
    </Card>
  );
}

function Comments({ entry, canComment }: { entry: PublishedDetailT; canComment: boolean }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: () => api.post(`/api/library/published/${entry.id}/comments`, { body }),
    onSuccess: () => {
      setBody('');
      qc.invalidateQueries({ queryKey: [...libraryKey, 'published', entry.id] });
    },
  });
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb="sm">
        {t('library.commentsTitle')}
      </Title>
      <Stack gap="sm" data-testid="library-comments">
        {entry.comments.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('library.noComments')}
          </Text>
        )}
        {entry.comments.map((c) => (
          <div key={c.id} data-testid="library-comment-item">
            <Text size="sm" fw={600}>
              {t('library.commentBy', { name: c.authorName, organisation: c.organisation })}
              <Text span size="xs" c="dimmed" ms="xs">
                {/* Isolated: beside a Latin name its digits were reordered in Arabic. */}
                <bdi>{f.dateTime(c.createdAt)}</bdi>
              </Text>
            </Text>
            <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }} c={c.hidden ? 'dimmed' : undefined}>
              {c.body}
            </Text>
            {c.hidden ? (
              // Text, not a badge: a badge cut a long reason off; the reason is isolated (right to left
              // its full stop went first).
              <Text size="xs" c="dimmed" fs="italic" mt={4}>
                <Trans
                  i18nKey="library.commentHidden"
                  values={{ reason: c.hidden.reason }}
                  components={{ bdi: <bdi /> }}
                />
              </Text>
            ) : (
              entry.canModerate && <HideComment entryId={entry.id} commentId={c.id} />
            )}
          </div>
        ))}
        {canComment && (
          <Stack gap="xs">
            <Textarea
              label={t('library.addComment')}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              maxLength={4000}
              autosize
              minRows={2}
              data-testid="library-comment"
            />
            <ProblemAlert error={add.error} />
            <Group>
              <Button
                disabled={!body.trim()}
                loading={add.isPending}
                onClick={() => add.mutate()}
                data-testid="library-comment-send"
              >
                {t('library.sendComment')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** The Secretariat hides a comment, with a reason (others stop reading it; audited). */
function HideComment({ entryId, commentId }: { entryId: string; commentId: string }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const hide = useMutation({
    mutationFn: () => api.post(`/api/library/comments/${commentId}/hide`, { reason: reason.trim() }),
    onSuccess: () => {
      setOpen(false);
      notifySuccess(t('library.commentHiddenToast'));
      return qc.invalidateQueries({ queryKey: [...libraryKey, 'published', entryId] });
    },
  });
  if (!open)
    return (
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        onClick={() => setOpen(true)}
        data-testid="library-hide"
      >
        {t('library.hideComment')}
      </Button>
    );
  return (
    <Group align="flex-end" gap="xs" mt={4}>
      <TextInput
        size="xs"
        style={{ flex: 1 }}
        label={t('library.hideReason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={2000}
        data-testid="library-hide-reason"
      />
      <Button
        size="xs"
        color="red"
        disabled={!reason.trim()}
        loading={hide.isPending}
        onClick={() => hide.mutate()}
        data-testid="library-hide-confirm"
      >
        {t('library.hideComment')}
      </Button>
      <Button size="xs" variant="default" onClick={() => setOpen(false)}>
        {t('library.cancel')}
      </Button>
      <ProblemAlert error={hide.error} />
    </Group>
  );
}

/**
 * The Secretariat withdraws the published version, with a reason the contributor sees. The
 * revision read goes with it: if a newer one was published meanwhile, the server answers 409.
 */
function Unpublish({ entry, onReload }: { entry: PublishedDetailT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const withdraw = useMutation({
    mutationFn: () =>
      api.post(`/api/library/moderation/entries/${entry.id}/unpublish`, {
        revision: entry.revision,
        reason: reason.trim(),
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: libraryKey });
      notifySuccess(t('library.unpublishedToast'));
      navigate({ to: '/library' });
    },
  });
  return (
    <Card withBorder padding="lg" data-testid="library-unpublish-card">
      <Title order={2} size="h4" mb="xs">
        {t('library.unpublishTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('library.unpublishIntro')}
      </Text>
      <Stack gap="xs">
        <Textarea
          label={t('library.unpublishReason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
          data-testid="library-unpublish-reason"
        />
        <SaveError error={withdraw.error} onReload={onReload} />
        <Group>
          <Button
            color="red"
            variant="light"
            disabled={!reason.trim()}
            loading={withdraw.isPending}
            onClick={() => withdraw.mutate()}
            data-testid="library-unpublish"
          >
            {t('library.unpublish')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
