import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { drainPending, Session } from 'chdb';
import { ConnectionError } from '../../core/errors.js';

/**
 * chDB runs one engine per process, bound to one data directory at a time: sessions on the SAME
 * path coexist (each with its own current database), but opening a DIFFERENT path needs every
 * session on the old one closed and `drainPending()` awaited first (node_modules/chdb/README.md).
 * This pool enforces that: it refuses a second path while the first is in use, with an error that
 * says so, instead of letting the addon fail later.
 */
let currentPath: string | undefined;
let openCount = 0;
let switching: Promise<void> = Promise.resolve();

export async function openChdbSession(path: string): Promise<Session> {
  const abs = resolve(path);
  await switching;
  if (currentPath !== undefined && currentPath !== abs) {
    if (openCount > 0) {
      throw new ConnectionError(
        `chDB holds one store directory per process: ${currentPath} is open, cannot also open ${abs}. Close the other store first.`,
        { code: 'CHDB_PATH_IN_USE', retriable: false },
      );
    }
    switching = drainPending();
    await switching;
  }
  mkdirSync(abs, { recursive: true });
  const session = new Session(abs);
  currentPath = abs;
  openCount++;
  return session;
}

export function closeChdbSession(session: Session): void {
  if (!session.open) return;
  session.close();
  openCount = Math.max(0, openCount - 1);
}
