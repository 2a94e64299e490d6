/**
 * Frames recorded from the real AV-Gym server (copied from
 * shared/protocol/transcripts/: tokens replaced by <JWT>, ports by PORT).
 */
export interface TranscriptLine {
  t: number;
  label: string;
  kind: string;
  msg?: { type: string } & Record<string, unknown>;
  raw?: string;
  code?: number;
  name?: string;
}

export async function loadTranscript(name: 'main' | 'redis' | 'restart' | 'nulls'): Promise<TranscriptLine[]> {
  const response = await fetch(new URL(`../fixtures/transcripts/${name}.jsonl`, import.meta.url));
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as TranscriptLine);
}

/** What one client (`label`) received, in order. */
export const received = (lines: TranscriptLine[], label: string) =>
  lines.filter((line) => line.label === label && line.kind === 'recv').map((line) => line.msg!);
