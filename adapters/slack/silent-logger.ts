/**
 * A logger for a WebClient made for one short job (check --online, dashboard sign-in): its failures come
 * back as errors the caller turns into one clear line, so the client's own warnings would only repeat them.
 */
import { LogLevel, type Logger } from '@slack/bolt';

export const SILENT_SLACK_LOGGER: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
