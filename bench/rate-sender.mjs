// The open-loop sender of bench/lib.ts runRate, on a thread of its own: its clock and its sockets do
// not wait for whatever else the bench process does meanwhile (the Admin API fake answering the
// worker, garbage collection of the bench's own heap), which would otherwise count as the app's
// latency. Plain JavaScript: a worker thread does not inherit tsx's loader on Node 20.
//
// Lean HTTP/1.1 keep-alive connections: the request bytes are written as they are and the answer is
// read up to its Content-Length (the app's webhook endpoints always send one) or its last chunk, a
// few tens of µs of the cores the sender shares with the server, against undici's ~100 µs. One
// request at a time per connection, as Shopify sends.
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";

/**
 * Where a chunked body that starts at `from` ends (after its last, empty chunk), or -1 while it is
 * incomplete. Express + Remix answers chunked (the template-style reference line); no trailers.
 */
function chunkedBodyEnd(buffer, from) {
  let at = from;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0) return -1;
    const size = parseInt(buffer.toString("latin1", at, lineEnd), 16);
    at = lineEnd + 2 + size + 2; // the chunk's data and its CRLF
    if (size === 0) return at;
    if (buffer.length < at) return -1;
  }
}

class RawConnection {
  constructor(port, host) {
    this.busy = false;
    this.buffer = Buffer.alloc(0);
    this.pending = null;
    this.socket = net.connect(port, host);
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk) => this.onData(chunk));
    this.closed = false;
    this.socket.on("error", (error) => this.fail(error));
    // The server closes a keep-alive connection idle for 5 s (Node's keepAliveTimeout): it is dead
    // from then on, and acquire() opens a new one instead.
    this.socket.on("close", () => {
      this.closed = true;
      this.fail(new Error("connection closed"));
    });
  }
  request(bytes) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes, (error) => error && this.fail(error));
    });
  }
  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headerEnd = this.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const head = this.buffer.toString("latin1", 0, headerEnd);
    const end = /\r\ntransfer-encoding: *chunked/i.test(head) ? chunkedBodyEnd(this.buffer, headerEnd + 4) : headerEnd + 4 + Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (end < 0 || this.buffer.length < end) return;
    this.buffer = this.buffer.subarray(end);
    this.settle((p) => p.resolve(Number(head.slice(9, 12))));
  }
  fail(error) {
    this.settle((p) => p.reject(error));
  }
  settle(how) {
    const pending = this.pending;
    this.pending = null;
    this.busy = false;
    if (pending) how(pending);
  }
  close() {
    this.socket.destroy();
  }
}

const { rate, connections, requests } = workerData; // requests: { port, host, bytes: Uint8Array }[]
const pools = new Map();
const waiting = new Map();
function acquire(key, port, host) {
  const pool = pools.get(key) ?? pools.set(key, []).get(key);
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].closed && !pool[i].busy) pool.splice(i, 1);
  const idle = pool.find((c) => !c.busy);
  const connection = idle ?? (pool.length < connections ? pool[pool.push(new RawConnection(port, host)) - 1] : null);
  if (connection) {
    connection.busy = true; // taken now: its request is written a microtask later
    return Promise.resolve(connection);
  }
  return new Promise((resolve) => (waiting.get(key) ?? waiting.set(key, []).get(key)).push(resolve)).then(() => acquire(key, port, host));
}

const latencies = new Float64Array(requests.length);
const scheduledAt = new Float64Array(requests.length);
let errors = 0;
const started = performance.now();
async function send(i) {
  const scheduled = started + (i * 1000) / rate;
  const { port, host, bytes } = requests[i];
  const key = `${host}:${port}`;
  const connection = await acquire(key, port, host);
  try {
    if ((await connection.request(bytes)) !== 200) errors += 1;
  } catch {
    errors += 1;
    connection.closed = true; // replaced on the next acquire
  }
  waiting.get(key)?.shift()?.();
  latencies[i] = performance.now() - scheduled;
  scheduledAt[i] = scheduled - started;
}

const inFlight = [];
const lagBySlot = [];
let lastLoop = performance.now();
for (let i = 0; i < requests.length;) {
  const nowLoop = performance.now();
  const slot = Math.floor((nowLoop - started) / 250);
  lagBySlot[slot] = Math.max(lagBySlot[slot] ?? 0, nowLoop - lastLoop);
  lastLoop = nowLoop;
  const due = Math.min(requests.length, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
  for (; i < due; i++) inFlight.push(send(i));
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await Promise.all(inFlight);
for (const pool of pools.values()) pool.forEach((c) => c.close());
parentPort.postMessage({ latencies, scheduledAt, errors, seconds: (performance.now() - started) / 1000, lagBySlot });
