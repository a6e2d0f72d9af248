import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';
import { getJson, postJson, waitForSchedule } from './helpers/service.ts';

const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'bpa-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/**
 * What `npm start` runs: the build of tsconfig.build.json, run by plain node (no tsx). Built into
 * a folder of its own so the test never touches dist/. A module the build leaves out (a worker
 * thread's entry), or an import it does not rewrite, fails the solve below.
 */
describe('the compiled service', () => {
  it('builds every module, starts under plain node, solves a schedule and stops on SIGTERM', async () => {
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out]);
    for (const file of ['src/main.js', 'src/worker-main.js', 'solver/engines/engine-worker.mjs', 'src/planner/thread.mjs', 'src/planner/thread-entry.js']) expect(existsSync(join(out, file)), file).toBe(true);
    // Without the TypeScript entry beside it, the planner thread takes the compiled one: every solve below runs in it.
    expect(existsSync(join(out, 'src/planner/thread-entry.ts'))).toBe(false);
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules')); // as dist/ finds them beside it

    const port = await freePort();
    const proc = spawn(process.execPath, [join(out, 'src/main.js')], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', REDIS_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('"started"') && resolve());
        proc.once('exit', () => reject(new Error('the compiled service exited before it started')));
      });
      const base = `http://127.0.0.1:${port}`;
      const posted = await postJson(`${base}/schedules`, smallRequest());
      expect(posted.status).toBe(202);
      const done = await waitForSchedule(base, posted.body.id);
      expect(done.status).toBe('completed');
      expect(done.result.shifts).toHaveLength(14);
      expect((await getJson(`${base}/healthz`)).status).toBe(200);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
