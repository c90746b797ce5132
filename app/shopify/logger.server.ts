// shopifyApp's / shopifyApi's `logger` option: the libraries' messages become the app's JSON lines
// (app/platform/logger.server.ts) instead of their own "[shopify-app/INFO] …" text.
import { LogSeverity } from "@shopify/shopify-api";
import { configuredLevel, log } from "../platform/logger.server";

const SEVERITY = { error: LogSeverity.Error, warn: LogSeverity.Warning, info: LogSeverity.Info, debug: LogSeverity.Debug } as const;

/**
 * `level`: the libraries' own threshold (LOG_LEVEL by default); `atMost` caps it for an instance
 * that should stay quieter than the app.
 */
export function shopifyLogger(atMost: LogSeverity = LogSeverity.Debug): { level: LogSeverity; log: (severity: LogSeverity, message: string) => void } {
  return {
    level: Math.min(SEVERITY[configuredLevel()], atMost),
    log: (severity, formatted) => {
      // The libraries hand over "[<package>/<SEVERITY>] <message> | {<context>}" (shopify-api's lib/logger/log).
      const prefix = /^\[([\w-]+)\/[A-Z]+\] /.exec(formatted);
      const library = prefix?.[1] ?? "shopify-api";
      const message = prefix ? formatted.slice(prefix[0].length) : formatted;
      if (severity === LogSeverity.Error) log.error(message, { library });
      else if (severity === LogSeverity.Warning) log.warn(message, { library });
      else if (severity === LogSeverity.Info) log.info(message, { library });
      else log.debug(message, { library });
    },
  };
}
