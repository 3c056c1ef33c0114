// A parse thread of the symbol index: asks for files, indexes them, hands
// back the results, and asks for more until it is told there are none.
import { parentPort, workerData } from 'node:worker_threads';
import { indexSourceFile } from './file-index.js';
import type { ParseBatchResult, ParseJob } from './parse-pool.js';
import { TagReader } from './tags.js';
import { AnchoredTree } from '../workspace/anchored-tree.js';

const port = parentPort!;
const { root } = workerData as { root: string };
const reader = await TagReader.create();
// Held for the thread's life: each directory is opened once, not once per file.
const files = new AnchoredTree(root);

port.on('message', (batch: ParseJob[] | null) => {
  if (batch === null) {
    void files.close().then(() => port.close());
    return;
  }
  void parseBatch(batch).then((results) => port.postMessage(results));
});
port.postMessage([] satisfies ParseBatchResult[]);

async function parseBatch(batch: ParseJob[]): Promise<ParseBatchResult[]> {
  const results: ParseBatchResult[] = [];
  for (const job of batch)
    results.push({ path: job.path, ...(await indexSourceFile(reader, files, job.path, job.size)) });
  return results;
}
