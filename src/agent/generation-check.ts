// What makes a finished generation unusable: the loop samples it again (gpt-oss
// runs at temperature 1, so another try usually comes out well-formed) and, when
// the tries are spent, tells the model what went wrong.
import type { StopReason, ToolCallRequest } from '../model/backend.js';

export interface GenerationShape {
  answer: string;
  /** Harmony debris was found in the answer (see answer-stream.ts). */
  debris: boolean;
  toolCalls: readonly ToolCallRequest[];
  stopReason: StopReason;
}

export type GenerationProblem =
  /** No tool call and no answer: the turn would end in silence. */
  | { kind: 'empty'; summary: string }
  /** Harmony the parsers could not place ended up in the answer. */
  | { kind: 'debris'; summary: string }
  /** A call whose arguments are not JSON (often cut off at the length limit). */
  | { kind: 'arguments'; summary: string };

/**
 * The problem with a generation that ended normally ('stop', 'tool_call' or 'length'), if any.
 * `readable` says whether a call's arguments can be read (JSON, or text its tool takes whole).
 */
export function findProblem(
  generation: GenerationShape,
  readable: (call: ToolCallRequest) => boolean,
): GenerationProblem | undefined {
  const cut = generation.stopReason === 'length';
  const broken = generation.toolCalls.find((call) => !readable(call));
  if (broken) {
    return {
      kind: 'arguments',
      summary: cut
        ? `the call to ${broken.name} was cut off at the output length limit`
        : `the arguments of ${broken.name} are not valid JSON`,
    };
  }
  if (generation.toolCalls.length > 0) return undefined;
  if (generation.debris)
    return { kind: 'debris', summary: 'the answer held harmony format text that could not be read' };
  if (generation.answer.trim() === '') {
    return {
      kind: 'empty',
      summary: cut ? 'the output length limit was reached before any answer' : 'it gave no answer and called no tool',
    };
  }
  return undefined;
}

/** What the model reads when the tries are spent, so its next try can do better. */
export function correctionFor(problem: GenerationProblem): string {
  return (
    `[Automatic note from the agent, not from the user] Your last message could not be used: ${problem.summary}. ` +
    'Either call one tool, with a recipient and a JSON object of arguments, or write your answer on the final channel.'
  );
}
