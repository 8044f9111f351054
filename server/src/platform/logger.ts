import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Redaction keeps tokens and phone numbers out of them wherever a caller
 * logs an object carrying one by mistake.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
    level,
    base: { service: 'linli' },
    redact: {
      paths: ['req.headers.authorization', '*.token', '*.phone', '*.sessionKey', 'token', 'phone', 'sessionKey'],
      censor: '[redacted]',
    },
    },
    destination,
  );
}
export type { Logger };
