// Build step (run by `npm run build` after tsc): bundles the interactive mode
// with Ink, React and Yoga into one minified module that replaces tsc's
// output of src/modes/interactive.tsx. Node then reads one file instead of
// some two hundred, which is most of the difference between a slow and a fast
// start of the UI. Packages the code imports lazily (`await import('pkg')`)
// stay outside and load when used; packages that find their own files at run
// time (native binaries, wasm) are never bundled.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/** Packages that locate files relative to themselves: bundling them would break them. */
const NEVER_BUNDLED = new Set(['node-llama-cpp', 'web-tree-sitter', '@vscode/ripgrep']);

/** Modules replaced inside the bundle. */
const STUBS: Record<string, string> = {
  // Ink connects to React DevTools when DEV=true (through ws and react-devtools-core, which is not installed).
  'ink-devtools': '',
  // Ink stops redrawing its live area when CI is set; the UI only runs on a real terminal.
  'is-in-ci': 'export default false;',
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const inNodeModules = (file: string) => file.includes(`${path.sep}node_modules${path.sep}`);

const packagesPlugin: Plugin = {
  name: 'gptoss-packages',
  setup(build) {
    build.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}ink${path.sep}`) ? { path: 'ink-devtools', namespace: 'stub' } : undefined,
    );
    // Every string-width in the bundle goes through the shortcut, which itself uses the real one.
    const fastPath = path.join(root, 'src', 'build', 'string-width-fast-path.ts');
    build.onResolve({ filter: /^string-width$/ }, (args) =>
      args.importer === fastPath ? undefined : { path: fastPath },
    );
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const name = packageName(args.path);
      if (STUBS[name] !== undefined) return { path: name, namespace: 'stub' };
      if (NEVER_BUNDLED.has(name) || (!inNodeModules(args.importer) && args.kind === 'dynamic-import')) {
        return { path: args.path, external: true };
      }
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: STUBS[args.path]!, loader: 'js' }));
    // Yoga's loader fetches its inlined wasm through fetch() when fetch exists, which loads
    // Node's whole HTTP client first; without fetch it decodes the same bytes directly.
    build.onLoad({ filter: /yoga-layout[\\/].*yoga-wasm-base64-esm\.js$/ }, async (args) => ({
      contents: `const fetch = undefined;\n${await readFile(args.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

const CHUNKS = 'interactive-chunks';
const outdir = path.join(root, 'dist', 'src', 'modes');
// Chunk names carry a hash: clear the last build's.
await rm(path.join(outdir, CHUNKS), { recursive: true, force: true });

const { build } = await import('esbuild');
await build({
  absWorkingDir: root,
  entryPoints: { interactive: 'src/modes/interactive.tsx' },
  outdir,
  // What the code imports with `await import('./x.js')` (the agent, the backends) becomes
  // its own file, loaded when needed: the first frame needs only the UI.
  splitting: true,
  chunkNames: `${CHUNKS}/[name]-[hash]`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  // React's production build: smaller and faster than the development one.
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages inside an ES module bundle still call require().
  banner: {
    js: "import { createRequire as __gptossRequire } from 'node:module'; const require = __gptossRequire(import.meta.url);",
  },
  plugins: [packagesPlugin],
  logLevel: 'warning',
});
