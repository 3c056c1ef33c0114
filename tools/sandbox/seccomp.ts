// The seccomp filter bubblewrap installs before it runs a command (--seccomp
// FD), as classic BPF bytes (struct sock_filter[]), since there is no compiler
// at install time. The network namespace already isolates TCP, UDP and
// abstract unix sockets; what it cannot isolate is a unix socket bound to a
// path on the shared file system (docker.sock, an ssh-agent, a database), or
// AF_VSOCK, which reaches the hypervisor. So:
// - socket() of any family but AF_INET, AF_INET6 and AF_NETLINK fails
//   (AF_UNIX with EPERM, the others with EAFNOSUPPORT); socketpair() is left
//   alone: its two ends are connected to each other and reach nothing else;
// - io_uring_setup fails, since io_uring can create sockets without socket();
// - on x86_64, the x32 ABI and i386's socketcall() (whose arguments the
//   filter cannot read) fail; i386's own socket() gets the same check;
// - on aarch64, 32-bit ARM gets the same treatment as i386;
// - a call from any other ABI kills the process.

export interface SeccompArch {
  /** Node's process.arch. */
  name: string;
  /** AUDIT_ARCH_* of the native ABI and its numbers. */
  native: AbiNumbers;
  /** The 32-bit ABI the kernel also accepts on this machine. */
  compat: AbiNumbers;
  /** Native syscall numbers at or above this are another ABI (x32 on x86_64). */
  foreignFrom?: number;
}

interface AbiNumbers {
  audit: number;
  socket: number;
  ioUringSetup: number;
  /** The multiplexer whose arguments sit behind a pointer. */
  socketcall?: number;
}

export const SECCOMP_ARCHES: Record<string, SeccompArch> = {
  x64: {
    name: 'x86_64',
    native: { audit: 0xc000003e, socket: 41, ioUringSetup: 425 },
    compat: { audit: 0x40000003, socket: 359, ioUringSetup: 425, socketcall: 102 },
    foreignFrom: 0x40000000,
  },
  arm64: {
    name: 'aarch64',
    native: { audit: 0xc00000b7, socket: 198, ioUringSetup: 425 },
    compat: { audit: 0x40000028, socket: 281, ioUringSetup: 425, socketcall: 102 },
  },
};

const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_UNIX = 1;
const EPERM = 1;
const EAFNOSUPPORT = 97;

// Opcodes and return values from linux/filter.h and linux/seccomp.h.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_KILL_PROCESS = 0x80000000;
const retErrno = (errno: number): number => 0x00050000 | errno;

// struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little-endian: low half first).
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const OFFSET_ARG0_LOW = 16;

type Instruction =
  | { op: 'load'; offset: number }
  | { op: 'ret'; value: number }
  | { op: 'jeq' | 'jge'; value: number; to: string }
  | { op: 'label'; name: string };

/** The filter for this machine's architecture, or undefined where it has none (the caller says so). */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  const spec = SECCOMP_ARCHES[arch];
  return spec ? assemble(program(spec)) : undefined;
}

function program(spec: SeccompArch): Instruction[] {
  const abi = (label: string, numbers: AbiNumbers, foreignFrom?: number): Instruction[] => [
    { op: 'label', name: label },
    { op: 'load', offset: OFFSET_NR },
    ...(foreignFrom !== undefined ? [{ op: 'jge', value: foreignFrom, to: 'eperm' } as const] : []),
    ...(numbers.socketcall !== undefined ? [{ op: 'jeq', value: numbers.socketcall, to: 'eperm' } as const] : []),
    { op: 'jeq', value: numbers.socket, to: 'socket' },
    { op: 'jeq', value: numbers.ioUringSetup, to: 'eperm' },
    { op: 'ret', value: RET_ALLOW },
  ];
  return [
    { op: 'load', offset: OFFSET_ARCH },
    { op: 'jeq', value: spec.native.audit, to: 'native' },
    { op: 'jeq', value: spec.compat.audit, to: 'compat' },
    { op: 'ret', value: RET_KILL_PROCESS },
    ...abi('native', spec.native, spec.foreignFrom),
    ...abi('compat', spec.compat),
    { op: 'label', name: 'socket' },
    { op: 'load', offset: OFFSET_ARG0_LOW },
    { op: 'jeq', value: AF_INET, to: 'allow' },
    { op: 'jeq', value: AF_INET6, to: 'allow' },
    { op: 'jeq', value: AF_NETLINK, to: 'allow' },
    { op: 'jeq', value: AF_UNIX, to: 'eperm' },
    { op: 'ret', value: retErrno(EAFNOSUPPORT) },
    { op: 'label', name: 'allow' },
    { op: 'ret', value: RET_ALLOW },
    { op: 'label', name: 'eperm' },
    { op: 'ret', value: retErrno(EPERM) },
  ];
}

/** struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }, with labels turned into forward offsets. */
function assemble(instructions: Instruction[]): Buffer {
  const code = instructions.filter((i): i is Exclude<Instruction, { op: 'label' }> => i.op !== 'label');
  const labels = new Map<string, number>();
  let index = 0;
  for (const instruction of instructions) {
    if (instruction.op === 'label') labels.set(instruction.name, index);
    else index++;
  }
  const out = Buffer.alloc(code.length * 8);
  code.forEach((instruction, at) => {
    let op: number;
    let jt = 0;
    let k: number;
    if (instruction.op === 'load') [op, k] = [LD_W_ABS, instruction.offset];
    else if (instruction.op === 'ret') [op, k] = [RET_K, instruction.value];
    else {
      op = instruction.op === 'jeq' ? JEQ_K : JGE_K;
      k = instruction.value;
      const target = labels.get(instruction.to);
      if (target === undefined || target <= at || target - at - 1 > 255) {
        throw new Error(`seccomp filter: bad jump to ${instruction.to}`);
      }
      jt = target - at - 1;
    }
    out.writeUInt16LE(op, at * 8);
    out.writeUInt8(jt, at * 8 + 2);
    out.writeUInt8(0, at * 8 + 3);
    out.writeUInt32LE(k >>> 0, at * 8 + 4);
  });
  return out;
}
