// File viewers and small utilities from GNU coreutils, with the options each
// takes (from their --help). None of these options write files or run programs
// except those refused below. Their standard input in the sandbox is /dev/null,
// so reading it (no file operand, or "-") ends at once.
import { options, type ArgsCheck } from './args-check.js';

const HELP = 'help version';

export const COREUTILS: Record<string, ArgsCheck> = {
  // echo prints its words and reads nothing; pwd only prints the directory.
  echo: () => true,
  pwd: options({ flags: 'LP', long: HELP }),
  ls: options({
    flags: 'aAbBcCdDfFgGhHiklLmnNopqQrRsStuUvxXZ1',
    withArgument: 'ITw',
    long: `all almost-all author escape block-size= ignore-backups color? directory dired classify? file-type format=
      full-time group-directories-first no-group human-readable si dereference-command-line
      dereference-command-line-symlink-to-dir hide= hyperlink? indicator-style= inode ignore= kibibytes dereference
      numeric-uid-gid literal hide-control-chars show-control-chars quote-name quoting-style= reverse recursive size
      sort= time= time-style= tabsize= width= context zero ${HELP}`,
  }),
  cat: options({
    flags: 'AbeEnstTuv',
    long: `show-all number-nonblank show-ends number squeeze-blank show-tabs show-nonprinting ${HELP}`,
  }),
  head: options({
    flags: 'qvz',
    withArgument: 'cn',
    numberOption: true,
    long: `bytes= lines= quiet silent verbose zero-terminated ${HELP}`,
  }),
  // Following a file (-f, -F, --follow, --retry, and the "-5f" / "+5f" forms) never ends.
  tail: options(
    {
      flags: 'qvz',
      withArgument: 'cn',
      numberOption: true,
      long: `bytes= lines= quiet silent verbose zero-terminated ${HELP}`,
      refused: 'follow retry pid= sleep-interval= max-unchanged-stats=',
    },
    // tail reads a first word like "+5f" as the old form of -n +5 -f.
    (operands) => operands.every((operand) => !operand.startsWith('+') || /^\+\d+$/.test(operand)),
  ),
  wc: options({
    flags: 'cmlLw',
    long: `bytes chars lines max-line-length words ${HELP}`,
    refused: 'files0-from',
  }),
  nl: options({
    flags: 'p',
    withArgument: 'bdfhilnsvw',
    long: `body-numbering= section-delimiter= footer-numbering= header-numbering= line-increment= join-blank-lines=
      number-format= no-renumber number-separator= starting-line-number= number-width= ${HELP}`,
  }),
  stat: options({
    flags: 'Lft',
    withArgument: 'c',
    long: `dereference file-system cached= format= printf= terse ${HELP}`,
  }),
  du: options({
    flags: '0abcDHhkLlmPSsx',
    withArgument: 'BdtX',
    long: `null all apparent-size block-size= bytes total dereference-args max-depth= human-readable inodes
      dereference count-links no-dereference separate-dirs si summarize threshold= time? time-style= exclude-from=
      exclude= one-file-system ${HELP}`,
    refused: 'files0-from',
  }),
  basename: options({ flags: 'az', withArgument: 's', long: `multiple suffix= zero ${HELP}` }),
  dirname: options({ flags: 'z', long: `zero ${HELP}` }),
  realpath: options({
    flags: 'emLPqsz',
    long: `canonicalize-existing canonicalize-missing logical physical quiet relative-to= relative-base= strip
      no-symlinks zero ${HELP}`,
  }),
  readlink: options({
    flags: 'femnqsvz',
    long: `canonicalize canonicalize-existing canonicalize-missing no-newline quiet silent verbose zero ${HELP}`,
  }),
  uname: options({
    flags: 'asnrvmpio',
    long: `all kernel-name nodename kernel-release kernel-version machine processor hardware-platform
      operating-system ${HELP}`,
  }),
  // -o/--output writes the result to a file; --compress-program runs a program on the temporary files,
  // which -T/--temporary-directory would put in the repository.
  sort: options({
    flags: 'bdfgiMhnRrVcCmsuz',
    withArgument: 'ktS',
    long: `ignore-leading-blanks dictionary-order ignore-case general-numeric-sort ignore-nonprinting month-sort
      human-numeric-sort numeric-sort random-sort reverse sort= version-sort batch-size= check? debug key= merge
      stable buffer-size= field-separator= parallel= unique zero-terminated ${HELP}`,
    refused: 'output compress-program temporary-directory random-source files0-from',
  }),
};
