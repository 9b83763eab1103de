// Types for the parts of autocannon's internal HTTP client (autocannon 9.0.0, lib/httpClient.js) that
// GateClient builds on. The version is pinned exactly; test/load/autocannon-internals.test.ts fails when an
// upgrade moves any of them.
declare module 'autocannon/lib/httpClient.js' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  interface HttpParser {
    initialize(type: string): void;
    execute(chunk: Buffer): number | Error;
    finish(): Error | undefined;
    [handler: number]: (...args: never[]) => unknown;
  }

  class AutocannonClient extends EventEmitter {
    constructor(opts: Record<string, unknown>);
    conn: Socket;
    parser: HttpParser;
    timeoutTicker: { clear(): void };
    destroyed: boolean;
    _connect(): void;
    _doRequest(): void;
    destroy(): void;
    getRequestBuffer(): Buffer;
  }
  export = AutocannonClient;
}
