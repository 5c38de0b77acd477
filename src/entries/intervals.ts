/** `@org/gc-data/intervals`: ISO-8601 intervals, half-open, UTC (docs/intervals.md). Pure: no client, no I/O. */
export { parseInterval, parseInstant, parseDuration, formatInstant, formatInterval, splitInterval, splitIntervalWindows, halveInterval, lastFullUtcDay, intervalLengthMs, DEFAULT_MAX_WINDOWS } from '../helpers/intervals';
export type { IntervalInput, ParsedInterval, IntervalWindow, SplitOptions } from '../helpers/intervals';
