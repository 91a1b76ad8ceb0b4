import { Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

/** A titled, labelled region of a page. */
export function Section(props: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}): ReactNode {
  const id = useId();
  return (
    <Paper component="section" aria-labelledby={id} withBorder p={{ base: 'md', sm: 'lg' }} radius="md">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3" id={id}>
            {props.title}
          </Title>
          {props.description && (
            <Text size="sm" c="dimmed" mt={4}>
              {props.description}
            </Text>
          )}
        </div>
        {props.children}
      </Stack>
    </Paper>
  );
}
