import { Badge, Button, Card, Container, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCertificate, IconClock, IconPlayerPlay } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { ButtonLink } from '../../../web/ui-kit/links';
import { notifyError } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { DueDate, EnrolmentBadge, PercentBar, isOverdue, usePct } from './bits';
import { learningKey, useCourses, useMyEnrolments } from './queries';
import type { CourseListItemT, EnrolmentT } from './types';

export function MyLearningPage(): ReactNode {
  return (
    <RequirePermission permission="learning.learn">
      <MyLearning />
    </RequirePermission>
  );
}

/** Where a learner continues an enrolment: the course player or the SCORM runtime. */
export function continueLink(e: Pick<EnrolmentT, 'id' | 'kind'>) {
  return e.kind === 'scorm'
    ? ({ to: '/learning/scorm/$enrolmentId', params: { enrolmentId: e.id } } as const)
    : ({ to: '/learning/enrolments/$id', params: { id: e.id } } as const);
}

function MyLearning(): ReactNode {
  const { t } = useTranslation();
  const enrolments = useMyEnrolments();
  const courses = useCourses();
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('learning.myLearning')} description={t('learning.myLearningIntro')} />
      <Stack gap="xl">
        <section aria-labelledby="learning-mine">
          <Title order={2} size="h3" id="learning-mine" mb="sm">
            {t('learning.myCourses')}
          </Title>
          {enrolments.isPending ? (
            <PageLoader />
          ) : enrolments.isError ? (
            <QueryError error={enrolments.error} onRetry={() => enrolments.refetch()} />
          ) : enrolments.data.items.length === 0 ? (
            <Text c="dimmed">{t('learning.noEnrolments')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {sortEnrolments(enrolments.data.items).map((e) => (
                <EnrolmentCard key={e.id} e={e} />
              ))}
            </SimpleGrid>
          )}
        </section>
        <section aria-labelledby="learning-catalogue">
          <Title order={2} size="h3" id="learning-catalogue" mb={4}>
            {t('learning.catalogue')}
          </Title>
          <Text c="dimmed" size="sm" mb="sm">
            {t('learning.catalogueIntro')}
          </Text>
          {courses.isPending ? (
            <PageLoader />
          ) : courses.isError ? (
            <QueryError error={courses.error} onRetry={() => courses.refetch()} />
          ) : courses.data.items.length === 0 ? (
            <Text c="dimmed">{t('learning.noCourses')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {courses.data.items.map((c) => (
                <CatalogueCard key={c.id} c={c} />
              ))}
            </SimpleGrid>
          )}
        </section>
      </Stack>
    </Container>
  );
}

/** Overdue first, then by due date, completed last. */
function sortEnrolments(items: EnrolmentT[]): EnrolmentT[] {
  const rank = (e: EnrolmentT) => (e.status === 'completed' ? 2 : isOverdue(e.dueDate, e.status) ? 0 : 1);
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'),
  );
}

function EnrolmentCard({ e }: { e: EnrolmentT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const overdue = isOverdue(e.dueDate, e.status);
  const percent = Math.round(e.percent);
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      data-testid={`learning-enrolment-${e.courseSlug}`}
      style={overdue ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
    >
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={3} size="h4">
            {e.courseTitle}
          </Title>
          <EnrolmentBadge status={e.status} />
        </Group>
        <PercentBar percent={percent} label={t('learning.percentDone', { value: f.number(percent) })} />
        {e.status === 'completed' ? (
          <Text size="sm">
            {t('learning.completedOn', { date: f.date(e.completedAt) })}
            {e.score !== null && ` · ${t('learning.scoreOf', { score: pct(e.score) })}`}
          </Text>
        ) : (
          <DueDate dueDate={e.dueDate} status={e.status} />
        )}
        <Group gap="xs" mt="auto">
          <ButtonLink
            {...continueLink(e)}
            size="sm"
            variant={e.status === 'completed' ? 'default' : 'filled'}
            leftSection={<IconPlayerPlay size={16} aria-hidden />}
            data-testid={`learning-continue-${e.courseSlug}`}
          >
            {e.status === 'enrolled'
              ? t('learning.start')
              : e.status === 'completed'
                ? t('learning.review')
                : t('learning.continue')}
          </ButtonLink>
          {e.certificateId && (
            <Button
              component="a"
              href={`/api/learning/certificates/${e.certificateId}/pdf`}
              size="sm"
              variant="light"
              color="teal"
              leftSection={<IconCertificate size={16} aria-hidden />}
            >
              {t('learning.certificate')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function CatalogueCard({ c }: { c: CourseListItemT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const enrol = useMutation({
    mutationFn: () => api.post<EnrolmentT>(`/api/learning/courses/${c.id}/enrol`),
    onSuccess: (e) => {
      qc.invalidateQueries({ queryKey: learningKey });
      navigate(continueLink({ id: e.id, kind: c.kind }) as never);
    },
    onError: (err) => notifyError(errorMessage(err)),
  });
  return (
    <Card withBorder radius="md" padding="md">
      <Stack gap="xs" h="100%">
        <Title order={3} size="h4">
          {c.title}
        </Title>
        <Group gap={6}>
          {c.shipped && (
            <Badge variant="light" color="grape">
              {t('learning.shipped')}
            </Badge>
          )}
          {c.kind === 'scorm' && <Badge variant="light">{t('learning.scorm')}</Badge>}
          {c.minutes ? (
            <Badge variant="default" leftSection={<IconClock size={12} aria-hidden />}>
              {t('learning.minutes', { count: c.minutes, n: f.number(c.minutes) })}
            </Badge>
          ) : null}
        </Group>
        {c.summary && (
          <Text size="sm" c="dimmed" lineClamp={4}>
            {c.summary}
          </Text>
        )}
        <Group mt="auto" pt="xs">
          {c.enrolment ? (
            <ButtonLink {...continueLink({ id: c.enrolment.id, kind: c.kind })} size="sm" variant="default">
              {t('learning.open')}
            </ButtonLink>
          ) : (
            <Button
              size="sm"
              onClick={() => enrol.mutate()}
              loading={enrol.isPending}
              disabled={c.selfEnrol === false || c.publishedVersion === null}
              data-testid={`learning-enrol-${c.slug}`}
            >
              {t('learning.enrol')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
