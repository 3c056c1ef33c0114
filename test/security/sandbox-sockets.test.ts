// A sandboxed command cannot reach the host's unix sockets (a docker daemon,
// an ssh-agent): listeners on the real file system, one in a host directory
// the sandbox shows read-only and one inside the repository it may write,
// never see a connection, whichever program tries. What needs no host socket
// keeps working: pipes, socketpair, a child process's standard streams,
// loopback TCP inside the sandbox's own network.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type SandboxResult } from '../../tools/sandbox/sandbox.js';
import { probeSandbox } from '../../tools/sandbox/probe.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const onLinux = process.platform === 'linux';

interface Listener {
  path: string;
  server: Server;
  connections: number;
  sockets: Socket[];
}

function listen(socketPath: string): Promise<Listener> {
  const listener: Listener = { path: socketPath, server: createServer(), connections: 0, sockets: [] };
  listener.server.on('connection', (socket) => {
    listener.connections++;
    listener.sockets.push(socket);
    socket.end('HOST-SECRET\n');
  });
  return new Promise((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(socketPath, () => resolve(listener));
  });
}

describe.runIf(onLinux)('host unix sockets from the sandbox', () => {
  let repo: TempRepo;
  let hostDir: string;
  let listeners: Listener[];
  let sandbox: Sandbox;

  beforeAll(async () => {
    const probe = await probeSandbox();
    if (!probe.available) throw new Error(`these tests need bubblewrap: ${probe.reason} ${probe.fix}`);
    repo = makeTempRepo({ 'a.txt': 'a\n' });
    // /var/tmp: a host directory the sandbox shows (read-only), unlike /tmp which it replaces.
    hostDir = mkdtempSync('/var/tmp/gptoss-sock-');
    listeners = [await listen(path.join(hostDir, 'rt.sock')), await listen(path.join(repo.root, 'daemon.sock'))];
    sandbox = new Sandbox({ enabled: true, env: process.env });
  });

  afterAll(async () => {
    for (const listener of listeners ?? []) {
      // A connection that got through (the attack succeeding) must not keep the server, and this suite, waiting.
      for (const socket of listener.sockets) socket.destroy();
      await new Promise((resolve) => listener.server.close(resolve));
    }
    repo?.remove();
    if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  });

  const run = (command: string): Promise<SandboxResult> =>
    sandbox.run({
      root: repo.root,
      cwd: repo.root,
      command,
      mergeStderr: true,
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });

  /** Each client, how it tries, and what it says when socket() is refused (curl only says it could not connect). */
  const clients: [string, (socketPath: string) => string, RegExp][] = [
    [
      'python3',
      (p) =>
        `python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('${p}'); print(s.recv(100))"; echo "exit $?"`,
      /PermissionError: \[Errno 1\] Operation not permitted/,
    ],
    [
      'node',
      (p) =>
        `node -e "require('net').connect('${p}').on('data', (d) => console.log(String(d))).on('error', (e) => { console.log(e.code); process.exit(3); })"; echo "exit $?"`,
      /^EPERM$/m,
    ],
    ['curl from bash', (p) => `curl -sS --unix-socket '${p}' http://localhost/; echo "exit $?"`, /Couldn't connect/],
  ];

  for (const [client, command, refused] of clients) {
    it(`refuses ${client} a connection to a host socket outside and inside the repository`, async () => {
      for (const listener of listeners) {
        const result = await run(command(listener.path));
        expect(result.sandboxed).toBe(true);
        expect(result.stdout).not.toContain('HOST-SECRET');
        expect(result.stdout).not.toMatch(/exit 0$/m);
        expect(result.stdout).toMatch(refused);
      }
      expect(listeners.map((listener) => listener.connections)).toEqual([0, 0]);
    });
  }

  it('refuses raw socket calls through other doors: x32, io_uring, vsock', async () => {
    // ctypes makes the raw system calls a compiled program would; x32 numbers exist only on x86_64.
    const script = [
      'import ctypes, os, socket',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'def call(name, nr, *args):',
      '    ret = libc.syscall(nr, *args)',
      '    print(name, ret, os.strerror(ctypes.get_errno()) if ret < 0 else "ok")',
      'if os.uname().machine == "x86_64":',
      '    call("x32-socket", 0x40000000 + 41, 1, 1, 0)',
      '    call("io_uring", 425, 8, ctypes.create_string_buffer(120))',
      'else:',
      '    call("io_uring", 425, 8, ctypes.create_string_buffer(120))',
      'try:',
      '    socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)',
      '    print("vsock ok")',
      'except OSError as error:',
      '    print("vsock", error.strerror)',
    ].join('\n');
    const result = await run(`python3 -c '${script}'`);
    expect(result.stdout).not.toMatch(/ ok$/m);
    expect(result.stdout).toMatch(/io_uring -1 Operation not permitted/);
    expect(result.stdout).toMatch(/vsock Address family not supported/);
    if (process.arch === 'x64') expect(result.stdout).toMatch(/x32-socket -1 Operation not permitted/);
  });

  it('keeps pipes, socketpair, child processes and loopback TCP working', async () => {
    const result = await run(
      [
        'printf "b\\na\\n" | sort | tr a-z A-Z',
        `node -e "const { execFileSync } = require('child_process'); process.stdout.write(execFileSync('echo', ['from a child']))"`,
        `python3 -c "import socket; a, b = socket.socketpair(); a.send(b'paired'); print(b.recv(6).decode())"`,
        `node -e "const net = require('net'); const s = net.createServer((c) => c.end('tcp ok')).listen(0, '127.0.0.1', () => net.connect(s.address().port, '127.0.0.1').on('data', (d) => { console.log(String(d)); s.close(); }))"`,
      ].join('; '),
    );
    expect(result.stdout).toBe('A\nB\nfrom a child\npaired\ntcp ok\n');
    expect(result.exitCode).toBe(0);
  });
});
