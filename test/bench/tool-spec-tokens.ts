// Prints how many o200k tokens each tool's definition costs, as an
// OpenAI-compatible request carries it, for each tool surface (native tools are
// counted as the flattened functions such a request declares them as).
// usage: npx tsx test/bench/tool-spec-tokens.ts [native|functions]
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { defaultTools } from '../../tools/default-tools.js';
import { surfaceRegistry, TOOL_SURFACES, type ToolSurfaceName } from '../../tools/surfaces/surface.js';

const wanted = process.argv[2];
const surfaces = TOOL_SURFACES.filter((surface) => wanted === undefined || surface === wanted);

for (const surface of surfaces as ToolSurfaceName[]) {
  const registry = surfaceRegistry(surface, defaultTools());
  console.log(`${surface}:`);
  let total = 0;
  for (const tool of registry.all()) {
    const spec = {
      type: 'function',
      function: { name: tool.name.replace('.', '__'), description: tool.description, parameters: tool.parameters },
    };
    const tokens = encode(JSON.stringify(spec)).length;
    total += tokens;
    console.log(`  ${tool.name.padEnd(26)} ${tokens}`);
  }
  console.log(`  ${'total'.padEnd(26)} ${total}`);
}
