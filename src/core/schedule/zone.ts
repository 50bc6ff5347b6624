/**
 * Wall-clock time in an IANA time zone, from the runtime's Intl data: the instant →
 * local fields direction, and the local fields → instants direction that schedules need
 * (none in a daylight-saving gap, two in a repeated hour).
 */
export interface LocalTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** true when the runtime knows the zone (IANA names such as `Europe/London`, and `UTC`). */
export function isValidZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function localOf(ms: number, zone: string): LocalTime {
  if (isUtc(zone)) return utcFields(ms);
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] ?? 1970,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: (parts['hour'] ?? 0) % 24,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

/**
 * The instants at which the zone's clocks show `local`, earliest first: empty in a
 * spring-forward gap, two in a fall-back repeat.
 */
export function instantsOf(local: LocalTime, zone: string): number[] {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  if (isUtc(zone)) return [naive];
  const offsets = new Set([offsetAt(naive - 86_400_000, zone), offsetAt(naive + 86_400_000, zone)]);
  const found: number[] = [];
  for (const offset of offsets) {
    const candidate = naive - offset;
    if (sameLocal(localOf(candidate, zone), local)) found.push(candidate);
  }
  return found.sort((a, b) => a - b);
}

/** A wall time inside a spring-forward gap, read with the offset in force before the gap. */
export function gapInstant(local: LocalTime, zone: string): number {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return isUtc(zone) ? naive : naive - offsetAt(naive - 86_400_000, zone);
}

function offsetAt(ms: number, zone: string): number {
  const l = localOf(ms, zone);
  const rounded = Math.floor(ms / 1000) * 1000;
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - rounded;
}

function sameLocal(a: LocalTime, b: LocalTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT';
}

function utcFields(ms: number): LocalTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day of week, 1 = Sunday … 7 = Saturday, as AWS cron counts. */
export function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}
