// One line of download progress for a terminal: a bar, bytes, speed and
// time left, e.g. "[#######-------------]  35%  4.0 GB / 11.3 GB  38.2 MB/s  3m05s left".
import { formatBytes } from '../../tools/text/format-bytes.js';
import type { DownloadProgress } from '../model/download.js';

const BAR_WIDTH = 20;

export function downloadProgressLine(progress: DownloadProgress): string {
  const { receivedBytes, totalBytes, bytesPerSecond, etaSeconds } = progress;
  const parts: string[] = [];
  if (totalBytes !== undefined && totalBytes > 0) {
    const fraction = Math.min(1, receivedBytes / totalBytes);
    const filled = Math.round(fraction * BAR_WIDTH);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`);
    parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
    parts.push(`${formatBytes(receivedBytes)} / ${formatBytes(totalBytes)}`);
  } else {
    parts.push(formatBytes(receivedBytes));
  }
  parts.push(`${formatBytes(Math.round(bytesPerSecond))}/s`);
  if (etaSeconds !== undefined && bytesPerSecond > 0) parts.push(`${formatDuration(etaSeconds)} left`);
  if (progress.fileCount > 1) parts.push(`(file ${progress.fileIndex + 1} of ${progress.fileCount})`);
  return parts.join('  ');
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
