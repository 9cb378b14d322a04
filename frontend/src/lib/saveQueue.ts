/**
 * The offline save queue of one attempt's answers.
 *
 * Every change gets the next sequence number and is kept on the device before it is sent, so that a lost
 * connection, a closed tab or a reload loses nothing. Changes are sent one at a time in sequence order;
 * failures are retried with exponential backoff until the network returns. The server keeps, per question,
 * the answer with the highest `seq` and ignores lower ones, so resending is always harmless.
 *
 * Pure TypeScript without Vue: the caller passes the transport, the storage and (in tests) the timers.
 */

export interface AnswerChange {
  questionId: number
  choices: string[]
  seq: number
}

interface StoredAnswer {
  choices: string[]
  seq: number
}

/** What the transport reports for one change. */
export type SendOutcome =
  | { kind: 'saved'; stored: StoredAnswer }
  /** no network, a timeout, a 5xx or 429: try again later */
  | { kind: 'retry' }
  /** the server refuses this change for good (time is up, attempt submitted, invalid): drop it */
  | { kind: 'rejected'; code: string }

export type SaveStatus = 'saved' | 'saving' | 'offline' | 'rejected'

export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

interface SaveQueueOptions {
  attemptId: number
  /** where the unsent changes are kept on the device; default `xuefa.attempt.<attemptId>` (an exam's answers) */
  storageKey?: string
  send: (change: AnswerChange) => Promise<SendOutcome>
  storage: KeyValueStorage
  timers?: Timers
  /** first retry after baseDelayMs, doubling up to maxDelayMs */
  baseDelayMs?: number
  maxDelayMs?: number
  /** an answer or mark changed: `questionId` when only that question's did, none when any may have (seed) */
  onChange?: (queue: SaveQueue, questionId?: number) => void
  /** the save status changed */
  onStatus?: (status: SaveStatus) => void
  onRejected?: (change: AnswerChange, code: string) => void
}

interface PersistedState {
  nextSeq: number
  pending: AnswerChange[]
  marked: number[]
}

