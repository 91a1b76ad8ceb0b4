import {
  Badge,
  Button,
  Container,
  FileButton,
  Group,
  Modal,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { IconFileUpload, IconPackageImport, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, upload as uploadFile } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifyError, notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { ManageTabs } from './bits';
import { learningKey, useCourse, useCourses } from './queries';
import type { CourseListItemT, UploadResultT } from './types';

export function CoursesPage(): ReactNode {
  return (
    <RequirePermission permission="learning.manage">
      <Courses />
    </RequirePermission>
  );
}

function Courses(): ReactNode {
  const { t } = useTranslation();
  const courses = useCourses();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('learning.coursesTitle')} description={t('learning.coursesIntro')} />
      <ManageTabs current="courses" />
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <UploadCourse />
          <ImportScorm />
        </SimpleGrid>
        {courses.isPending ? (
          <PageLoader />
        ) : courses.isError ? (
          <QueryError error={courses.error} onRetry={() => courses.refetch()} />
        ) : courses.data.items.length === 0 ? (
          <Text c="dimmed">{t('learning.noCourses')}</Text>
        ) : (
          <ScrollTable minWidth={720} label={t('learning.coursesTitle')}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('learning.course')}</Table.Th>
                  <Table.Th scope="col">{t('learning.kind')}</Table.Th>
                  <Table.Th scope="col">{t('learning.publishedVersion')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('learning.versions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {courses.data.items.map((c) => (
                  <Table.Tr key={c.id} data-testid={`course-row-${c.slug}`}>
                    <Table.Td>
                      <Text fw={500}>{c.title}</Text>
                      <Text size="xs" c="dimmed" dir="ltr" span>
                        {c.slug}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge variant="light" color={c.kind === 'scorm' ? 'blue' : 'gray'}>
                          {c.kind === 'scorm' ? t('learning.scorm') : t('learning.native')}
                        </Badge>
                        {c.shipped && (
                          <Badge variant="light" color="grape">
                            {t('learning.shipped')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {c.publishedVersion === null ? (
                        <Text size="sm" c="dimmed">
                          {t('learning.notPublished')}
                        </Text>
                      ) : (
                        t('learning.versionN', { n: c.publishedVersion })
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setOpen(c.id)}>
                        {t('learning.versions')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Stack>
      <VersionsModal
        course={courses.data?.items.find((c) => c.id === open) ?? null}
        onClose={() => setOpen(null)}
      />
    </Container>
  );
}

function UploadCourse(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const upload = useMutation({
    // The document goes as text in JSON ({ content }); the server parses YAML or JSON.
    mutationFn: async (file: File) =>
      api.post<UploadResultT>('/api/learning/courses', { content: await file.text() }),
    onSuccess: (r) => {
      qc.invalidateQueries({ queryKey: learningKey });
      notifySuccess(
        r.status === 'published'
          ? t('learning.uploadedPublished', { n: r.number })
          : t('learning.uploaded', { n: r.number }),
      );
    },
  });
  return (
    <Section title={t('learning.uploadCourse')} description={t('learning.uploadCourseHelp')}>
      <Group>
        <FileButton onChange={(f) => f && upload.mutate(f)} accept=".yaml,.yml,.json">
          {(props) => (
            <Button
              {...props}
              leftSection={<IconFileUpload size={16} aria-hidden />}
              loading={upload.isPending}
              data-testid="course-upload"
            >
              {t('learning.chooseFile')}
            </Button>
          )}
        </FileButton>
      </Group>
      <div data-testid="course-upload-problems">
        <ProblemAlert error={upload.error} title={t('learning.uploadProblems')} />
      </div>
    </Section>
  );
}

function ImportScorm(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => uploadFile<unknown>('/api/learning/scorm', file, { onProgress: setProgress }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: learningKey });
      notifySuccess(t('learning.scormImported'));
    },
    onSettled: () => setProgress(null),
  });
  const f = useFormat();
  return (
    <Section title={t('learning.importScorm')} description={t('learning.importScormHelp')}>
      <Group>
        <FileButton onChange={(file) => file && upload.mutate(file)} accept=".zip,application/zip">
          {(props) => (
            <Button
              {...props}
              variant="default"
              leftSection={<IconPackageImport size={16} aria-hidden />}
              loading={upload.isPending}
              data-testid="scorm-upload"
            >
              {t('learning.chooseZip')}
            </Button>
          )}
        </FileButton>
      </Group>
      {progress !== null && (
        <div>
          <Progress
            value={progress * 100}
            aria-label={t('learning.uploading')}
            animated={progress >= 1}
            striped={progress >= 1}
          />
          <Text size="xs" c="dimmed" mt={2} role="status">
            {progress >= 1
              ? t('learning.processing')
              : t('learning.uploadingPct', { value: f.number(Math.round(progress * 100)) })}
          </Text>
        </div>
      )}
      <ProblemAlert error={upload.error} title={t('learning.uploadProblems')} />
    </Section>
  );
}

function VersionsModal({
  course,
  onClose,
}: {
  course: CourseListItemT | null;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const detail = useCourse(course?.id ?? null);
  const versions = detail.data?.versions ?? course?.versions ?? [];
  const publish = useMutation({
    mutationFn: (versionId: string) =>
      api.post(`/api/learning/courses/${course!.id}/versions/${versionId}/publish`),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: learningKey });
      notifySuccess(t('learning.publishedOk'));
    },
    onError: (e) => notifyError(errorMessage(e)),
  });
  return (
    <Modal
      opened={!!course}
      onClose={onClose}
      title={course?.title}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {detail.isPending && !course?.versions ? (
        <PageLoader />
      ) : versions.length === 0 ? (
        <Text c="dimmed">{t('learning.noVersions')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('learning.version')}</Table.Th>
              <Table.Th scope="col">{t('learning.status')}</Table.Th>
              <Table.Th scope="col">{t('learning.created')}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('learning.publish')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...versions]
              .sort((a, b) => b.number - a.number)
              .map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>{t('learning.versionN', { n: v.number })}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={v.status === 'published' ? 'teal' : v.status === 'draft' ? 'yellow' : 'gray'}
                    >
                      {t(`learning.versionStatuses.${v.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{f.date(v.createdAt)}</Table.Td>
                  <Table.Td>
                    {v.status === 'draft' && !course?.shipped && (
                      <Button
                        size="xs"
                        leftSection={<IconUpload size={14} aria-hidden />}
                        loading={publish.isPending && publish.variables === v.id}
                        onClick={() => publish.mutate(v.id)}
                        data-testid={`publish-${v.number}`}
                      >
                        {t('learning.publish')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}
