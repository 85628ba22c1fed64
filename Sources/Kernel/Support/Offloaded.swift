import Dispatch

/// Runs CPU-heavy or blocking work (bcrypt, image rendering) on a dispatch queue, so it does not
/// hold one of the few threads of Swift's cooperative pool.
public func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
