// The seccomp filter's bytes, run through a small classic-BPF interpreter on
// the system calls each architecture can make: both tables are checked here,
// whichever machine runs the suite (the real filter is exercised against the
// kernel in test/security/sandbox-sockets.test.ts).
import { describe, expect, it } from 'vitest';
import { SECCOMP_ARCHES, seccompFilter } from '../../../tools/sandbox/seccomp.js';

const ALLOW = 0x7fff0000;
const KILL_PROCESS = 0x80000000;
const EPERM = 0x00050000 | 1;
const EAFNOSUPPORT = 0x00050000 | 97;

/** Runs the filter on one call: seccomp_data is { nr, arch, instruction_pointer, args[6] }. */
function evaluate(filter: Buffer, arch: number, nr: number, args: number[] = []): number {
  const data = Buffer.alloc(64);
  data.writeInt32LE(nr, 0);
  data.writeUInt32LE(arch, 4);
  args.forEach((arg, i) => data.writeUInt32LE(arg >>> 0, 16 + i * 8));
  let accumulator = 0;
  for (let pc = 0; pc * 8 < filter.length; pc++) {
    const code = filter.readUInt16LE(pc * 8);
    const jt = filter.readUInt8(pc * 8 + 2);
    const jf = filter.readUInt8(pc * 8 + 3);
    const k = filter.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) accumulator = data.readUInt32LE(k);
    else if (code === 0x06) return k;
    else if (code === 0x15) pc += accumulator === k ? jt : jf;
    else if (code === 0x35) pc += accumulator >= k ? jt : jf;
    else throw new Error(`unexpected opcode ${code}`);
  }
  throw new Error('fell off the end of the filter');
}

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_VSOCK = 40;
const AF_PACKET = 17;

describe.each(Object.entries(SECCOMP_ARCHES))('the seccomp filter for %s', (nodeArch, spec) => {
  const filter = seccompFilter(nodeArch)!;
  const { native, compat } = spec;

  it('refuses unix sockets and families other than IP and netlink, with errors programs understand', () => {
    expect(evaluate(filter, native.audit, native.socket, [AF_UNIX, 1, 0])).toBe(EPERM);
    expect(evaluate(filter, native.audit, native.socket, [AF_VSOCK, 1, 0])).toBe(EAFNOSUPPORT);
    expect(evaluate(filter, native.audit, native.socket, [AF_PACKET, 3, 0])).toBe(EAFNOSUPPORT);
    for (const family of [AF_INET, AF_INET6, AF_NETLINK]) {
      expect(evaluate(filter, native.audit, native.socket, [family, 1, 0])).toBe(ALLOW);
    }
  });

  it('allows every other call, socketpair included', () => {
    for (const nr of [0, 1, 3, 56, 57, 59, 60, 199, 53, 231]) {
      if (nr === native.socket || nr === native.ioUringSetup) continue;
      expect(evaluate(filter, native.audit, nr, [AF_UNIX, 1, 0])).toBe(ALLOW);
    }
  });

  it('refuses io_uring, which makes sockets without socket()', () => {
    expect(evaluate(filter, native.audit, native.ioUringSetup)).toBe(EPERM);
    expect(evaluate(filter, compat.audit, compat.ioUringSetup)).toBe(EPERM);
  });

  it('gives the 32-bit ABI the same socket check and refuses socketcall, whose arguments it cannot see', () => {
    expect(evaluate(filter, compat.audit, compat.socket, [AF_UNIX, 1, 0])).toBe(EPERM);
    expect(evaluate(filter, compat.audit, compat.socket, [AF_INET, 1, 0])).toBe(ALLOW);
    expect(evaluate(filter, compat.audit, compat.socketcall!, [1, 0])).toBe(EPERM);
    expect(evaluate(filter, compat.audit, 3)).toBe(ALLOW);
  });

  it('kills a process calling through any other ABI', () => {
    expect(evaluate(filter, 0x40000028 === compat.audit ? 0x40000003 : 0x40000028, 41, [AF_UNIX])).toBe(KILL_PROCESS);
  });

  it.runIf(spec.foreignFrom !== undefined)('refuses the x32 ABI, which shares the native architecture value', () => {
    expect(evaluate(filter, native.audit, spec.foreignFrom! + native.socket, [AF_UNIX, 1, 0])).toBe(EPERM);
    expect(evaluate(filter, native.audit, spec.foreignFrom! + 1, [])).toBe(EPERM);
  });
});

describe('an architecture without a filter', () => {
  it('gets none, so the sandbox can say so', () => {
    expect(seccompFilter('riscv64')).toBeUndefined();
    expect(seccompFilter('ia32')).toBeUndefined();
  });
});
