// A repository of real source in every language the symbol index reads,
// assembled from what this machine has (there is no network): TypeScript
// and JavaScript from node_modules, the Python and Go standard libraries,
// Rust crates, Java's class library and C/C++ from Debian's source packages.
// It is built once into the temp directory and reused.
//
// Debian packages that supply the parts (each part is skipped when absent):
//   golang-go openjdk-17-source librust-tokio-dev librust-regex-dev
//   librust-serde-dev binutils-source gcc-12-source
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS_VERSION = 1;

interface Part {
  /** Directory in the corpus. */
  name: string;
  /** Where it comes from, for the report. */
  from: string;
  available(): boolean;
  /** Copies or extracts the part into `into`. */
  fill(into: string): void;
}

const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs|jsx|py|pyi|go|rs|java|c|h|cc|cpp|cxx|hh|hpp|hxx)$/;

function copyTree(from: string, into: string, accept: (file: string) => boolean = (file) => SOURCE.test(file)): void {
  cpSync(from, into, {
    recursive: true,
    filter: (source) => {
      const base = path.basename(source);
      if (base === 'node_modules' || base === '.git' || base === 'testdata') return false;
      return lstatSync(source).isDirectory() || accept(source);
    },
  });
}

function copyParts(base: string, subdirs: string[], into: string, accept?: (file: string) => boolean): void {
  for (const dir of subdirs) {
    const from = path.join(base, dir);
    if (existsSync(from)) copyTree(from, path.join(into, dir), accept);
  }
}

const GO = '/usr/lib/go-1.19/src';
const PYTHON = '/usr/lib/python3.11';
const CARGO = '/usr/share/cargo/registry';
const JAVA = '/usr/lib/jvm/openjdk-17/lib/src.zip';
const BINUTILS = '/usr/src/binutils/binutils-2.40.tar.xz';
const GCC = '/usr/src/gcc-12/gcc-12.2.0-dfsg.tar.xz';
const modules = path.join(repoRoot, 'node_modules');

const PARTS: Part[] = [
  {
    name: 'typescript',
    from: 'node_modules: ajv/lib, gpt-tokenizer/src, @types/node',
    available: () => existsSync(path.join(modules, 'ajv/lib')),
    fill(into) {
      copyParts(modules, ['ajv/lib', 'gpt-tokenizer/src', '@types/node'], into, (file) => /\.ts$/.test(file));
    },
  },
  {
    name: 'javascript',
    from: 'node_modules: semver, postcss/lib, fs-extra/lib, yargs, diff/libcjs, tar',
    available: () => existsSync(path.join(modules, 'semver')),
    fill(into) {
      copyParts(modules, ['semver', 'postcss/lib', 'fs-extra/lib', 'yargs', 'diff/libcjs', 'tar'], into, (file) =>
        /\.(?:js|cjs|mjs)$/.test(file),
      );
    },
  },
  {
    name: 'python',
    from: `${PYTHON} (email, json, http, asyncio, unittest, logging, importlib, xml, urllib, concurrent)`,
    available: () => existsSync(PYTHON),
    fill(into) {
      const dirs = [
        'email',
        'json',
        'http',
        'asyncio',
        'unittest',
        'logging',
        'importlib',
        'xml',
        'urllib',
        'concurrent',
      ];
      copyParts(PYTHON, dirs, into);
      for (const file of readdirSync(PYTHON))
        if (file.endsWith('.py')) cpSync(path.join(PYTHON, file), path.join(into, file));
    },
  },
  {
    name: 'go',
    from: `${GO} (net, go, encoding, strings, bytes, fmt, os, io, sort, text, bufio, strconv)`,
    available: () => existsSync(GO),
    fill(into) {
      copyParts(
        GO,
        ['net', 'go', 'encoding', 'strings', 'bytes', 'fmt', 'os', 'io', 'sort', 'text', 'bufio', 'strconv'],
        into,
        (file) => file.endsWith('.go'),
      );
    },
  },
  {
    name: 'rust',
    from: `${CARGO} (Debian's librust-*-dev crates)`,
    available: () => existsSync(CARGO),
    fill(into) {
      for (const crate of readdirSync(CARGO))
        copyTree(path.join(CARGO, crate), path.join(into, crate), (file) => file.endsWith('.rs'));
    },
  },
  {
    name: 'java',
    from: `${JAVA} (java.base: java/util, java/io)`,
    available: () => existsSync(JAVA),
    fill(into) {
      mkdirSync(into, { recursive: true });
      execFileSync('unzip', ['-q', '-o', JAVA, 'java.base/java/util/*', 'java.base/java/io/*', '-d', into]);
    },
  },
  {
    name: 'c',
    from: `${BINUTILS} (binutils/, libiberty/)`,
    available: () => existsSync(BINUTILS),
    fill(into) {
      extract(BINUTILS, into, ['binutils-2.40/binutils', 'binutils-2.40/libiberty'], /\.[ch]$/);
    },
  },
  {
    name: 'cpp',
    from: `${GCC} (gcc/cp and gcc/analyzer: the C++ front end and the static analyzer)`,
    available: () => existsSync(GCC),
    fill(into) {
      extract(GCC, into, ['gcc-12.2.0/gcc/cp', 'gcc-12.2.0/gcc/analyzer'], /\.(?:cc|h)$/);
    },
  },
];

/** Extracts members of a tarball, keeping only files matching `keep`. */
function extract(tarball: string, into: string, members: string[], keep: RegExp): void {
  const scratch = `${into}.extract`;
  mkdirSync(scratch, { recursive: true });
  execFileSync('tar', ['-xJf', tarball, '-C', scratch, ...members]);
  copyTree(scratch, into, (file) => keep.test(file));
  rmSync(scratch, { recursive: true, force: true });
}

export interface Corpus {
  root: string;
  parts: Array<{ name: string; from: string }>;
  missing: string[];
}

/** The corpus, built on first use under the temp directory (a git repository, so .gitignore rules apply). */
export function symbolCorpus(log: (line: string) => void = () => {}): Corpus {
  const root = path.join(os.tmpdir(), `gptoss-symbol-corpus-${CORPUS_VERSION}`);
  const available = PARTS.filter((part) => part.available());
  const missing = PARTS.filter((part) => !part.available()).map((part) => `${part.name} (${part.from})`);
  if (!existsSync(path.join(root, '.complete'))) {
    log(`Assembling the corpus in ${root} (once)…`);
    const building = `${root}.building`;
    rmSync(building, { recursive: true, force: true });
    for (const part of available) {
      log(`  ${part.name}: ${part.from}`);
      part.fill(path.join(building, part.name));
    }
    execFileSync('git', ['init', '-q'], { cwd: building });
    writeFileSync(path.join(building, '.complete'), available.map((part) => part.name).join('\n'));
    rmSync(root, { recursive: true, force: true });
    renameSync(building, root);
  }
  return { root, parts: available.map(({ name, from }) => ({ name, from })), missing };
}
