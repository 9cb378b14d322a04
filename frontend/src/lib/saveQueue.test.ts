import { describe, expect, it, vi } from 'vitest'
import { backoffDelay, SaveQueue, type AnswerChange, type KeyValueStorage, type SendOutcome, type Timers } from './saveQueue'

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, string>()
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.data.set(key, value)
  }
  removeItem(key: string) {
    this.data.delete(key)
  }
}

/** Manual timers: tests decide when a retry fires. */
class FakeTimers implements Timers {
  queue: Array<{ fn: () => void; ms: number }> = []
  setTimeout(fn: () => void, ms: number) {
    const entry = { fn, ms }
    this.queue.push(entry)
    return entry
  }
  clearTimeout(handle: unknown) {
    this.queue = this.queue.filter((e) => e !== handle)
  }
  fire() {
    const entry = this.queue.shift()
    entry?.fn()
    return entry?.ms
  }
}

/** A fake server with the real rule: per question, keep the highest seq. */
function fakeServer() {
  const stored = new Map<number, { choices: string[]; seq: number }>()
  const log: AnswerChange[] = []
  let online = true
  const send = vi.fn(async (change: AnswerChange): Promise<SendOutcome> => {
    if (!online) return { kind: 'retry' }
    log.push(change)
    const current = stored.get(change.questionId)
    const applied = !current || change.seq > current.seq
    if (applied) stored.set(change.questionId, { choices: change.choices, seq: change.seq })
    return { kind: 'saved', stored: stored.get(change.questionId)! }
  })
  return { stored, log, send, setOnline: (v: boolean) => (online = v) }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

function makeQueue(server: ReturnType<typeof fakeServer>, storage = new MemoryStorage(), timers = new FakeTimers()) {
  const queue = new SaveQueue({ attemptId: 7, send: server.send, storage, timers, baseDelayMs: 1000, maxDelayMs: 8000 })
  return { queue, storage, timers }
}

describe('SaveQueue', () => {
  it('numbers changes in order and sends them in that order', async () => {
    const server = fakeServer()
    const { queue } = makeQueue(server)
    queue.set(1, ['A'])
    queue.set(2, ['B', 'C'])
    queue.set(3, ['A'])
    await queue.whenIdle()
    expect(server.log.map((c) => [c.questionId, c.seq])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ])
    expect(queue.status).toBe('saved')
  })

  it('keeps changes on the device while offline and flushes them in order on reconnect', async () => {
    const server = fakeServer()
    const { queue, timers, storage } = makeQueue(server)
    server.setOnline(false)
    queue.set(1, ['A'])
    await settle()
    queue.set(2, ['B'])
    queue.set(3, ['D'])
    await settle()
    expect(queue.status).toBe('offline')
    const saved = JSON.parse(storage.getItem('xuefa.attempt.7')!)
    expect(saved.pending.map((c: AnswerChange) => c.questionId)).toEqual([1, 2, 3])

    server.setOnline(true)
    queue.retryNow()
    await queue.whenIdle()
    expect(server.log.map((c) => c.questionId)).toEqual([1, 2, 3])
    expect(server.stored.get(3)).toEqual({ choices: ['D'], seq: 3 })
    expect(timers.queue).toHaveLength(0)
    expect(JSON.parse(storage.getItem('xuefa.attempt.7')!).pending).toEqual([])
  })

  it('retries with exponential backoff, capped', async () => {
    const server = fakeServer()
    const { queue, timers } = makeQueue(server)
    server.setOnline(false)
    queue.set(1, ['A'])
    await settle()
    const delays: number[] = []
    for (let i = 0; i < 5; i++) {
      delays.push(timers.fire()!)
      await settle()
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000])
    expect(backoffDelay(1, 500, 30_000)).toBe(500)
    server.setOnline(true)
    timers.fire()
    await settle()
    expect(server.stored.get(1)?.choices).toEqual(['A'])
    expect(queue.status).toBe('saved')
  })

  it('sends only the latest unsent change of a question', async () => {
    const server = fakeServer()
    const { queue } = makeQueue(server)
    server.setOnline(false)
    queue.set(1, ['A'])
    await settle()
    queue.set(1, ['B'])
    queue.set(1, ['C'])
    expect(queue.pendingChanges.map((c) => c.choices[0])).toEqual(['C'])
    server.setOnline(true)
    queue.retryNow()
    await queue.whenIdle()
    expect(server.stored.get(1)).toEqual({ choices: ['C'], seq: 3 })
  })

  it('survives a reload: unsent changes come back from storage and win over the server', async () => {
    const server = fakeServer()
    const storage = new MemoryStorage()
    const first = makeQueue(server, storage).queue
    server.setOnline(false)
    first.set(1, ['A'])
    first.set(2, ['B'])
    await settle()
    first.stop()

    server.setOnline(true)
    const second = makeQueue(server, storage).queue
    second.seed(new Map([[1, { choices: ['D'], seq: 0 }]]))
    expect(second.choicesOf(1)).toEqual(['A'])
    await second.whenIdle()
    expect(server.stored.get(1)?.choices).toEqual(['A'])
    expect(server.stored.get(2)?.choices).toEqual(['B'])
  })

  it('continues seq above what the server holds (another device), so later changes are not stale', async () => {
    const server = fakeServer()
    server.stored.set(5, { choices: ['C'], seq: 41 })
    const { queue } = makeQueue(server)
    queue.seed(server.stored)
    expect(queue.choicesOf(5)).toEqual(['C'])
    expect(queue.nextSeq).toBe(42)
    queue.set(5, ['A'])
    await queue.whenIdle()
    expect(server.stored.get(5)).toEqual({ choices: ['A'], seq: 42 })
  })

  it('drops local changes that the server has already superseded', () => {
    const server = fakeServer()
    const storage = new MemoryStorage()
    storage.setItem('xuefa.attempt.7', JSON.stringify({ nextSeq: 4, pending: [{ questionId: 1, choices: ['A'], seq: 3 }], marked: [] }))
    const { queue } = makeQueue(server, storage)
    server.setOnline(false)
    queue.seed(new Map([[1, { choices: ['B'], seq: 9 }]]))
    expect(queue.pendingChanges).toHaveLength(0)
    expect(queue.choicesOf(1)).toEqual(['B'])
    expect(queue.nextSeq).toBe(10)
  })

  it('adopts a later answer the server reports instead of this device’s stale one', async () => {
    const server = fakeServer()
    const { queue } = makeQueue(server)
    queue.seed(new Map())
    server.stored.set(1, { choices: ['D'], seq: 50 }) // another device, meanwhile
    queue.set(1, ['A'])
    await queue.whenIdle()
    expect(queue.choicesOf(1)).toEqual(['D'])
    expect(queue.nextSeq).toBe(51)
  })

  it('reports and drops a change the server refuses for good', async () => {
    const rejected: string[] = []
    const queue = new SaveQueue({
      attemptId: 1,
      storage: new MemoryStorage(),
      timers: new FakeTimers(),
      send: async () => ({ kind: 'rejected', code: 'attempt_expired' }),
      onRejected: (_c, code) => rejected.push(code),
    })
    queue.set(1, ['A'])
    await queue.whenIdle()
    expect(rejected).toEqual(['attempt_expired'])
    expect(queue.status).toBe('rejected')
    expect(queue.pendingChanges).toHaveLength(0)
  })

  it('treats a throwing transport as offline', async () => {
    const timers = new FakeTimers()
    const queue = new SaveQueue({
      attemptId: 1,
      storage: new MemoryStorage(),
      timers,
      send: async () => {
        throw new TypeError('Failed to fetch')
      },
    })
    queue.set(1, ['A'])
    await settle()
    expect(queue.status).toBe('offline')
    expect(timers.queue).toHaveLength(1)
  })

  it('keeps review marks on the device', () => {
    const storage = new MemoryStorage()
    const server = fakeServer()
    makeQueue(server, storage).queue.toggleMark(3)
    const again = makeQueue(server, storage).queue
    expect(again.isMarked(3)).toBe(true)
    again.toggleMark(3)
    expect(again.markedIds).toEqual([])
  })

  it('keeps its changes under the key it is given (practice rounds beside exam attempts)', async () => {
    const server = fakeServer()
    server.setOnline(false)
    const storage = new MemoryStorage()
    const queue = new SaveQueue({ attemptId: 7, storageKey: 'xuefa.practice.7', send: server.send, storage, timers: new FakeTimers() })
    queue.set(3, ['A'])
    await settle()
    expect(storage.getItem('xuefa.attempt.7')).toBeNull()
    expect(JSON.parse(storage.getItem('xuefa.practice.7')!).pending).toHaveLength(1)
    const again = new SaveQueue({ attemptId: 7, storageKey: 'xuefa.practice.7', send: server.send, storage, timers: new FakeTimers() })
    expect(again.choicesOf(3)).toEqual(['A'])
    expect(new SaveQueue({ attemptId: 7, send: server.send, storage, timers: new FakeTimers() }).choicesOf(3)).toEqual([])
  })
})
