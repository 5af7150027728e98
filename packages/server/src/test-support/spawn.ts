import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const packageDir = path.resolve(import.meta.dirname, '..', '..');

/** Runs a server source file in a child Node process (through tsx, so no build step is needed). */
export function spawnSource(
  file: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(packageDir, 'src', file), ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a source file to completion; resolves with its exit code and output. */
export function runSource(
  file: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSource(file, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Waits until the server child logs its port; rejects if it exits first. */
export function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /ready on http:\/\/localhost:(\d+)/.exec(out);
      if (m !== null) {
        child.stdout?.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening: ${err}`)),
    );
  });
}
