// The KV cache over a scripted tool session on the real embedded backend:
// the tiny random-weight gpt-oss model on CPU, driven by the real agent loop
// and real tools in a temporary repository. Each generation runs on the model
// (its prompt is evaluated, a few tokens sampled); its output is then replaced
// by the next scripted step (reasoning and a read_file call), so the history
// grows exactly as in a real session. Per round it prints the prompt tokens
// the model evaluated against the tokens that were new, and the agent's own
// time (loop, tools, events), model time excluded. A second turn then shows
// the cost of dropping the first turn's reasoning (--keep-reasoning sends it
// again instead, to compare). Before each turn the agent has the backend prepare
// it (prepareNext, as the interactive session does while the user types) and the
// bench waits for that, then reports what the prompt still had to evaluate
// (--no-prefill: the prompt comes at once, as before prepareNext existed).
// usage: npx tsx test/bench/embedded-tool-session.ts [--rounds N] [--swa-full-cache] [--keep-reasoning] [--no-prefill]
import { parseArgs } from 'node:util';
import { Agent } from '../../src/agent/loop.js';
import { headlessApprover } from '../../src/agent/approvals.js';
import { buildInstructions } from '../../src/agent/instructions.js';
import type {
  GenerateRequest,
  GenerationUsage,
  ModelBackend,
  ModelEvent,
  NextRequest,
  PreparedContext,
} from '../../src/model/backend.js';
import { renderHarmonyHistoryParts } from '../../src/model/harmony/render.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { loadTinyModel, renderedTokens, tinyBackend } from '../fixtures/tiny-model.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    'swa-full-cache': { type: 'boolean' },
    'keep-reasoning': { type: 'boolean' },
    'no-prefill': { type: 'boolean' },
    'type-ms': { type: 'string' },
  },
});
/** How long the user takes to type the next prompt; by default as long as the background evaluation takes. */
const typeMs = values['type-ms'] === undefined ? undefined : Number(values['type-ms']);
const prefill = !values['no-prefill'];
const rounds = Number(values.rounds ?? 10);

interface Generation {
  request: GenerateRequest;
  usage: GenerationUsage;
  startedAt: number;
  modelMs: number;
}

/** The real backend's generation, its output swapped for the script's next step. */
class ScriptedDecisions implements ModelBackend {
  readonly description = { kind: 'embedded' as const, model: 'tiny gpt-oss, scripted decisions' };
  readonly generations: Generation[] = [];
  private step = 0;
  constructor(
    private readonly model: ModelBackend,
    private readonly script: (step: number) => ModelEvent[],
  ) {}
  async *generate(request: GenerateRequest): AsyncGenerator<ModelEvent> {
    if (values['keep-reasoning']) request = { ...request, messages: request.messages.map(withReasoning) };
    const startedAt = performance.now();
    let usage: GenerationUsage | undefined;
    for await (const event of this.model.generate({ ...request, maxOutputTokens: 4 })) {
      if (event.type === 'end') usage = event.usage;
    }
    this.generations.push({ request, usage: usage!, startedAt, modelMs: performance.now() - startedAt });
    yield* this.script(this.step++);
  }
  prepareNext(next: NextRequest) {
    return this.model.prepareNext!(
      values['keep-reasoning'] ? { ...next, messages: next.messages.map(withReasoning) } : next,
    );
  }
  dispose() {
    return this.model.dispose();
  }
}

/** Puts back the reasoning the loop dropped from earlier turns (the script's reasoning is known by call id). */
function withReasoning(message: GenerateRequest['messages'][number]): GenerateRequest['messages'][number] {
  if (message.role !== 'assistant' || message.reasoning !== undefined || !message.toolCalls?.length) return message;
  return { ...message, reasoning: reasoningFor(message.toolCalls[0]!.id) };
}

function reasoningFor(callId: string): string {
  return `I should read src/module-${callId.replace('call_', '')}.ts next to see what it exports.`;
}

const files = Object.fromEntries(
  Array.from({ length: rounds + 1 }, (_, i) => [
    `src/module-${i + 1}.ts`,
    Array.from({ length: 30 }, (_, line) => `export const value${line} = ${i * 100 + line}; // line ${line + 1}`).join(
      '\n',
    ),
  ]),
);
const repo = makeTempRepo(files);
const tiny = await loadTinyModel();
const model = tinyBackend(tiny, { contextSize: 32768, swaFullCache: values['swa-full-cache'] ?? false });
// Timings below start once the model is there, in both modes.
await model.ready();

const scriptFor =
  (turnRounds: number, offset: number) =>
  (step: number): ModelEvent[] => {
    const end: ModelEvent = {
      type: 'end',
      stopReason: step < turnRounds ? 'tool_call' : 'stop',
      usage: { promptTokens: 0, outputTokens: 0 },
    };
    if (step >= turnRounds) return [{ type: 'answer', delta: 'All modules export constants.' }, end];
    const file = `src/module-${offset + step + 1}.ts`;
    return [
      { type: 'reasoning', delta: reasoningFor(`call_${offset + step + 1}`) },
      {
        type: 'tool_call',
        call: { id: `call_${offset + step + 1}`, name: 'read_file', arguments: JSON.stringify({ path: file }) },
      },
      end,
    ];
  };

const workspace = await Workspace.open(repo.root);
const instructions = await buildInstructions(workspace);
const tools = new ToolRegistry(defaultTools());
const tokenizerModel = await tiny.llama.loadModel({ modelPath: tiny.modelPath });
const promptOf = (request: GenerateRequest) => renderedTokens(tokenizerModel, request);

