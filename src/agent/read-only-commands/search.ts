// grep and ripgrep: search options only. ripgrep's --pre runs a program on
// every file, --search-zip runs decompressors, --hostname-bin runs one to
// name the host.
import { options, type ArgsCheck } from './args-check.js';

const grep = options({
  flags: 'EFGPiwxzsvVbnHhoqaIrRLlcTZU0123456789',
  withArgument: 'efmdABC',
  long: `extended-regexp fixed-strings basic-regexp perl-regexp regexp= file= ignore-case no-ignore-case word-regexp
    line-regexp null-data no-messages invert-match version help max-count= byte-offset line-number line-buffered
    with-filename no-filename label= only-matching quiet silent binary-files= text directories= recursive
    dereference-recursive include= exclude= exclude-from= exclude-dir= files-without-match files-with-matches count
    initial-tab null before-context= after-context= context= group-separator= no-group-separator color? colour?
    binary`,
  refused: 'devices',
});

const rg = options({
  flags: 'abcFHiIlLnNopPqsSuUvVwx0.h',
  withArgument: 'ABCefgtTmjMrEd',
  long: `after-context= before-context= context= regexp= file= glob= iglob= type= type-not= max-count= threads=
    max-columns= replace= encoding= max-depth= text byte-offset count count-matches fixed-strings with-filename
    no-filename ignore-case files-with-matches files-without-match follow line-number no-line-number only-matching
    pretty pcre2 quiet case-sensitive smart-case unrestricted multiline multiline-dotall invert-match version help
    word-regexp line-regexp null hidden no-hidden no-ignore no-ignore-vcs no-ignore-parent no-ignore-dot
    no-ignore-global no-ignore-exclude no-ignore-files ignore-file= files type-list json vimgrep heading no-heading
    column no-column passthru stats trim sort= sortr= color= colors= context-separator= field-match-separator=
    field-context-separator= path-separator= no-messages include-zero binary one-file-system max-filesize= engine=
    no-config no-pre no-search-zip`,
  refused: 'pre pre-glob hostname-bin search-zip',
});

export const SEARCH: Record<string, ArgsCheck> = { grep, egrep: grep, fgrep: grep, rg };
