// The gpt-oss GGUF files `gptoss-agent pull` knows by name. MXFP4 is the
// precision the weights were released in, so nothing is lost to quantization.
export interface KnownModel {
  /** What `pull` and `--model` accept: "20b", "120b". */
  id: string;
  name: string;
  /** The first file (a split model names its first part; the others are found from it). */
  uri: string;
  /** All files together, for messages before a download starts. */
  approxBytes: number;
  /** Memory to run it (weights, KV cache for a long context, buffers), for `doctor`. */
  memoryBytes: number;
}

const GB = 1e9;

export const KNOWN_MODELS: readonly KnownModel[] = [
  {
    id: '20b',
    name: 'gpt-oss-20b',
    uri: 'hf:giladgd/gpt-oss-20b-GGUF/gpt-oss-20b.MXFP4.gguf',
    approxBytes: 12.1 * GB,
    memoryBytes: 16 * GB,
  },
  {
    id: '120b',
    name: 'gpt-oss-120b',
    uri: 'hf:giladgd/gpt-oss-120b-GGUF/gpt-oss-120b.MXFP4-00001-of-00002.gguf',
    approxBytes: 63.4 * GB,
    memoryBytes: 68 * GB,
  },
];

export const DEFAULT_MODEL: KnownModel = KNOWN_MODELS[0]!;

/** "20b", "gpt-oss-20b", "gpt-oss:20b", "openai/gpt-oss-20b" → the known model; anything else → undefined. */
export function knownModel(name: string): KnownModel | undefined {
  const id = /^(?:openai\/)?(?:gpt-oss[-:])?(\d+b)$/i.exec(name.trim())?.[1]?.toLowerCase();
  return KNOWN_MODELS.find((model) => model.id === id);
}
