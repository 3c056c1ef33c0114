// Which model file the embedded backend would run, and whether it is a
// readable gpt-oss GGUF (its header only: the weights are not loaded).
import { stat } from 'node:fs/promises';
import { formatBytes } from '../../tools/text/format-bytes.js';
import { describeMissingModel } from '../model/missing-model-message.js';
import { ModelSpecError } from '../model/model-reference.js';
import { resolveModel, type ModelResolutionInput } from '../model/model-resolution.js';
import type { CheckResult } from './check.js';

const label = 'model';

/** With an endpoint the server runs the model: a local file, and advice on getting one, would only distract. */
export function modelNotNeeded(): CheckResult {
  return { label, status: 'info', detail: 'not needed: the endpoint serves the model' };
}

/** Without an endpoint the agent cannot run unless this model file is usable. */
export async function checkModel(input: ModelResolutionInput): Promise<CheckResult> {
  const problem = 'fail';
  let resolution;
  try {
    resolution = await resolveModel(input);
  } catch (error) {
    if (!(error instanceof ModelSpecError)) throw error;
    return { label, status: problem, detail: error.message };
  }
  if (resolution.status === 'missing') {
    const [first, ...ways] = describeMissingModel(resolution).split('\n');
    return {
      label,
      status: problem,
      detail: first!.replace(/^No gpt-oss model to run: /, ''),
      fix: ways.join('\n'),
    };
  }
  const from = resolution.origin === 'the default' ? '' : `, from ${resolution.origin}`;
  try {
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const info = await readGgufFileInfo(resolution.path, { readTensorInfo: false });
    const architecture = String(info.metadata.general.architecture);
    const size = (await stat(resolution.path)).size;
    if (architecture !== 'gpt-oss') {
      return {
        label,
        status: problem,
        detail: `${resolution.path} is a ${architecture} model, not gpt-oss`,
        fix: 'Download gpt-oss with "gptoss-agent pull", or pass a gpt-oss GGUF with --model PATH.',
      };
    }
    const name = info.metadata.general.name ? `${String(info.metadata.general.name)}, ` : '';
    return { label, status: 'ok', detail: `${resolution.path} (${name}${formatBytes(size)}${from})` };
  } catch (error) {
    return {
      label,
      status: problem,
      detail: `${resolution.path} is not a readable GGUF file: ${error instanceof Error ? error.message : String(error)}`,
      fix: 'A download cut short leaves a broken file: delete it and run "gptoss-agent pull" again, or pass another file with --model PATH.',
    };
  }
}
