// git: only subcommands that read, each with the options we can vouch for.
// Refused everywhere: options that write a file (--output), run a program
// (--ext-diff, --textconv, -O/--open-files-in-pager, --show-signature and
// %G format placeholders, which start gpg), and every global option before
// the subcommand (-c, -C, --git-dir, --work-tree, --exec-path …) but
// --no-pager. git accepts unambiguous prefixes of long options and their
// --no- forms; the refused options are named so that no prefix of one passes.
import { options, type ArgsCheck } from './args-check.js';
import type { OptionTableSpec } from './option-table.js';

const REFUSED = 'output ext-diff textconv open-files-in-pager show-signature recurse-submodules remerge-diff';

/** A --format or --pretty value that asks for signature data would run gpg. */
const noSignatureFormat = (option: string, value: string) =>
  !['format', 'pretty'].includes(option) || !value.includes('%G');

const DIFF_LONG = `patch no-patch raw patch-with-raw patch-with-stat stat? compact-summary numstat shortstat dirstat?
  cumulative dirstat-by-file? summary name-only name-status check full-index binary find-renames? find-copies?
  find-copies-harder no-renames irreversible-delete text ignore-space-at-eol ignore-space-change ignore-all-space
  ignore-blank-lines ignore-cr-at-eol minimal patience histogram diff-algorithm= anchored= word-diff?
  word-diff-regex= color? no-color color-words? color-moved? no-color-moved color-moved-ws= function-context
  exit-code quiet no-ext-diff no-textconv ignore-submodules? src-prefix= dst-prefix= no-prefix relative? no-relative
  unified? inter-hunk-context= diff-filter= pickaxe-all pickaxe-regex indent-heuristic no-indent-heuristic
  line-prefix= stat-width= stat-name-width= stat-count= stat-graph-width= ws-error-highlight= ignore-matching-lines=
  output-indicator-new= output-indicator-old= output-indicator-context=`;
const DIFF_SHORT: Pick<OptionTableSpec, 'flags' | 'withArgument' | 'withOptionalArgument'> = {
  flags: 'pusRabwWDz',
  withArgument: 'GSI',
  withOptionalArgument: 'BMCU',
};

const LOG_LONG = `oneline all branches? tags? remotes? glob= exclude= not merges no-merges first-parent full-history
  simplify-by-decoration ancestry-path? dense sparse simplify-merges left-right left-only right-only cherry-pick
  cherry-mark cherry boundary parents children graph no-graph reverse topo-order date-order author-date-order
  abbrev-commit no-abbrev-commit abbrev? relative-date date= decorate? no-decorate source use-mailmap no-use-mailmap
  mailmap full-diff follow no-walk? do-walk walk-reflogs reflog log-size notes? no-notes show-notes? expand-tabs?
  no-expand-tabs max-count= skip= since= after= until= before= author= committer= grep= all-match invert-grep
  regexp-ignore-case basic-regexp extended-regexp fixed-strings perl-regexp min-parents= max-parents= no-min-parents
  no-max-parents format= pretty? encoding= diff-merges= no-diff-merges cc combined-all-paths`;
const LOG: OptionTableSpec = {
  flags: `${DIFF_SHORT.flags}gicmEFPt`,
  withArgument: `${DIFF_SHORT.withArgument}nL`,
  withOptionalArgument: DIFF_SHORT.withOptionalArgument!,
  long: `${LOG_LONG} ${DIFF_LONG}`,
  numberOption: true,
};

const SUBCOMMANDS: Record<string, OptionTableSpec> = {
  status: {
    flags: 'vsbz',
    withOptionalArgument: 'uM',
    long: `verbose short branch show-stash ahead-behind no-ahead-behind porcelain? long null untracked-files? ignored?
      ignore-submodules? column? no-column no-renames find-renames? renames`,
  },
  diff: {
    ...DIFF_SHORT,
    long: `${DIFF_LONG} cached staged merge-base no-index base ours theirs`,
  },
  log: LOG,
  show: LOG,
  blame: {
    flags: 'bfnpctlsew',
    withArgument: 'LS',
    withOptionalArgument: 'MC',
    long: `incremental root show-stats progress no-progress score-debug show-name show-number porcelain line-porcelain
      show-email ignore-rev= ignore-revs-file= color-lines color-by-age minimal contents= abbrev? date= since=
      first-parent encoding= no-textconv`,
  },
  'ls-files': {
    flags: 'ztvfcdmoiskul',
    withArgument: 'xX',
    long: `cached deleted modified others ignored stage killed directory empty-directory no-empty-directory eol unmerged
      resolve-undo exclude= exclude-from= exclude-per-directory= exclude-standard full-name error-unmatch with-tree=
      abbrev? debug deduplicate sparse format=`,
  },
  // rev-parse compares its options whole; --git-dir here only prints where the repository is.
  'rev-parse': {
    flags: 'q',
    abbreviations: false,
    long: `show-toplevel show-prefix show-cdup git-dir absolute-git-dir git-common-dir is-inside-work-tree
      is-inside-git-dir is-bare-repository is-shallow-repository abbrev-ref? symbolic symbolic-full-name short?
      verify quiet sq all branches? tags? remotes? local-env-vars show-superproject-working-tree show-object-format?
      default= revs-only no-revs flags no-flags git-path=`,
  },
  grep: {
    flags: 'viwaIrEGFPnhHlLzocqpW0123456789',
    withArgument: 'CBAfem',
    long: `cached no-index untracked exclude-standard no-exclude-standard invert-match ignore-case word-regexp text
      no-textconv recursive no-recursive max-depth= extended-regexp basic-regexp fixed-strings perl-regexp line-number
      column full-name files-with-matches name-only files-without-match null only-matching count color? no-color
      break heading context= before-context= after-context= threads= show-function function-context and or not quiet
      all-match max-count=`,
    refused: 'ext-grep',
  },
  // shortlog reads -n as "numbered" and -c as "committer", not as log does.
  shortlog: {
    flags: 'cnse',
    withOptionalArgument: 'w',
    long: `committer numbered summary email group= format= all since= until= after= before= author= no-merges merges
      first-parent max-count=`,
    numberOption: true,
  },
  describe: {
    long: `contains debug all tags long first-parent abbrev? exact-match candidates= match= exclude= always dirty?`,
    refused: 'broken',
  },
};

const CHECKS: Record<string, ArgsCheck> = Object.fromEntries(
  Object.entries(SUBCOMMANDS).map(([name, spec]) => [
    name,
    options({
      ...spec,
      negatable: true,
      refused: `${REFUSED} ${spec.refused ?? ''}`,
      checkValue: noSignatureFormat,
    }),
  ]),
);

export const git: ArgsCheck = (args) => {
  // --no-pager (-P) only keeps git from starting a pager.
  const start = args[0] === '--no-pager' || args[0] === '-P' ? 1 : 0;
  const sub = args[start];
  const check = sub !== undefined && Object.hasOwn(CHECKS, sub) ? CHECKS[sub] : undefined;
  return check !== undefined && check(args.slice(start + 1));
};
