/** A deep copy through JSON, as n8n's database round trip makes one. */
export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
