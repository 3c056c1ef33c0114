// The current time, re-read every `intervalMs` while `active`: spinners and
// elapsed times. Idle, nothing re-renders.
import { useEffect, useState } from 'react';

export function useClock(active: boolean, now: () => number, intervalMs = 100): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return;
    setTime(now());
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, now, intervalMs]);
  return time;
}
