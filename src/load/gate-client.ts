/**
 * One load connection: autocannon's HTTP client (request building, HTTP parsing, TCP/TLS connect) with the
 * request lifecycle taken over so that every request is timed and accounted for exactly once.
 *
 * What autocannon 9.0.0 gets wrong, and what this class does instead:
 * - It ignores `Connection: close`: after such a response it writes the next request on the closing socket,
 *   reconnects on 'end' without clearing its queue of pending requests, and then matches responses to the
 *   wrong start times (a 5 ms gunicorn endpoint read as p50 1263 ms). Here a response that does not keep
 *   the connection alive retires the socket, and the next request opens a new one; its latency includes
 *   the connect, as a real client's would.
 * - It stamps the start time when a request is queued, and counts a timeout or a dropped socket as an error
 *   with no latency. Here each request carries its intended and actual send times (nanoseconds), and every
 *   request ends in exactly one outcome: a response, a timeout (with its latency) or a socket error.
 * - It reconnects and resends at once after a connection error, so a refused port is thousands of
 *   "requests". Here the driver decides when to send; the client never sends on its own.
 * - It never re-initialises the HTTP parser, so a response cut off by a timeout corrupts the next one.
 */
import AutocannonClient from 'autocannon/lib/httpClient.js';
import { urlToHttpOptions } from 'node:url';

const nowNs = (): bigint => process.hrtime.bigint();

/** How one request ended. `response` covers every HTTP status; success is judged by the driver. */
export type RequestOutcome =
  { kind: 'response'; statusCode: number } | { kind: 'timeout' } | { kind: 'socket'; code: string };

export interface RequestResult {
  outcome: RequestOutcome;
  /** When the request should have gone out (equal to sentNs in closed-loop load). */
  intendedNs: bigint;
  /** When it was handed to the socket (or, on a fresh connection, when the connect began). */
  sentNs: bigint;
  endNs: bigint;
}

export interface RequestSpec {
  url: string;
  method: string;
  /** The endpoint's headers; `requestHeaders` adds the defaults it does not set. */
  headers: Record<string, string>;
  body?: string;
  requestTimeoutMs: number;
}

/**
 * Sent unless the endpoint sets them, in any case of the name. Browsers, curl --compressed, Python's
 * requests and Go's net/http (so hey) all ask for compressed responses; without this a service that
 * compresses is measured on a path its clients never take (Prometheus /api/v1/query: 1.9 ms plain, 8 ms
 * gzipped). autocannon sends only Host, Connection and Content-Length.
 */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = { 'accept-encoding': 'gzip, deflate' };

/**
 * The headers a request carries: the defaults the endpoint does not set, then the endpoint's own. An
 * empty value for a default header (`accept-encoding: ''`) sends no such header at all.
 */
export function requestHeaders(configured: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  const configuredNames = new Set(Object.keys(configured).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(DEFAULT_HEADERS)) {
    if (!configuredNames.has(name)) headers[name] = value;
  }
  for (const [name, value] of Object.entries(configured)) {
    if (value === '' && name.toLowerCase() in DEFAULT_HEADERS) continue;
    headers[name] = value;
  }
  return headers;
}

interface InFlight {
  intendedNs: bigint;
  sentNs: bigint;
  /** Response bytes seen so far: a request with none may be retried on a fresh socket. */
  bytesReceived: number;
  /** Whether the socket had already carried a request (then a silent close is a stale keep-alive). */
  reusedSocket: boolean;
  retried: boolean;
  /** Its bytes, when not the client's prebuilt request (a templated endpoint); a retry resends them. */
  request: Buffer | undefined;
}

export class GateClient extends AutocannonClient {
  // Not class fields: autocannon's constructor calls _connect() before a subclass's fields exist.
  declare private started: boolean;
  declare private inFlight: InFlight | null;
  declare private socketOpen: boolean;
  declare private requestsOnSocket: number;
  declare private statusCode: number;
  declare private keepAlive: boolean;
  declare private timeoutTimer: NodeJS.Timeout;
  declare private requestTimeoutNs: bigint;
  declare private onResult: (result: RequestResult) => void;

  constructor(spec: RequestSpec, onResult: (result: RequestResult) => void) {
    const url = new URL(spec.url);
    super({
      ...urlToHttpOptions(url),
      host: url.host,
      method: spec.method,
      headers: requestHeaders(spec.headers),
      body: spec.body,
      pipelining: 1,
      timeout: spec.requestTimeoutMs / 1000,
    });
    // autocannon arms its own per-client timeout; requests are timed here instead.
    this.timeoutTicker.clear();
    this.started = true;
    this.inFlight = null;
    this.socketOpen = false;
    this.requestsOnSocket = 0;
    this.statusCode = 0;
    this.keepAlive = true;
    this.onResult = onResult;
    this.requestTimeoutNs = BigInt(Math.round(spec.requestTimeoutMs * 1e6));
    this.timeoutTimer = setTimeout(() => this.checkTimeout(), spec.requestTimeoutMs);
    this.timeoutTimer.unref();

    const Parser = this.parser.constructor as unknown as Record<string, number>;
    this.parser[Parser.kOnHeadersComplete!] = (info: { statusCode: number; shouldKeepAlive: boolean }) => {
      this.statusCode = info.statusCode;
      this.keepAlive = info.shouldKeepAlive;
    };
    // The body is not needed: skip autocannon's string concatenation of it. It is still read to its end,
    // compressed or not: the parser frames it by Content-Length or chunks, whatever its encoding.
    this.parser[Parser.kOnBody!] = () => {};
    this.parser[Parser.kOnMessageComplete!] = () => this.onMessageComplete();
  }

