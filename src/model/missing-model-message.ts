// What every mode without a UI says when there is no model to run: what is
// missing, and the three ways to get one (pull, --model, --endpoint).
import path from 'node:path';
import { formatBytes } from '../../tools/text/format-bytes.js';
import { DEFAULT_MODEL } from './known-models.js';
import type { ModelResolution } from './model-resolution.js';

type Missing = Extract<ModelResolution, { status: 'missing' }>;

export function describeMissingModel(missing: Missing): string {
  const { reference, origin } = missing;
  const from = origin === 'the default' ? '' : ` (from ${origin})`;
  let what: string;
  let pull: [string, string];
  if (reference.kind === 'file') {
    what = `the model file ${reference.path}${from} does not exist`;
    pull = ['gptoss-agent pull', `downloads ${DEFAULT_MODEL.name} (${formatBytes(DEFAULT_MODEL.approxBytes)})`];
  } else {
    const name = reference.known?.name ?? reference.uri;
    const dir = path.dirname(reference.files[0]!.path);
    const started =
      missing.downloadedBytes > 0
        ? `; ${formatBytes(missing.downloadedBytes)} were downloaded, pull resumes there`
        : '';
    what = `${origin === 'the default' ? 'the default model ' : ''}${name}${from} is not downloaded (looked in ${dir}${started})`;
    const size = missing.approxBytes !== undefined ? ` (${formatBytes(missing.approxBytes)})` : '';
    const command = reference.known === DEFAULT_MODEL ? 'gptoss-agent pull' : `gptoss-agent pull ${reference.uri}`;
    pull = [command, `downloads ${name}${size} into ${dir}`];
  }
  const ways: [string, string][] = [
    pull,
    ['--model PATH', 'runs a gpt-oss GGUF file you already have'],
    ['--endpoint URL', 'uses an OpenAI-compatible server that serves gpt-oss (llama-server, Ollama, vLLM, LM Studio)'],
  ];
  const width = Math.max(...ways.map(([command]) => command.length)) + 2;
  return [
    `No gpt-oss model to run: ${what}.`,
    'Get one of:',
    ...ways.map(([command, meaning]) => `  ${command.padEnd(width)}${meaning}`),
  ].join('\n');
}
