// Calendar days as YYYY-MM-DD strings in UTC: due dates, periods and "today" in every module.
// Strings compare in date order, so modules compare and store them as they are.

/** The UTC calendar date of an instant. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** A YYYY-MM-DD date plus whole days (negative to go back). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDay(d);
}
