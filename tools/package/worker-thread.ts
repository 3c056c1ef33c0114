// Starts a worker thread on one of the package's modules. The package runs
// the compiled .js modules under dist/; the test suite and the benchmarks
// run the TypeScript sources, and a worker cannot load those by itself, so
// it is started through tsx's loader there. Modules are found from the
// package root, not from the caller: the interactive mode is bundled into
// chunks that sit elsewhere.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { packagePath } from './files.js';

/** A worker on `module`, a path from the package root without extension (e.g. 'tools/symbols/worker'). */
export function startWorker(module: string, options: WorkerOptions = {}): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const target = pathToFileURL(fromSources ? packagePath(`${module}.ts`) : packagePath('dist', `${module}.js`));
  if (!fromSources) return new Worker(target, options);
  const bootstrap =
    `import(${JSON.stringify(tsxApi())})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** tsx's ESM API module (its CommonJS twin, which require.resolve finds, cannot register ESM hooks). */
function tsxApi(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}
