// The model the bench runs on without weights: a loopback chat server that plays
// a correct fix for one project, through whichever tool surface the request offers,
// after one malformed generation (a call whose JSON is cut off), so that counting,
// surfaces and the summary are exercised end to end in seconds.
import { startChatServer, type ChatServer, type ScriptedResponse } from '../../fixtures/chat-server.js';
import type { ScriptedStep } from '../../fixtures/scripted-backend.js';
import { fixPatch, type EvalProject } from './projects.js';

/** Malformed generations in one scripted run. */
export const SCRIPTED_MALFORMED = 1;

export function startScriptedModel(project: EvalProject, surface: string): Promise<ChatServer> {
  return startChatServer((request, index) => {
    // Over Chat Completions the native tools arrive flattened: repo_browser__open_file.
    const names = ((request.body?.tools ?? []) as { function?: { name?: string } }[]).map((t) => t.function?.name);
    const native = surface === 'native';
    if (names.includes('repo_browser__open_file') !== native) {
      // A run on the wrong surface fails rather than passing for the other one.
      return { status: 500, body: { error: { message: `the scripted model was not offered the ${surface} tools` } } };
    }
    const read = native ? 'repo_browser__open_file' : 'read_file';
    const file = project.fix.file;
    const steps: ScriptedStep[] = [
      { toolCalls: [{ name: read, arguments: `{"path": "${file}"` }] },
      { preamble: `Reading ${file}.`, toolCalls: [{ name: read, arguments: { path: file } }] },
      {
        reasoning: 'add() subtracts instead of adding.',
        toolCalls: native
          ? [{ name: 'repo_browser__apply_patch', arguments: fixPatch(project) }]
          : [{ name: 'apply_patch', arguments: { input: fixPatch(project) } }],
      },
      { answer: 'add() subtracted; it adds now.' },
    ];
    const step = steps[index];
    const response: ScriptedResponse = step
      ? { step }
      : { status: 500, body: { error: { message: `the scripted model has no turn ${index + 1}` } } };
    return response;
  });
}
