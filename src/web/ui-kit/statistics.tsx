import { Button, Group, SimpleGrid, type SimpleGridProps, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Section } from './section';

// Pieces of the statistics pages (cases, reports): counts where a group under the minimum cell
// size comes as null, shown as the page's "< n" text (`shown`), never as a guess.

export interface Count {
  key: string;
  label: string;
  n: number | null;
}

/** The page header's export links: `${href}?format=xlsx` and `?format=csv`. */
export function ExportButtons({
  href,
  label,
}: {
  href: string;
  label: (format: string) => string;
}): ReactNode {
  return (
    <Group gap="xs">
      {(['xlsx', 'csv'] as const).map((format) => (
        <Button key={format} component="a" variant="light" href={`${href}?format=${format}`}>
          {label(format.toUpperCase())}
        </Button>
      ))}
    </Group>
  );
}

/** The headline figures, one titled card each. */
export function FigureCards({
  figures,
  cols,
  testId,
}: {
  figures: readonly (readonly [title: string, value: string])[];
  cols: SimpleGridProps['cols'];
  testId: string;
}): ReactNode {
  return (
    <SimpleGrid cols={cols}>
      {figures.map(([title, value]) => (
        <Section key={title} title={title}>
          <Text size="xl" fw={700} data-testid={testId}>
            {value}
          </Text>
        </Section>
      ))}
    </SimpleGrid>
  );
}

/** A table of groups and their counts; a suppressed count is dimmed. */
export function CountsTable({
  list,
  shown,
}: {
  list: readonly Count[];
  shown: (n: number | null) => string;
}): ReactNode {
  return (
    <Table>
      <Table.Tbody>
        {list.map((g) => (
          <Table.Tr key={g.key}>
            <Table.Td>{g.label}</Table.Td>
            <Table.Td ta="end" c={g.n === null ? 'dimmed' : undefined} style={{ whiteSpace: 'nowrap' }}>
              {shown(g.n)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