export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1))
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export class SaveQueue {
  readonly attemptId: number
  private readonly opts: Required<Omit<SaveQueueOptions, 'onChange' | 'onStatus' | 'onRejected' | 'storageKey'>> &
    Pick<SaveQueueOptions, 'onChange' | 'onStatus' | 'onRejected' | 'storageKey'>
  private answers = new Map<number, StoredAnswer>()
  private pending: AnswerChange[] = []
  private marked = new Set<number>()
  private lastSeq = 0
  private failures = 0
  private sending = false
  private retryHandle: unknown = null
  private idleWaiters: Array<() => void> = []
  status: SaveStatus = 'saved'

  constructor(options: SaveQueueOptions) {
    this.attemptId = options.attemptId
    this.opts = {
      timers: defaultTimers,
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      ...options,
    }
    this.load()
  }

  get storageKey(): string {
    return this.opts.storageKey ?? `xuefa.attempt.${this.attemptId}`
  }

  /**
   * Merge what the server holds (on load, or from another device) with what this device still has to send.
   * A local change survives only if its seq is above the server's for that question; the next seq starts
   * above everything either side has used, so no later change is ever ignored as stale.
   */
  seed(server: Map<number, StoredAnswer> | Record<number, StoredAnswer>): void {
    const entries = server instanceof Map ? [...server.entries()] : Object.entries(server).map(([k, v]) => [Number(k), v] as const)
    this.answers = new Map()
    let top = this.lastSeq
    for (const [questionId, stored] of entries) {
      this.answers.set(questionId, { choices: [...stored.choices], seq: stored.seq })
      top = Math.max(top, stored.seq)
    }
    this.pending = this.pending.filter((change) => change.seq > (this.answers.get(change.questionId)?.seq ?? -1))
    for (const change of this.pending) {
      this.answers.set(change.questionId, { choices: [...change.choices], seq: change.seq })
      top = Math.max(top, change.seq)
    }
    this.lastSeq = top
    this.persist()
    this.changed()
    if (this.pending.length) void this.flush()
  }

  /** The answer shown for a question: the latest change on this device, or the server's. */
  choicesOf(questionId: number): string[] {
    return this.answers.get(questionId)?.choices ?? []
  }

  get pendingChanges(): readonly AnswerChange[] {
    return this.pending
  }

  get nextSeq(): number {
    return this.lastSeq + 1
  }

  isMarked(questionId: number): boolean {
    return this.marked.has(questionId)
  }

  get markedIds(): number[] {
    return [...this.marked]
  }

  toggleMark(questionId: number): void {
    if (this.marked.has(questionId)) this.marked.delete(questionId)
    else this.marked.add(questionId)
    this.persist()
    this.changed(questionId)
  }

  /** Record a change: kept on the device at once, then sent in order. */
  set(questionId: number, choices: string[]): AnswerChange {
    const change: AnswerChange = { questionId, choices: [...choices], seq: ++this.lastSeq }
    this.answers.set(questionId, { choices: change.choices, seq: change.seq })
    // An unsent older change of the same question is superseded: the server would ignore it anyway.
    this.pending = this.pending.filter((c) => c.questionId !== questionId || this.isInFlight(c))
    this.pending.push(change)
    this.persist()
    this.changed(questionId)
    void this.flush()
    return change
  }

  /** The network is back (or the user asks): retry at once instead of waiting for the backoff. */
  retryNow(): void {
    if (this.retryHandle !== null) {
      this.opts.timers.clearTimeout(this.retryHandle)
      this.retryHandle = null
    }
    this.failures = 0
    void this.flush()
  }

  /** Resolves once nothing is waiting to be sent (used before submitting). */
  whenIdle(): Promise<void> {
    if (!this.pending.length) return Promise.resolve()
    this.retryNow()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Forget this attempt's local state (after it was submitted). */
  clear(): void {
    this.stop()
    this.pending = []
    this.opts.storage.removeItem(this.storageKey)
  }

  stop(): void {
    if (this.retryHandle !== null) this.opts.timers.clearTimeout(this.retryHandle)
    this.retryHandle = null
  }

  private inFlight: AnswerChange | null = null

  private isInFlight(change: AnswerChange): boolean {
    return this.inFlight === change
  }

  async flush(): Promise<void> {
    if (this.sending || this.retryHandle !== null) return
    this.sending = true
    try {
      while (this.pending.length) {
        const change = this.pending[0]!
        this.inFlight = change
        this.setStatus('saving')
        let outcome: SendOutcome
        try {
          outcome = await this.opts.send(change)
        } catch {
          outcome = { kind: 'retry' }
        }
        this.inFlight = null
        if (outcome.kind === 'retry') {
          this.failures += 1
          this.setStatus('offline')
          const delay = backoffDelay(this.failures, this.opts.baseDelayMs, this.opts.maxDelayMs)
          this.retryHandle = this.opts.timers.setTimeout(() => {
            this.retryHandle = null
            void this.flush()
          }, delay)
          return
        }
        this.failures = 0
        this.pending = this.pending.filter((c) => c !== change)
        if (outcome.kind === 'saved') {
          this.adoptServer(change.questionId, outcome.stored)
        } else {
          this.opts.onRejected?.(change, outcome.code)
          this.setStatus('rejected')
        }
        this.persist()
      }
      if (this.status !== 'rejected') this.setStatus('saved')
      const waiters = this.idleWaiters
      this.idleWaiters = []
      waiters.forEach((resolve) => resolve())
    } finally {
      this.sending = false
    }
  }

  /** The server holds a later answer (another device): show it, and continue numbering above it. */
  private adoptServer(questionId: number, stored: StoredAnswer): void {
    this.lastSeq = Math.max(this.lastSeq, stored.seq)
    const local = this.answers.get(questionId)
    const newerLocal = this.pending.some((c) => c.questionId === questionId)
    if (!newerLocal && (!local || stored.seq >= local.seq)) {
      this.answers.set(questionId, { choices: [...stored.choices], seq: stored.seq })
      this.changed(questionId)
    }
  }

  private setStatus(status: SaveStatus): void {
    if (this.status !== status) {
      this.status = status
      this.opts.onStatus?.(status)
    }
  }

  private changed(questionId?: number): void {
    this.opts.onChange?.(this, questionId)
  }

  private load(): void {
    const raw = this.opts.storage.getItem(this.storageKey)
    if (!raw) return
    try {
      const state = JSON.parse(raw) as PersistedState
      this.lastSeq = Number(state.nextSeq) - 1 || 0
      this.pending = Array.isArray(state.pending) ? state.pending : []
      this.marked = new Set(Array.isArray(state.marked) ? state.marked : [])
      for (const change of this.pending) this.answers.set(change.questionId, { choices: change.choices, seq: change.seq })
    } catch {
      this.opts.storage.removeItem(this.storageKey)
    }
  }

  private persist(): void {
    const state: PersistedState = { nextSeq: this.lastSeq + 1, pending: this.pending, marked: [...this.marked] }
    try {
      this.opts.storage.setItem(this.storageKey, JSON.stringify(state))
    } catch {
      // storage full or disabled (private mode): the queue still works in memory
    }
  }
}
