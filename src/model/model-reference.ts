// What a model setting names: a GGUF file on disk, or a file to download
// (an hf: URI, an https URL, or a known name such as "20b"), with the place
// in the cache directory where that download lands.
import os from 'node:os';
import path from 'node:path';
import { knownModel, type KnownModel } from './known-models.js';

export interface RemoteFile {
  url: string;
  /** Where the file is kept once downloaded. */
  path: string;
}

export type ModelReference =
  | { kind: 'file'; path: string }
  | {
      kind: 'remote';
      /** As the user would write it again, e.g. hf:giladgd/gpt-oss-20b-GGUF/gpt-oss-20b.MXFP4.gguf. */
      uri: string;
      /** Every file of the model; a split model has several, the first is the one to load. */
      files: RemoteFile[];
      known?: KnownModel;
    };

/** A model setting that cannot name anything. */
export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
}

export interface ReferenceContext {
  /** Relative paths are taken from here. */
  cwd: string;
  /** Downloads go here (agentDirs().cache + /models). */
  modelsDir: string;
  env: NodeJS.ProcessEnv;
}

export function parseModelReference(spec: string, context: ReferenceContext): ModelReference {
  const trimmed = spec.trim();
  const known = knownModel(trimmed);
  const uri = known?.uri ?? trimmed;
  if (uri.startsWith('hf:')) return remote(uri, huggingFaceUrl(uri, context.env), context, known);
  if (/^https?:\/\//i.test(uri)) return remote(uri, uri, context, known);
  const expanded =
    uri === '~' || uri.startsWith('~/') ? path.join(context.env.HOME || os.homedir(), uri.slice(1)) : uri;
  return { kind: 'file', path: path.resolve(context.cwd, expanded) };
}

/** hf:owner/repo/path/file.gguf[#revision] → the file's download URL (HF_ENDPOINT names a mirror). */
function huggingFaceUrl(uri: string, env: NodeJS.ProcessEnv): string {
  const [location = '', revision = 'main'] = uri.slice(3).split('#');
  const parts = location.split('/').filter(Boolean);
  if (parts.length < 3 || !parts.at(-1)!.endsWith('.gguf')) {
    throw new ModelSpecError(
      `"${uri}" does not name a GGUF file. Write hf:OWNER/REPO/FILE.gguf, e.g. hf:giladgd/gpt-oss-20b-GGUF/gpt-oss-20b.MXFP4.gguf.`,
    );
  }
  const base = (env.MODEL_ENDPOINT || env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
  const [owner, repo, ...file] = parts;
  return `${base}/${owner}/${repo}/resolve/${encodeURIComponent(revision)}/${file.map(encodeURIComponent).join('/')}`;
}

function remote(uri: string, url: string, context: ReferenceContext, known: KnownModel | undefined): ModelReference {
  const segments = new URL(url).pathname.split('/');
  const name = decodeURIComponent(segments.at(-1) ?? '');
  if (!name) throw new ModelSpecError(`"${uri}" does not name a file to download.`);
  const split = /^(.*)-00001-of-(\d{5})\.gguf$/.exec(name);
  const names = split
    ? Array.from(
        { length: Number(split[2]) },
        (_, i) => `${split[1]}-${String(i + 1).padStart(5, '0')}-of-${split[2]}.gguf`,
      )
    : [name];
  const files = names.map((file) => {
    const fileUrl = new URL(url);
    fileUrl.pathname = [...segments.slice(0, -1), encodeURIComponent(file)].join('/');
    return { url: fileUrl.toString(), path: path.join(context.modelsDir, file) };
  });
  return { kind: 'remote', uri, files, ...(known ? { known } : {}) };
}
