// The variables kro's expressions read besides resource ids.

/** The instance, without its status. */
export const SCHEMA = 'schema';
/** One item of a collection, in the collection's readyWhen. */
export const EACH = 'each';
/** The condition helpers, only in status.conditions. */
export const RUNTIME = 'runtime';
