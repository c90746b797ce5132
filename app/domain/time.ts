// Wall-clock time in the shop's time zone, using only Intl (no date libraries). Merchants enter
// campaign windows and read code expiry dates in the shop's zone; the app stores instants.
//
// Ambiguous wall times follow the same rule as Temporal's `disambiguation: "compatible"` and
// most calendar apps:
//   - gap (clocks jump forward, e.g. 02:30 on 2026-03-08 in New York does not exist): the time
//     moves forward by the length of the gap, so 02:30 becomes 03:30 EDT;
//   - overlap (clocks fall back, e.g. 01:30 on 2026-11-01 in New York happens twice): the
//     earlier instant, 01:30 EDT, is used, so a campaign starts at the first 01:30, not an hour late.

const MS_PER_DAY = 86_400_000;

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export class TimeZoneError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "TimeZoneError";
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(ianaTimeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(ianaTimeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: ianaTimeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new TimeZoneError(`Unknown time zone "${ianaTimeZone}" (expected an IANA name like "America/New_York")`);
    }
    formatters.set(ianaTimeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone. */
export function isValidTimeZone(ianaTimeZone: string): boolean {
  try {
    formatterFor(ianaTimeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields in `ianaTimeZone` at an instant (second precision). */
export function localFieldsAt(epochMs: number, ianaTimeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(ianaTimeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    hour: (fields.hour ?? NaN) % 24, // some engines still print midnight as 24
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

/** Treats wall-clock fields as if they were UTC: a convenient number to compare and offset. */
function wallClockMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Zone offset (local − UTC) in ms at an instant. */
export function zoneOffsetMs(epochMs: number, ianaTimeZone: string): number {
  const wholeSecond = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return wallClockMs(localFieldsAt(wholeSecond, ianaTimeZone)) - wholeSecond;
}

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses "2026-03-08T02:30" (seconds optional), checking the date exists on the calendar. */
export function parseLocalDateTime(local: string): LocalDateTime {
  const match = LOCAL_PATTERN.exec(local);
  if (!match) throw new TimeZoneError(`"${local}" is not a local date and time like 2026-03-08T02:30`);
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const fields = { year, month, day, hour, minute, second };
  const roundTrip = new Date(wallClockMs(fields));
  if (hour > 23 || minute > 59 || second > 59 || roundTrip.getUTCFullYear() !== year || roundTrip.getUTCMonth() !== month - 1 || roundTrip.getUTCDate() !== day) {
    throw new TimeZoneError(`"${local}" is not a valid date and time`);
  }
  return fields;
}

function sameWallClock(a: LocalDateTime, b: LocalDateTime): boolean {
  return wallClockMs(a) === wallClockMs(b);
}

/** The instant a wall-clock time in the shop's zone stands for (gaps move forward, overlaps take the earlier). */
export function zonedLocalToInstant(local: string, ianaTimeZone: string): Date {
  return new Date(localFieldsToEpochMs(parseLocalDateTime(local), ianaTimeZone));
}

export function localFieldsToEpochMs(local: LocalDateTime, ianaTimeZone: string): number {
  const wallMs = wallClockMs(local);
  // The offsets in force around this wall time; a transition between them is what makes a
  // wall time missing or doubled. Two days either side covers every real zone's rule changes.
  const offsets = new Set([zoneOffsetMs(wallMs - 2 * MS_PER_DAY, ianaTimeZone), zoneOffsetMs(wallMs, ianaTimeZone), zoneOffsetMs(wallMs + 2 * MS_PER_DAY, ianaTimeZone)]);
  const candidates = [...offsets].map((offset) => wallMs - offset);
  const matching = candidates.filter((epochMs) => sameWallClock(localFieldsAt(epochMs, ianaTimeZone), local));
  if (matching.length > 0) return Math.min(...matching);
  // In a gap: using the offset from before the jump lands as far past the jump as the wall time
  // was past its start (02:30 → 03:30); that is the later candidate.
  return Math.max(...candidates);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

export function formatLocalDateTime(local: LocalDateTime): string {
  const base = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}`;
  return local.second ? `${base}:${pad(local.second)}` : base;
}

/** "2026-03-08T03:30" (seconds only when not zero): the form `<input type="datetime-local">` uses. */
export function instantToZonedLocal(instant: Date, ianaTimeZone: string): string {
  const epochMs = instant.getTime();
  if (Number.isNaN(epochMs)) throw new TimeZoneError("instant is not a valid date");
  return formatLocalDateTime(localFieldsAt(epochMs, ianaTimeZone));
}

/** The calendar date ("2026-03-08") in the shop's zone at an instant. */
export function zonedDateOf(instant: Date, ianaTimeZone: string): string {
  return instantToZonedLocal(instant, ianaTimeZone).slice(0, 10);
}

/** Adds calendar days to a "YYYY-MM-DD" date (no time zone involved). */
export function addCalendarDays(date: string, days: number): string {
  const fields = parseLocalDateTime(`${date}T00:00`);
  const shifted = new Date(Date.UTC(fields.year, fields.month - 1, fields.day + days));
  return `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

/** The first instant of a local calendar day (01:00 where midnight falls in a DST gap). */
export function startOfZonedDay(date: string, ianaTimeZone: string): Date {
  return zonedLocalToInstant(`${date}T00:00`, ianaTimeZone);
}

const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an ISO instant. An explicit offset or Z is required: "2026-03-08T02:30" alone would be
 * read in the server's own zone, which is never what a stored instant means.
 */
export function parseInstant(value: string | Date, label = "instant"): number {
  if (value instanceof Date) {
    const epochMs = value.getTime();
    if (Number.isNaN(epochMs)) throw new TimeZoneError(`${label} is not a valid date`);
    return epochMs;
  }
  if (!INSTANT_PATTERN.test(value)) {
    throw new TimeZoneError(`${label} must be an ISO instant with an offset, like 2026-03-08T07:30:00Z; got "${value}"`);
  }
  const epochMs = Date.parse(value);
  if (Number.isNaN(epochMs)) throw new TimeZoneError(`${label} is not a valid date: "${value}"`);
  return epochMs;
}
