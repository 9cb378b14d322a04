/**
 * Page-leave reports (切屏) of one attempt: each time the exam page is hidden or shown again.
 *
 * Every report gets the next sequence number, kept on the device so that a reload never reuses one, and the
 * reports are sent one at a time in order; a failure (no network, a 5xx) is retried with backoff. The server
 * ignores a report whose number is not above the last it recorded, so resending is harmless. A refusal
 * for good (the attempt is finished, or not this person's) drops everything and stops.
 *
 * Pure TypeScript without Vue: the caller passes the transport, the storage and (in tests) the timers.
 */
import type { KeyValueStorage, Timers } from './saveQueue'

export type LeaveKind = 'leave' | 'return'

export interface LeaveReport {
  kind: LeaveKind
  seq: number
}

export type LeaveOutcome =
  | { kind: 'recorded'; leaveCount: number; leaveLimit: number | null; status: string }
  | { kind: 'retry' }
  | { kind: 'rejected'; code: string }

interface LeaveQueueOptions {
  attemptId: number
  /** the highest sequence number the server has recorded (the attempt's `leave_seq`) */
  serverSeq: number
  send: (report: LeaveReport) => Promise<LeaveOutcome>
  storage: KeyValueStorage
  timers?: Timers
  baseDelayMs?: number
  maxDelayMs?: number
  /** the server's count of leaves and its limit, after each recorded report */
  onRecorded?: (leaveCount: number, leaveLimit: number | null, status: string) => void
  /** the server refused for good: the attempt is over (submitted, timed out) or not this person's */
  onStopped?: (code: string) => void
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export class LeaveQueue {
  private readonly opts: LeaveQueueOptions
  private readonly timers: Timers
  private readonly key: string
  private seq: number
  private pending: LeaveReport[] = []
  private sending = false
  private stopped = false
  private delay: number
  private timer: unknown = null

  constructor(opts: LeaveQueueOptions) {
    this.opts = opts
    this.timers = opts.timers ?? defaultTimers
    this.key = `xuefa:leave-seq:${opts.attemptId}`
    const stored = Number(opts.storage.getItem(this.key) ?? 0)
    this.seq = Math.max(opts.serverSeq, Number.isFinite(stored) ? stored : 0)
    this.delay = opts.baseDelayMs ?? 1000
  }

  get waiting(): number {
    return this.pending.length
  }

  /** Record a leave or a return; sent now, or kept and retried. */
  report(kind: LeaveKind): void {
    if (this.stopped) return
    this.seq += 1
    this.opts.storage.setItem(this.key, String(this.seq))
    this.pending.push({ kind, seq: this.seq })
    void this.flush()
  }

  /** The network is back: send now instead of waiting for the backoff. */
  retryNow(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer)
      this.timer = null
    }
    this.delay = this.opts.baseDelayMs ?? 1000
    void this.flush()
  }

  stop(): void {
    this.stopped = true
    this.pending = []
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
  }

  private async flush(): Promise<void> {
    if (this.sending || this.stopped || this.timer !== null) return
    this.sending = true
    try {
      while (this.pending.length && !this.stopped) {
        const report = this.pending[0]!
        const outcome = await this.opts.send(report)
        if (outcome.kind === 'retry') {
          this.timer = this.timers.setTimeout(() => {
            this.timer = null
            void this.flush()
          }, this.delay)
          this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs ?? 30_000)
          return
        }
        this.delay = this.opts.baseDelayMs ?? 1000
        this.pending.shift()
        if (outcome.kind === 'rejected') {
          this.stop()
          this.opts.onStopped?.(outcome.code)
          return
        }
        this.opts.onRecorded?.(outcome.leaveCount, outcome.leaveLimit, outcome.status)
        if (outcome.status !== 'in_progress') {
          this.stop()
          this.opts.onStopped?.(outcome.status)
          return
        }
      }
    } finally {
      this.sending = false
    }
  }
}
