// How one program's options are described: only the options we can vouch
// for are listed as allowed; the dangerous ones are named too, so that an
// abbreviation of one is never taken for an allowed option.

/** How a program reads its command line. */
export interface OptionTable {
  /** Short option letters that take no argument (may be clustered: -la). */
  flags: string;
  /** Short option letters that take an argument, attached (-n5) or as the next word (-n 5). */
  withArgument: string;
  /** Short option letters whose argument may only be attached (-C50), as getopt's "x::". */
  withOptionalArgument: string;
  /**
   * Allowed long options: "name" takes no argument, "name=" takes one (--name=v or --name v),
   * "name?" takes one only after "=" (--name=v).
   */
  long: ReadonlyMap<string, 'none' | 'required' | 'optional'>;
  /** Every long spelling, allowed or not: an abbreviation must be a prefix of exactly one. */
  spellings: readonly string[];
  /** Whether an unambiguous prefix of a long option counts as that option (getopt_long, git). */
  abbreviations: boolean;
  /** Whether -NUM is an option (grep -5, head -20, git log -3). */
  numberOption: boolean;
  /** Whether an argument-taking letter may be followed by more text in the same word (-n5). */
  attachedArguments: boolean;
  /** Checks the value given to an option (by its long name, or its letter); false asks. */
  checkValue?: (option: string, value: string) => boolean;
}

export interface OptionTableSpec {
  flags?: string;
  withArgument?: string;
  withOptionalArgument?: string;
  /** Space-separated: "all", "lines=", "color?". */
  long?: string;
  /** Space-separated long options that write files, run programs or never end. */
  refused?: string;
  /** git's --no-NAME forms also count as spellings of every option. */
  negatable?: boolean;
  abbreviations?: boolean;
  numberOption?: boolean;
  attachedArguments?: boolean;
  checkValue?: (option: string, value: string) => boolean;
}

export function optionTable(spec: OptionTableSpec): OptionTable {
  const long = new Map<string, 'none' | 'required' | 'optional'>();
  for (const word of words(spec.long)) {
    if (word.endsWith('=')) long.set(word.slice(0, -1), 'required');
    else if (word.endsWith('?')) long.set(word.slice(0, -1), 'optional');
    else long.set(word, 'none');
  }
  const names = [...long.keys(), ...words(spec.refused)];
  const spellings = new Set(names);
  if (spec.negatable) for (const name of names) spellings.add(name.startsWith('no-') ? name.slice(3) : `no-${name}`);
  return {
    flags: spec.flags ?? '',
    withArgument: spec.withArgument ?? '',
    withOptionalArgument: spec.withOptionalArgument ?? '',
    long,
    spellings: [...spellings],
    abbreviations: spec.abbreviations ?? true,
    numberOption: spec.numberOption ?? false,
    attachedArguments: spec.attachedArguments ?? true,
    ...(spec.checkValue ? { checkValue: spec.checkValue } : {}),
  };
}

function words(list: string | undefined): string[] {
  return (list ?? '').split(/\s+/).filter((word) => word !== '');
}
