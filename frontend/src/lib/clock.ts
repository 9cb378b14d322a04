/**
 * The exam's clock belongs to the server. The phone's wall clock may be wrong or change mid-exam, so it
 * is never read: the server's `server_now` is sampled once per page load, and time then advances on the
 * monotonic clock (performance.now) from that sample.
 */

type MonotonicNow = () => number

export interface ServerClock {
  /** The server's current time, in epoch milliseconds. */
  now(): number
  /** Milliseconds left until `deadline` (never negative). */
  remainingMs(deadline: string | number): number
}

/**
 * @param serverNow the server's `server_now` (ISO 8601) from a response
 * @param sentAt monotonic time when the request was sent
 * @param receivedAt monotonic time when the response arrived
 *
 * The server stamped `server_now` somewhere between sending and receiving; the midpoint halves the error.
 */
export function createServerClock(
  serverNow: string,
  sentAt: number,
  receivedAt: number,
  monotonic: MonotonicNow = () => performance.now(),
): ServerClock {
  const serverEpoch = Date.parse(serverNow)
  if (Number.isNaN(serverEpoch)) throw new Error(`invalid server time: ${serverNow}`)
  const anchor = (sentAt + receivedAt) / 2
  const now = () => serverEpoch + (monotonic() - anchor)
  return {
    now,
    remainingMs(deadline) {
      const end = typeof deadline === 'number' ? deadline : Date.parse(deadline)
      return Math.max(0, end - now())
    },
  }
}

/** Warnings are due when the remaining time crosses these marks (seconds): 5 minutes and 1 minute. */
const WARNING_MARKS = [300, 60] as const

/**
 * The warning marks crossed between two readings of the remaining time (milliseconds), largest first.
 * A page opened with 4 minutes left has already passed the 5-minute mark: it is not announced late.
 */
export function marksCrossed(previousMs: number, currentMs: number, marks: readonly number[] = WARNING_MARKS): number[] {
  return marks.filter((mark) => previousMs > mark * 1000 && currentMs <= mark * 1000)
}

/** "mm:ss", or "h:mm:ss" from an hour up; rounds up so that 0:00 means time is really up. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = String(m).padStart(2, '0')
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}
