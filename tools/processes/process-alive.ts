// Whether a process runs, by its pid: how a lock or note left by another agent
// process tells a live owner from one that was killed.

/** True for a running process, also one that belongs to another user (EPERM). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
