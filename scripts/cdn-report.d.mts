/** See cdn-report.mjs. */
export interface FileReport { bytes: number; gzip: number; brotli: number; integrity: string }
export interface CdnReport { version: string; files: Record<string, FileReport> }
export const CDN_FILES: string[];
export function cdnScripts(dir: string): string[];
export function cdnReport(dir: string): CdnReport;
export function writeCdnReport(dir: string): CdnReport;
