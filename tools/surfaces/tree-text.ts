// Directory listings in the shapes gpt-oss expects: `tree -L depth` (indented,
// directories first ending in "/") and a flat `ls`-like list. Built from the
// files list_files found, so .gitignore and the workspace guard apply.

interface Node {
  dirs: Map<string, Node>;
  files: string[];
}

function buildTree(files: readonly string[], prefix: string): Node {
  const root: Node = { dirs: new Map(), files: [] };
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const parts = file.slice(prefix.length).split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.dirs.get(part);
      if (!next) node.dirs.set(part, (next = { dirs: new Map(), files: [] }));
      node = next;
    }
    node.files.push(parts.at(-1)!);
  }
  return root;
}

function countFiles(node: Node): number {
  let total = node.files.length;
  for (const child of node.dirs.values()) total += countFiles(child);
  return total;
}

/** `tree -L depth` style: two spaces per level; a directory cut by the depth says how many files it holds. */
export function treeLines(files: readonly string[], dir: string, depth: number): string[] {
  const out: string[] = [dir === '.' ? '.' : `${dir}/`];
  const walk = (node: Node, level: number, indent: string) => {
    for (const name of [...node.dirs.keys()].sort()) {
      const child = node.dirs.get(name)!;
      if (level >= depth) {
        out.push(`${indent}${name}/ (${countFiles(child)} files)`);
      } else {
        out.push(`${indent}${name}/`);
        walk(child, level + 1, `${indent}  `);
      }
    }
    for (const name of [...node.files].sort()) out.push(`${indent}${name}`);
  };
  walk(buildTree(files, dir === '.' ? '' : `${dir}/`), 1, '  ');
  return out;
}

/** Paths relative to `dir`, down to `depth` levels; deeper directories appear once, ending in "/". */
export function listLines(files: readonly string[], dir: string, depth: number): string[] {
  const out: string[] = [];
  const walk = (node: Node, level: number, path: string) => {
    for (const name of [...node.dirs.keys()].sort()) {
      if (level >= depth) out.push(`${path}${name}/`);
      else walk(node.dirs.get(name)!, level + 1, `${path}${name}/`);
    }
    for (const name of [...node.files].sort()) out.push(`${path}${name}`);
  };
  walk(buildTree(files, dir === '.' ? '' : `${dir}/`), 1, '');
  return out;
}
