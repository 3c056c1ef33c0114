// Programs that describe or compare files.
import { options, type ArgsCheck } from './args-check.js';

export const FILE_TOOLS: Record<string, ArgsCheck> = {
  // -C compiles a magic file (writes one), -z/-Z may run decompressors, -p resets access times,
  // -s reads devices (which can block), -S turns off file's own system call filter.
  file: options({
    flags: 'bikLhnN0rEv',
    withArgument: 'eF',
    long: `brief mime mime-type mime-encoding extension apple keep-going dereference no-dereference no-buffer no-pad
      print0 raw exclude= exclude-quiet= separator= help version`,
    refused: `compile uncompress uncompress-noreport preserve-date special-files no-sandbox magic-file files-from
      checking-printout list parameter debug`,
  }),
  // tree reads its own command line: a letter that takes an argument takes the next word, even inside
  // a cluster, so an argument may never be attached. -o writes the listing to a file; -R (with -H)
  // writes one into every directory.
  tree: options({
    flags: 'adlfxipsughDFqNQvtcUrCnASJX',
    withArgument: 'LPI',
    attachedArguments: false,
    abbreviations: false,
    long: `noreport charset= filelimit= dirsfirst filesfirst du si inodes device timefmt= sort= ignore-case matchdirs
      metafirst prune gitignore help version`,
    refused: 'output fromfile info infofile hintro houtro',
  }),
  cmp: options({
    flags: 'blsv',
    withArgument: 'in',
    long: 'print-bytes ignore-initial= verbose bytes= quiet silent help version',
  }),
  // -l/--paginate runs the output through pr.
  diff: options({
    flags: 'qscuenyptTrNiEZbwBadv',
    withArgument: 'CUWFxXSID',
    long: `normal brief report-identical-files context? unified? ed rcs side-by-side width= left-column
      suppress-common-lines show-c-function show-function-line= label= expand-tabs initial-tab tabsize=
      suppress-blank-empty recursive no-dereference new-file unidirectional-new-file ignore-file-name-case
      no-ignore-file-name-case exclude= exclude-from= starting-file= from-file= to-file= ignore-case
      ignore-tab-expansion ignore-trailing-space ignore-space-change ignore-all-space ignore-blank-lines
      ignore-matching-lines= text strip-trailing-cr ifdef= minimal horizon-lines= speed-large-files color? palette=
      help version`,
    refused: 'paginate',
  }),
  which: options({ flags: 'as', abbreviations: false }),
};
