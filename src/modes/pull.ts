// `gptoss-agent pull [20b | 120b | URI]`: downloads a gpt-oss GGUF into the
// cache directory, with progress, resuming a download that was cut short,
// and prints where it went.
import { formatBytes } from '../../tools/text/format-bytes.js';
import { DownloadError, downloadModel } from '../model/download.js';
import { DEFAULT_MODEL, KNOWN_MODELS } from '../model/known-models.js';
import { ModelSpecError, parseModelReference } from '../model/model-reference.js';
import { modelsDir, resolveModel } from '../model/model-resolution.js';
import { downloadProgressLine } from './download-progress-line.js';
import { parseMode, UsageError, type ModeIO } from './options.js';

export const PULL_HELP = `Usage: gptoss-agent pull [MODEL]

Downloads a gpt-oss model for the embedded backend into the cache directory
(resumable: run it again after an interruption). MODEL is one of:
${KNOWN_MODELS.map((model) => `  ${model.id.padEnd(6)} ${model.name}, about ${formatBytes(model.approxBytes)}${model === DEFAULT_MODEL ? ' (the default)' : ''}`).join('\n')}
  hf:OWNER/REPO/FILE.gguf   a GGUF file on Hugging Face (HF_ENDPOINT names a mirror)
  https://…/FILE.gguf       a GGUF file anywhere

Without a network, download the file elsewhere and run with --model PATH.`;

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values, positionals } = parseMode(argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout.write(`${PULL_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('pull takes one model: 20b, 120b, or an hf: or https: URI');
  const spec = positionals[0] ?? DEFAULT_MODEL.id;
  let reference;
  try {
    reference = parseModelReference(spec, { cwd: io.cwd, modelsDir: modelsDir(io.env), env: io.env });
  } catch (error) {
    if (error instanceof ModelSpecError) throw new UsageError(error.message);
    throw error;
  }
  if (reference.kind === 'file') {
    throw new UsageError(
      `"${spec}" is not something to download: name 20b, 120b, an hf: URI or an https URL. A file you already have runs with --model PATH.`,
    );
  }

  const name = reference.known?.name ?? reference.uri;
  const howToRun =
    reference.known === DEFAULT_MODEL ? 'It is the default model: no --model needed.' : `Run it with --model ${spec}.`;
  const existing = await resolveModel({ model: spec, env: io.env, cwd: io.cwd });
  if (existing.status === 'found') {
    io.stderr.write(`${name} is already downloaded. ${howToRun}\n`);
    io.stdout.write(`${existing.path}\n`);
    return 0;
  }

  const live = io.stderr.isTTY === true;
  io.stderr.write(`Downloading ${name} into ${modelsDir(io.env)}\n`);
  let lastLine = '';
  let lastPercent = -10;
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.on('SIGINT', onInterrupt);
  try {
    const file = await downloadModel(reference, {
      signal: controller.signal,
      onProgress: (progress) => {
        const line = downloadProgressLine(progress);
        if (live) {
          io.stderr.write(`\r${line.padEnd(lastLine.length)}`);
          lastLine = line;
          return;
        }
        // Without a terminal (a log file, CI), a line every 10%.
        const percent = progress.totalBytes ? Math.floor((progress.receivedBytes / progress.totalBytes) * 100) : 0;
        if (percent >= lastPercent + 10) {
          lastPercent = percent - (percent % 10);
          io.stderr.write(`${line}\n`);
        }
      },
    });
    if (live && lastLine) io.stderr.write('\n');
    io.stderr.write(`Downloaded ${name}. ${howToRun}\n`);
    io.stdout.write(`${file}\n`);
    return 0;
  } catch (error) {
    if (live && lastLine) io.stderr.write('\n');
    if (controller.signal.aborted) {
      io.stderr.write('Download interrupted; run the same command again to resume it.\n');
      return 130;
    }
    if (error instanceof DownloadError) {
      io.stderr.write(`${error.message}\n${error.hint}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
