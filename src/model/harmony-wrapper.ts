// The harmony chat wrapper we run gpt-oss with: node-llama-cpp's, without
// the date (the prompt must be byte-identical between runs, and a date would
// also break the KV cache at midnight), with the tools written as harmony
// writes them (optional parameters marked), and with tool results as the
// plain text the tool returned. node-llama-cpp JSON-encodes results, which
// escapes every newline and quote: 11% more tokens on typical tool output,
// 22% on a source file (test/bench/tool-result-encoding.ts).
// The system and developer messages are the same text as ./harmony/render.ts writes
// (test/model/harmony-wrapper.test.ts); node-llama-cpp writes the rest.
import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { ReasoningEffort } from './backend.js';
import type { DocumentedFunctions } from './embedded-functions.js';
import { renderFunctionsNamespace } from './harmony/tool-docs.js';

type Library = typeof NodeLlamaCpp;

export function createHarmonyWrapper(lib: Library, reasoningEffort: ReasoningEffort): NodeLlamaCpp.HarmonyChatWrapper {
  const { HarmonyChatWrapper, LlamaText, SpecialTokensText } = lib;
  class PlainResultHarmonyWrapper extends HarmonyChatWrapper {
    override generateContextState(options: NodeLlamaCpp.ChatWrapperGenerateContextStateOptions) {
      const state = super.generateContextState(options);
      return { ...state, contextText: LlamaText(withInstructionsHeading(state.contextText.values, SpecialTokensText)) };
    }

    override generateAvailableFunctionsSystemText(functions: NodeLlamaCpp.ChatModelFunctions) {
      const tools = Object.entries(functions as DocumentedFunctions).map(([name, fn]) => ({
        name,
        description: fn.description ?? '',
        parameters: fn.schema ?? {},
      }));
      return LlamaText(tools.length > 0 ? renderFunctionsNamespace(tools) : []);
    }

    override generateFunctionCallResult(functionName: string, _params: unknown, result: unknown) {
      return LlamaText([
        new SpecialTokensText('<|start|>'),
        'functions.',
        functionName,
        new SpecialTokensText(' to=assistant<|channel|>commentary<|message|>'),
        toolResultText(result),
        new SpecialTokensText('<|end|>'),
      ]);
    }
  }
  // The request says which reasoning to keep (the loop drops earlier turns'); the wrapper renders what it is given.
  return new PlainResultHarmonyWrapper({ reasoningEffort, todayDate: null, keepOnlyLastThought: false });
}

export function toolResultText(result: unknown): string {
  if (result === undefined) return '';
  return typeof result === 'string' ? result : JSON.stringify(result);
}

type LlamaTextValue = NodeLlamaCpp.LlamaText['values'][number];

/**
 * node-llama-cpp heads the developer message `# Instruction` (sic) when there are no functions;
 * harmony's heading is `# Instructions`, as it already writes when there are.
 */
function withInstructionsHeading(
  values: readonly LlamaTextValue[],
  SpecialTokensText: Library['SpecialTokensText'],
): LlamaTextValue[] {
  const out = [...values];
  const header = out.findIndex(
    (value) => value instanceof SpecialTokensText && value.value.endsWith('<|start|>developer<|message|>'),
  );
  const body = out[header + 1];
  if (header >= 0 && typeof body === 'string' && body.startsWith('# Instruction\n\n')) {
    out[header + 1] = `# Instructions\n\n${body.slice('# Instruction\n\n'.length)}`;
  }
  return out;
}
