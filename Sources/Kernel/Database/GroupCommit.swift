import GRDB
import Synchronization

/// Group commit: the writes waiting for the one writing connection run together in one
/// transaction, each inside its own savepoint, and are committed — and synced to disk — once.
///
/// With `synchronous = FULL` every commit waits for the disk, and every transaction writes the
/// pages it shares with the others (the audit chain's tail, the indexes, the outbox) to the WAL
/// again; for small writes the commits, not the work, set the pace (64 concurrent inserts finish
/// 4× sooner batched: the baseline of Benchmarks/README.md's 64 concurrent submissions). Batching keeps what
/// each caller sees: its write runs alone and in arrival order (savepoints nest serially on one
/// connection), a write that throws is rolled back to its savepoint and only its caller gets the
/// error, and no caller returns before the commit holding its write is on disk. A batch is never
/// waited for: the first write runs at once, and what queued meanwhile forms the next batch.
final class GroupCommit: Sendable {
    /// A batch of writes commits once; bounded so the first caller of a batch does not wait behind
    /// an unbounded queue.
    static let largestBatch = 64

    private let writer: any DatabaseWriter
    private let state = Mutex(State())

    private struct State {
        var queue: [PendingWrite] = []
        var draining = false
    }

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Writes queued behind the batch being committed.
    var waiting: Int { state.withLock { $0.queue.count } }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try Task.checkCancellation()
        // The caller waits until its write has run, so the body outlives no call; the pending
        // write lets go of it before answering (`PendingWrite.finish`).
        return try await withoutActuallyEscaping(body) { body in
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let result = Mutex<T?>(nil)
                let pending = PendingWrite(
                    run: { db in
                        let value = try body(db)
                        result.withLock { $0 = value }
                    },
                    answer: { failure in
                        if let failure {
                            continuation.resume(throwing: failure)
                        } else {
                            continuation.resume(returning: result.withLock { $0! })
                        }
                    })
                let startsDraining = state.withLock { state in
                    state.queue.append(pending)
                    guard !state.draining else { return false }
                    state.draining = true
                    return true
                }
                if startsDraining { writer.asyncWriteWithoutTransaction { [self] db in drain(db) } }
            }
        }
    }

    /// On the writing connection: commits batches until the queue is empty.
    private func drain(_ db: Database) {
        while true {
            let batch = state.withLock { state -> [PendingWrite] in
                let batch = Array(state.queue.prefix(Self.largestBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            commit(batch, in: db)
        }
    }

    private func commit(_ batch: [PendingWrite], in db: Database) {
        var outcomes: [(any Error)?] = []
        do {
            try db.beginTransaction(.immediate)
            for pending in batch {
                try db.execute(sql: "SAVEPOINT group_write")
                do {
                    try pending.run(db)
                    try db.execute(sql: "RELEASE SAVEPOINT group_write")
                    outcomes.append(nil)
                } catch {
                    // SQLite rolls a whole transaction back on some errors (a full disk, an I/O
                    // error); then the batch's earlier writes are gone too, and fail with it.
                    guard db.isInsideTransaction else { throw error }
                    try db.execute(sql: "ROLLBACK TO SAVEPOINT group_write; RELEASE SAVEPOINT group_write")
                    outcomes.append(error)
                }
            }
            try db.commit()
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            for pending in batch { pending.finish(error) }
            return
        }
        for (pending, outcome) in zip(batch, outcomes) { pending.finish(outcome) }
    }
}

/// One caller's write: its body, run once, and how to answer the caller once its batch is settled.
private final class PendingWrite: Sendable {
    private let body: Mutex<(@Sendable (Database) throws -> Void)?>
    private let answer: @Sendable ((any Error)?) -> Void

    init(run: @escaping @Sendable (Database) throws -> Void, answer: @escaping @Sendable ((any Error)?) -> Void) {
        body = Mutex(run)
        self.answer = answer
    }

    func run(_ db: Database) throws {
        guard let run = body.withLock({ $0.take() }) else { return }
        try run(db)
    }

    /// Drops the body first: the caller's closure may not outlive its call.
    func finish(_ failure: (any Error)?) {
        body.withLock { $0 = nil }
        answer(failure)
    }
}
