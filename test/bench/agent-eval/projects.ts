// The sample projects the agent is asked to fix: each a copy of a fixture under
// test/fixtures/projects with the files that cannot be fixed in code removed
// (unparsable or crashing tests), leaving one bug, add() subtracting, and the
// tests that catch it. `fix` names the change a correct fix makes, for the scripted model.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { copyProject } from '../../fixtures/projects.js';
import type { TempRepo } from '../../fixtures/temp-repo.js';

export interface EvalProject {
  name: string;
  /** The fixture directory under test/fixtures/projects. */
  fixture: string;
  remove: string[];
  fix: { file: string; context: string; from: string; to: string };
}

const jsFix = (file: string, context: string) => ({ file, context, from: '  return a - b;', to: '  return a + b;' });

export const EVAL_PROJECTS: readonly EvalProject[] = [
  {
    name: 'jest',
    fixture: 'jest',
    remove: ['src/broken.test.js'],
    fix: jsFix('src/math.js', 'function add(a, b) {'),
  },
  {
    name: 'vitest',
    fixture: 'vitest',
    remove: ['src/broken.test.js'],
    fix: jsFix('src/math.js', 'export function add(a, b) {'),
  },
  {
    name: 'node-test',
    fixture: 'node-test',
    remove: ['test/broken.test.js', 'test/crash.test.js'],
    fix: jsFix('src/math.js', 'export function add(a, b) {'),
  },
  {
    name: 'pytest',
    fixture: 'pytest-add',
    remove: [],
    fix: { file: 'calc/__init__.py', context: 'def add(a, b):', from: '    return a - b', to: '    return a + b' },
  },
  {
    name: 'cargo',
    fixture: 'cargo',
    remove: [],
    fix: { file: 'src/lib.rs', context: 'pub fn add(a: i32, b: i32) -> i32 {', from: '    a - b', to: '    a + b' },
  },
  {
    name: 'go',
    fixture: 'go',
    remove: ['broken', 'crash'],
    fix: { file: 'calc/calc.go', context: 'func Add(a, b int) int {', from: '\treturn a - b', to: '\treturn a + b' },
  },
];

/** The projects named in a comma-separated list (all when undefined). */
export function pickProjects(list: string | undefined): EvalProject[] {
  if (list === undefined) return [...EVAL_PROJECTS];
  return list.split(',').map((name) => {
    const project = EVAL_PROJECTS.find((p) => p.name === name.trim());
    if (!project) {
      throw new Error(`unknown project "${name}": pick from ${EVAL_PROJECTS.map((p) => p.name).join(', ')}`);
    }
    return project;
  });
}

/** A fresh temporary git repository holding the project with its one bug, committed. */
export function setUpProject(project: EvalProject): TempRepo {
  const repo = copyProject(project.fixture);
  if (project.remove.length > 0) {
    for (const file of project.remove) rmSync(path.join(repo.root, file), { recursive: true, force: true });
    repo.commit('only the bug the agent is asked to fix');
  }
  return repo;
}

/** The V4A patch that fixes the project. */
export function fixPatch(project: EvalProject): string {
  const { file, context, from, to } = project.fix;
  return `*** Begin Patch\n*** Update File: ${file}\n@@ ${context}\n-${from}\n+${to}\n*** End Patch`;
}
