/** See arg-types.mjs. */
export function argTypesFor(manifest: unknown, tagName: string): Record<string, unknown>;
