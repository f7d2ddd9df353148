import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./kafka-worker.ts', import.meta.url));

export interface SinkLine {
  id: string;
  worker: string;
  batch: number;
  partition: number;
  offset: string;
}

export interface Worker {
  child: ChildProcess;
  /** Resolves with the signal or code the process ended with. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ready: Promise<void>;
}

/** Starts test/integration/helpers/kafka-worker.ts as a separate Node process. */
export function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    void exited.then(({ code, signal }) => reject(new Error(`worker exited before it was ready (code ${code}, signal ${signal})`)));
  });
  ready.catch(() => undefined);
  return { child, exited, ready };
}

export function readSink(file: string): SinkLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  // A worker may be mid-append: only lines that end in a newline are complete.
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as SinkLine);
}

/** Runs a shell command, resolving on exit 0. */
export function sh(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`\`${command}\` exited with ${code}.`))));
  });
}
