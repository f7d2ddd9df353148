import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CHANNELS, type Channel } from '../../src/core/feedback-event.js';

/**
 * Helpers of the service tests: valid native records per channel (what each platform would push),
 * and `voc serve` started as a user starts it (the CLI from source through tsx).
 */

const SERIES = ['星海S7', '云途X5', '星海L9'];
const COMPLAINTS = ['车机经常黑屏要重启', '空调有异味', '保养等待时间太长', '语音助手反应慢', '刹车有异响', '续航比宣传的短很多'];

function phrase(i: number, tag: string): string {
  // Distinct text per record (the social connector counts copy-paste duplicates once).
  return `${COMPLAINTS[i % COMPLAINTS.length]}，第${i}次反馈，批次${tag}，希望尽快解决。编号${tag}-${i}-${(i * 7919) % 1000}`;
}

/** One native record of `channel` that its connector turns into exactly one event. */
export function channelRecord(channel: Channel, i: number, tag: string): Record<string, unknown> {
  const at = new Date(Date.UTC(2024, 3, 1 + (i % 27), 2, i % 60, 0)).toISOString();
  const series = SERIES[i % SERIES.length];
  switch (channel) {
    case 'hotline':
      return {
        callId: `CALL-${tag}-${i}`,
        startTime: at,
        endTime: at,
        hotline: '400-820-8888',
        callerNumber: `1381234${String(i).padStart(4, '0')}`,
        agentId: `A${1000 + (i % 17)}`,
        vehicle: { series },
        turns: [
          { role: 'agent', start: 0, end: 3, text: '您好，请问有什么可以帮您？' },
          { role: 'customer', start: 3, end: 9, text: phrase(i, tag) },
        ],
      };
    case 'survey':
      return {
        responseId: `R-${tag}-${i}`,
        surveyId: 'SV-AFTERSALES-2024',
        submittedAt: at,
        respondent: { openid: `oK3x_${tag}_${i}` },
        nps: i % 11,
        dealerCode: 'SH021',
        vehicle: { series },
        answers: [{ questionId: 'q1', question: '您对本次服务最不满意的地方是？', text: phrase(i, tag) }],
      };
    case 'private_domain':
      return {
        msgid: `${tag}_${i}_msg`,
        action: 'send',
        from: `wmUser${tag}${i}`,
        tolist: ['advisor01'],
        roomid: 'wrOwnersShanghai01',
        msgtime: Date.parse(at),
        msgtype: 'text',
        text: { content: phrase(i, tag) },
      };
    case 'social':
      return {
        platform: 'weibo',
        postId: `${tag}${i}`,
        url: `https://weibo.com/u/${tag}${i}`,
        authorId: `70${i}${tag.length}`,
        publishedAt: at,
        content: phrase(i, tag),
        language: 'zh-Hans',
        likes: i,
      };
    case 'dealer':
      return {
        dealerCode: 'SH021',
        orderNo: `RO-${tag}-${i}`,
        vin: `LSJW74U39PZ${String(200000 + i).padStart(6, '0')}`,
        customerComment: phrase(i, tag),
        closedAt: at,
        rating: 1 + (i % 5),
        phone: `1391234${String(i).padStart(4, '0')}`,
      };
  }
}

export const ndjson = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

export { CHANNELS };

export const TEST_PSEUDONYM_KEY = 'service-test-pseudonym-key-0123456789';
export const tokenFor = (channel: Channel): string => `token-${channel}-0123456789abcdef`;
export const hmacFor = (channel: Channel): string => `hmac-${channel}-0123456789abcdef`;

/** Credentials for every channel: a token and an HMAC key each. */
export function credentialEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const c of CHANNELS) {
    env[`VOC_INGEST_TOKEN_${c.toUpperCase()}`] = tokenFor(c);
    env[`VOC_INGEST_HMAC_${c.toUpperCase()}`] = hmacFor(c);
  }
  return env;
}

/** The repository root: `voc serve` runs from there whatever the caller's working directory. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `voc serve --port 0` and resolves once it prints the address it listens on. */
export function startServe(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
    env: { ...process.env, VOC_KAFKA_BROKERS: '', VOC_CLICKHOUSE_URL: '', VOC_LOG_LEVEL: 'warn', ...env },
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`voc serve did not start within ${timeoutMs} ms:\n${stderr.join('\n')}`));
    }, timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      stdout.push(l);
      const m = /listening on (http:\/\/\S+)/.exec(l);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, stdout, stderr, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`voc serve exited with ${code} before listening:\n${stderr.join('\n')}`));
    });
  });
}

/** Sum of a Prometheus counter's samples whose labels include `labels`. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([^{\s]+)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown> & { error?: { code: string; message: string }; eventIds?: string[]; accepted?: number };
}

/** One HTTP request (node:http, so that nothing hides what the server did with the connection). */
export function http(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'), headers: opts.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: HttpResult['json'];
        try {
          json = body.startsWith('{') ? (JSON.parse(body) as HttpResult['json']) : {};
        } catch {
          json = {};
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `probe` returns true, polling; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(200);
  }
}

export interface LoadResult {
  /** Event ids of every 202 answer. */
  acked: string[];
  requests: number;
  /** 503 answers (draining, bus unavailable). */
  refused: number;
  /** Requests that got no answer (connection refused or closed). */
  failed: number;
}

/**
 * Senders posting NDJSON batches (every channel in turn, bearer tokens, keep-alive connections)
 * until stopped or until the server stops answering — what a platform's pushers do while the
 * service is being stopped.
 */
export function startLoad(url: string, opts: { concurrency: number; batchSize: number; tag: string; maxRequests?: number }): { stop(): void; done: Promise<LoadResult>; acked(): number } {
  const result: LoadResult = { acked: [], requests: 0, refused: 0, failed: 0 };
  let stopped = false;
  const worker = async (w: number): Promise<void> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let k = 0; !stopped; k++) {
        if (opts.maxRequests !== undefined && result.requests >= opts.maxRequests) break;
        const channel = CHANNELS[(w + k) % CHANNELS.length] as Channel;
        const records = Array.from({ length: opts.batchSize }, (_, i) => channelRecord(channel, k * opts.batchSize + i, `${opts.tag}w${w}`));
        result.requests++;
        let r: HttpResult;
        try {
          r = await http(`${url}/v1/ingest/${channel}`, { body: ndjson(records), headers: { Authorization: `Bearer ${tokenFor(channel)}`, 'Content-Type': 'application/x-ndjson' }, agent });
        } catch {
          result.failed++;
          break;
        }
        if (r.status === 202) result.acked.push(...(r.json.eventIds ?? []));
        else if (r.status === 503) {
          result.refused++;
          break;
        } else throw new Error(`Unexpected ${r.status}: ${r.body}`);
      }
    } finally {
      agent.destroy();
    }
  };
  const done = Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w))).then(() => result);
  return {
    stop: () => {
      stopped = true;
    },
    done,
    acked: () => result.acked.length,
  };
}
