/** See cdn-report.mjs. */
import type { Plugin } from 'vite';

export interface FileReport { bytes: number; gzip: number; brotli: number; integrity: string }
export interface CdnReport { version: string; files: Record<string, FileReport> }
export const CDN_FILES: string[];
export function cdnReport(dir: string): CdnReport;
export function writeCdnReport(dir: string): CdnReport;
export function cdnIntegrity(): Plugin;
