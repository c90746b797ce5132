// Constants the admin pages share between their server modules and their components (browser-safe).
export const CUSTOMERS_PAGE_SIZE = 50;
export const LEDGER_PAGE_SIZE = 50;
export const CODES_PAGE_SIZE = 50;
export const CODE_STATUSES = ["creating", "issued", "used", "expired", "failed"] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];
export const DATA_REQUESTS_SHOWN = 100;
