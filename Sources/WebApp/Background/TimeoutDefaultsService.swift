import Approval
import Logging
import ServiceLifecycle

/// Sweeps for items whose promised time has passed and that the catalog approves by default (超时默认).
struct TimeoutDefaultsService: Service {
    let approval: ApprovalService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let changed = try await approval.applyTimeoutDefaults()
                if changed > 0 { logger.info("approved by default on timeout", metadata: ["applications": "\(changed)"]) }
            } catch {
                logger.error("timeout sweep failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
