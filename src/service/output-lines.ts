/**
 * A child's output as lines: each stream keeps its own unfinished line, and a decoder that keeps a UTF-8
 * character split between two chunks whole. Shared by the service (service-process.ts) and the one-off
 * setup commands (setup-command.ts).
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** A line longer than this without a newline is passed on as it is (a service printing binary, say). */
const MAX_LINE_CHARS = 64 * 1024;

export interface LineStream {
  /** The unfinished last line so far ('' when none). */
  partial(): string;
}

/** Calls `take` with every complete line of `stream`, as it comes. */
export function readLines(stream: Readable, take: (line: string) => void): LineStream {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (partial + decoder.write(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) take(line);
    if (partial.length > MAX_LINE_CHARS) {
      take(partial);
      partial = '';
    }
  });
  return { partial: () => partial };
}
