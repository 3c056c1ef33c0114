// Which model the embedded backend runs, in this order: --model or a config
// file, then GPTOSS_AGENT_MODEL, then the default (gpt-oss-20b in the cache
// directory). Nothing is downloaded here: a model that is not on disk comes
// back as missing, with what `pull` would fetch.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { agentDirs } from '../config/paths.js';
import { DEFAULT_MODEL } from './known-models.js';
import { parseModelReference, type ModelReference } from './model-reference.js';

export interface ModelResolutionInput {
  /** The merged `model` setting (flag or config file), if any. */
  model?: string | undefined;
  /** Where that setting came from: "flag" or the config file's path (LoadedConfig.sources.model). */
  modelSource?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Relative model paths are taken from here. */
  cwd: string;
}

export type ModelResolution =
  | { status: 'found'; path: string; reference: ModelReference; origin: string }
  | {
      status: 'missing';
      reference: ModelReference;
      /** "--model", a config file, GPTOSS_AGENT_MODEL or "the default". */
      origin: string;
      /** Bytes already downloaded (complete parts and .partial files); a pull resumes from there. */
      downloadedBytes: number;
      /** The whole download, when known before it starts. */
      approxBytes?: number;
    };

/** Where downloaded models are kept. */
export function modelsDir(env: NodeJS.ProcessEnv): string {
  return path.join(agentDirs(env).cache, 'models');
}

export async function resolveModel(input: ModelResolutionInput): Promise<ModelResolution> {
  const { env } = input;
  const [spec, origin] =
    input.model !== undefined
      ? [input.model, !input.modelSource || input.modelSource === 'flag' ? '--model' : input.modelSource]
      : env.GPTOSS_AGENT_MODEL
        ? [env.GPTOSS_AGENT_MODEL, 'GPTOSS_AGENT_MODEL']
        : [DEFAULT_MODEL.id, 'the default'];
  const reference = parseModelReference(spec, { cwd: input.cwd, modelsDir: modelsDir(env), env });
  if (reference.kind === 'file') {
    const info = await stat(reference.path).catch(() => undefined);
    if (info?.isFile()) return { status: 'found', path: reference.path, reference, origin };
    return { status: 'missing', reference, origin, downloadedBytes: 0 };
  }
  let complete = true;
  let downloadedBytes = 0;
  for (const file of reference.files) {
    const done = await stat(file.path).catch(() => undefined);
    if (done?.isFile()) {
      downloadedBytes += done.size;
      continue;
    }
    complete = false;
    downloadedBytes += (await stat(partialPath(file.path)).catch(() => undefined))?.size ?? 0;
  }
  if (complete) return { status: 'found', path: reference.files[0]!.path, reference, origin };
  return {
    status: 'missing',
    reference,
    origin,
    downloadedBytes,
    ...(reference.known ? { approxBytes: reference.known.approxBytes } : {}),
  };
}

/** A download in progress is kept beside its destination under this name. */
export function partialPath(file: string): string {
  return `${file}.partial`;
}
