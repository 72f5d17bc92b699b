const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from clients; one that is not a UUID names nothing (and must not reach SQL as one). */
export const isUuid = (value: string) => UUID.test(value);
