// A program's verdict on its arguments: true when every word is something
// the program only reads or prints with.
import { optionTable, type OptionTableSpec } from './option-table.js';
import { parseOptions } from './parse-options.js';

export type ArgsCheck = (args: readonly string[]) => boolean;

/** Allows only the options of the table; the operands are whatever the program reads. */
export function options(spec: OptionTableSpec, operandsOk: (operands: string[]) => boolean = () => true): ArgsCheck {
  const table = optionTable(spec);
  return (args) => {
    const operands = parseOptions(args, table);
    return operands !== undefined && operandsOk(operands);
  };
}