let history: Agent['history'] = [];
async function runTurn(prompt: string, turnRounds: number, offset: number) {
  const backend = new ScriptedDecisions(model, scriptFor(turnRounds, offset));
  const agent = new Agent({
    backend,
    tools,
    workspace,
    instructions,
    approvalMode: 'suggest',
    approver: headlessApprover,
    emit: () => {},
  });
  agent.history.push(...history);
  let prepared:
    | {
        context: PreparedContext | undefined;
        ms: number;
        backgroundMs: number;
        rssBeforeMb: number;
        rssAfterMb: number;
      }
    | undefined;
  if (prefill) {
    // What the user's typing time buys: the bench waits exactly as long as the background evaluation takes.
    const rssBeforeMb = rssMb();
    const started = performance.now();
    const preparing = agent.prepareNext();
    if (typeMs !== undefined) await new Promise((resolve) => setTimeout(resolve, typeMs));
    else await preparing;
    const state = {
      context: undefined,
      backgroundMs: 0,
      ms: performance.now() - started,
      rssBeforeMb,
      rssAfterMb: rssMb(),
    };
    prepared = state;
    // A prompt typed faster than that arrives halfway; the background evaluation reports where it stopped.
    void preparing.then((context) => Object.assign(state, { context, backgroundMs: performance.now() - started }));
  }
  const started = performance.now();
  await agent.runTurn(prompt);
  const ended = performance.now();
  history = agent.history;
  return { generations: backend.generations, ended: ended - started, startedAt: started, prepared };
}

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

/** Tokens the turn's first request adds to the conversation before it: the new message and the assistant's start. */
function turnTokens(request: GenerateRequest): number {
  const before = renderHarmonyHistoryParts({ ...request, messages: request.messages.slice(0, -1) }).flatMap((part) =>
    typeof part === 'string' ? tokenizerModel.tokenize(part, false) : tokenizerModel.tokenize(part.special, true),
  );
  return promptOf(request).length - before.length;
}

/** The turn's first prompt: what it still evaluated after it came, and how long the first token took. */
function firstPromptOf(turn: Awaited<ReturnType<typeof runTurn>>, number: number) {
  const first = turn.generations[0]!;
  const newTokens = turnTokens(first.request);
  const evaluatedAfterPrompt = first.usage.promptTokens;
  const waitedMs = Math.round(turn.prepared?.ms ?? 0);
  const context = turn.prepared?.context;
  return {
    turn: number,
    newTokens,
    evaluatedAfterPrompt,
    firstTokenMs: first.usage.timeToFirstTokenMs ?? Math.round(first.modelMs),
    waitedMs,
    withinBound: evaluatedAfterPrompt <= 1.05 * newTokens,
    background: context
      ? {
          evaluated: context.evaluated,
          reused: context.reused,
          complete: context.complete,
          ms: Math.round(turn.prepared!.backgroundMs),
          rssBeforeMb: turn.prepared!.rssBeforeMb,
          rssAfterMb: turn.prepared!.rssAfterMb,
        }
      : 'off',
  };
}

function shared(a: number[], b: number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const rows: Record<string, number | string>[] = [];
let previousPrompt: number[] = [];
const report = (turn: number, generations: Generation[], turnEnd: number) => {
  generations.forEach((generation, index) => {
    const prompt = promptOf(generation.request);
    const fresh = prompt.length - shared(previousPrompt, prompt);
    previousPrompt = prompt;
    const next = generations[index + 1]?.startedAt ?? turnEnd;
    rows.push({
      turn,
      round: index + 1,
      promptTokens: prompt.length,
      newTokens: fresh,
      evaluated: generation.usage.promptTokens,
      reused: generation.usage.cachedPromptTokens ?? 0,
      ratio: Number((generation.usage.promptTokens / fresh).toFixed(3)),
      modelMs: Math.round(generation.modelMs),
      agentMs: Number((next - generation.startedAt - generation.modelMs).toFixed(2)),
    });
  });
};

const turn1 = await runTurn('What do the modules export?', rounds, 0);
report(1, turn1.generations, turn1.startedAt + turn1.ended);
const turn2 = await runTurn('And the last one?', 1, rounds);
report(2, turn2.generations, turn2.startedAt + turn2.ended);
console.table(rows);

const toolRounds = rows.filter((row) => row.turn === 1 && (row.round as number) > 1);
const ratios = toolRounds.map((row) => row.ratio as number);
const agentMs = toolRounds.slice(0, -1).map((row) => row.agentMs as number);
console.log(
  JSON.stringify({
    mode: values['swa-full-cache'] ? 'swaFullCache' : 'checkpoints',
    earlierReasoning: values['keep-reasoning'] ? 'kept' : 'dropped',
    toolRounds: toolRounds.length,
    worstRatio: Math.max(...ratios),
    meanRatio: Number((ratios.reduce((a, b) => a + b, 0) / ratios.length).toFixed(4)),
    agentOverheadMsPerRound: {
      mean: Number((agentMs.reduce((a, b) => a + b, 0) / agentMs.length).toFixed(2)),
      max: Math.max(...agentMs),
    },
    newTurn: rows.find((row) => row.turn === 2 && row.round === 1),
    firstPrompt: firstPromptOf(turn1, 1),
    prefill: firstPromptOf(turn2, 2),
  }),
);
await model.dispose();
repo.remove();