  get busy(): boolean {
    return this.inFlight !== null;
  }

  /**
   * Sends one request now. `intendedNs` is when it should have gone out (for fixed-rate load); `request`,
   * its bytes when they are not the prebuilt request's (see requests.ts).
   */
  send(intendedNs: bigint, request?: Buffer): void {
    if (this.inFlight || this.destroyed) throw new Error('GateClient.send while busy or destroyed');
    const sentNs = nowNs();
    this.inFlight = { intendedNs, sentNs, bytesReceived: 0, reusedSocket: false, retried: false, request };
    this.write();
    this.timeoutTimer.refresh();
  }

  /** Gives up the request in flight, if any, as timed out at `atNs` (the end of the drain). */
  abandon(atNs: bigint): RequestResult | undefined {
    const inFlight = this.inFlight;
    if (!inFlight) return undefined;
    this.inFlight = null;
    this.retireSocket();
    return { outcome: { kind: 'timeout' }, ...times(inFlight), endNs: atNs };
  }

  override _connect(): void {
    // Called by autocannon's constructor; connections are opened on demand instead.
    if (!this.started) return;
    this.parser.initialize('RESPONSE');
    super._connect();
    const socket = this.conn;
    // Replace autocannon's listeners (which reconnect and resend by themselves) with ours.
    socket.removeAllListeners('error');
    socket.removeAllListeners('end');
    socket.removeAllListeners('data');
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.conn) return;
      if (this.inFlight) this.inFlight.bytesReceived += chunk.length;
      const error = this.parser.execute(chunk);
      if (error instanceof Error) this.socketFailed(socket, 'HPE_INVALID_RESPONSE');
    });
    socket.on('end', () => {
      if (socket !== this.conn) return;
      // A response delimited by the end of the connection (no length) completes here.
      this.parser.finish();
      this.socketFailed(socket, 'ECONNRESET');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.socketFailed(socket, error.code ?? 'ESOCKET'));
    socket.on('close', () => this.socketFailed(socket, 'ECONNRESET'));
    this.socketOpen = true;
    this.requestsOnSocket = 0;
  }

  override _doRequest(): void {
    // autocannon calls this to send the next request on its own; the driver decides instead.
  }

  override destroy(): void {
    clearTimeout(this.timeoutTimer);
    this.inFlight = null;
    if (this.destroyed) return;
    this.retireSocket();
    // autocannon's destroy() tears down `conn`, which a client that never sent does not have.
    if (this.conn) super.destroy();
    else this.destroyed = true;
  }

  private write(): void {
    const inFlight = this.inFlight!;
    if (!this.socketOpen) this._connect();
    inFlight.reusedSocket = this.requestsOnSocket > 0;
    this.requestsOnSocket++;
    this.conn.write(inFlight.request ?? this.getRequestBuffer());
  }

  private onMessageComplete(): void {
    const inFlight = this.inFlight;
    if (!inFlight) return;
    const endNs = nowNs();
    this.inFlight = null;
    const result: RequestResult = {
      outcome: { kind: 'response', statusCode: this.statusCode },
      ...times(inFlight),
      endNs,
    };
    if (this.keepAlive) return this.onResult(result);
    // `Connection: close`: retire the socket, and let the next request open a new one once the parser
    // has returned (a new connection re-initialises the parser).
    this.retireSocket();
    queueMicrotask(() => this.onResult(result));
  }

  private socketFailed(socket: import('node:net').Socket, code: string): void {
    if (socket !== this.conn || !this.socketOpen) return;
    this.retireSocket();
    const inFlight = this.inFlight;
    if (!inFlight || this.destroyed) return;
    // A kept-alive socket the server closed while idle: nothing was processed, so send again on a new one,
    // as HTTP clients do. Once only, so a server that drops every request still fails.
    if (inFlight.reusedSocket && inFlight.bytesReceived === 0 && !inFlight.retried) {
      inFlight.retried = true;
      this.write();
      return;
    }
    this.inFlight = null;
    this.onResult({ outcome: { kind: 'socket', code }, ...times(inFlight), endNs: nowNs() });
  }

  private checkTimeout(): void {
    const inFlight = this.inFlight;
    if (!inFlight || this.destroyed) return;
    const elapsedNs = nowNs() - inFlight.sentNs;
    if (elapsedNs < this.requestTimeoutNs) {
      // Sent after the timer was last armed: wait for the rest of its time.
      this.timeoutTimer = setTimeout(
        () => this.checkTimeout(),
        Number(this.requestTimeoutNs - elapsedNs) / 1e6 + 1,
      );
      this.timeoutTimer.unref();
      return;
    }
    this.inFlight = null;
    this.retireSocket();
    this.onResult({
      outcome: { kind: 'timeout' },
      ...times(inFlight),
      endNs: inFlight.sentNs + this.requestTimeoutNs,
    });
  }

  private retireSocket(): void {
    if (!this.socketOpen) return;
    this.socketOpen = false;
    const socket = this.conn;
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    socket.removeAllListeners('close');
    socket.removeAllListeners('error');
    socket.on('error', () => {});
    socket.destroy();
  }
}

const times = (inFlight: InFlight) => ({ intendedNs: inFlight.intendedNs, sentNs: inFlight.sentNs });
