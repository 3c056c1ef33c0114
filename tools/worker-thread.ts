// Starts a worker thread on a module next to the caller. The package runs
// the compiled .js modules; the test suite and the benchmarks run the
// TypeScript sources, and a worker cannot load those by itself, so it is
// started through tsx's loader there.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker on `name` (e.g. 'worker'), resolved next to `callerUrl`
 * (the caller's import.meta.url) with the caller's own extension.
 */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const target = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(target, options);
  const bootstrap =
    `import(${JSON.stringify(tsxApi(callerUrl))})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** tsx's ESM API module (its CommonJS twin, which require.resolve finds, cannot register ESM hooks). */
function tsxApi(callerUrl: string): string {
  const manifestPath = createRequire(callerUrl).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}
