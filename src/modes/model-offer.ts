// The interactive UI without a model: it offers the download (the size and
// where it goes shown first), and once the user says yes downloads it as a
// task, its progress in the live area while the prompt stays usable. Esc
// stops it; what arrived stays, so the next try resumes it. Every other mode
// says what is missing and exits instead (describeMissingModel).
import { formatBytes } from '../../tools/text/format-bytes.js';
import { downloadModel, type DownloadError, type DownloadOptions } from '../model/download.js';
import type { ModelReference } from '../model/model-reference.js';
import type { Tone } from '../ui/session.js';
import type { NoModelError } from './backend-factory.js';
import { downloadProgressLine } from './download-progress-line.js';

type RemoteModel = Extract<ModelReference, { kind: 'remote' }>;

/** What the offer needs from the session. */
export interface OfferUi {
  confirm(title: string, body?: string): Promise<boolean>;
  /** Runs `work` like a turn: esc aborts its signal; `progress` shows a line under the label. */
  task(label: string, work: (signal: AbortSignal, progress: (text: string) => void) => Promise<void>): Promise<void>;
  print(text: string, tone?: Tone): void;
}

export type Download = (model: RemoteModel, options: DownloadOptions) => Promise<string>;

/**
 * Called when setting up failed. For want of a model that can be downloaded, it offers
 * the download and runs it; then true: set up again (the model is there, or the offer
 * comes back to resume it). False when the user declined or there is nothing to offer,
 * and the session ends with the error as every other mode reports it.
 */
export async function offerModelDownload(
  error: unknown,
  ui: OfferUi,
  download: Download = downloadModel,
): Promise<boolean> {
  const missing =
    (error as Error | undefined)?.name === 'NoModelError' ? (error as NoModelError).resolution : undefined;
  const reference = missing?.reference;
  if (!missing || reference?.kind !== 'remote') return false;
  const name = reference.known?.name ?? reference.uri;
  const file = reference.files[0]!.path;
  const size = missing.approxBytes !== undefined ? `about ${formatBytes(missing.approxBytes)}` : undefined;
  const title =
    missing.downloadedBytes > 0
      ? `Resume the download of ${name} (${formatBytes(missing.downloadedBytes)}${size ? ` of ${size}` : ''} done)?`
      : `No gpt-oss model here yet. Download ${name} (${size ?? 'its size is known once it starts'}) now?`;
  const parts = reference.files.length > 1 ? ` (with its ${reference.files.length - 1} other part(s) beside it)` : '';
  const body = [
    `It goes to ${file}${parts}.`,
    'You can type while it downloads; esc stops it, and it resumes where it stopped.',
    'n: not now. Then "gptoss-agent pull" downloads it, --model PATH runs a GGUF you have, --endpoint URL uses a server.',
  ].join('\n');
  if (!(await ui.confirm(title, body))) return false;

  await ui.task(`Downloading ${name}…`, async (signal, progress) => {
    try {
      await download(reference, { signal, onProgress: (step) => progress(downloadProgressLine(step)) });
      ui.print(`Downloaded ${name} to ${file}.`);
    } catch (failure) {
      if (signal.aborted) {
        ui.print(
          `Stopped the download of ${name}; what arrived is kept, and the download resumes from there.`,
          'warning',
        );
      } else if ((failure as Error | undefined)?.name === 'DownloadError') {
        ui.print(`${(failure as DownloadError).message}\n${(failure as DownloadError).hint}`, 'error');
      } else {
        throw failure;
      }
    }
  });
  return true;
}
