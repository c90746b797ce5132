// Public API of the loyalty domain: plain functions over plain data, no I/O.
export * from "./money";
export * from "./settings";
export * from "./order";
export * from "./time";
export * from "./campaigns";
export * from "./earning";
export * from "./clawback";
export * from "./redemption";
