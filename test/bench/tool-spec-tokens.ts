// Prints how many o200k tokens each tool's definition costs, as an
// OpenAI-compatible request carries it. usage: npx tsx test/bench/tool-spec-tokens.ts
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { defaultTools } from '../../tools/default-tools.js';

let total = 0;
for (const tool of defaultTools()) {
  const spec = {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
  const tokens = encode(JSON.stringify(spec)).length;
  total += tokens;
  console.log(`${tool.name.padEnd(14)} ${tokens}`);
}
console.log(`${'total'.padEnd(14)} ${total}`);
