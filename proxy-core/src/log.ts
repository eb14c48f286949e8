/**
 * Logging: one pino root per process, a child per module (`logger.child({ module })`). Bindings are
 * our own constant keys, never keys taken from user input.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/** The root logger: JSON to stdout, level from HAWSER_LOG_LEVEL (default info). */
export function createRootLogger(name: string, level = process.env['HAWSER_LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}

/** A logger that drops everything, for tests and for `-c` checks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
