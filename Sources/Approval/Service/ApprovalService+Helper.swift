import Foundation
import Kernel

public struct NewMessage: Codable, Sendable {
    public var text: String

    public init(text: String) {
        self.text = text
    }
}

extension ApprovalService {
    /// 一人帮办: the firm and its helper write to each other about the application; staff other
    /// than the helper read along but do not write.
    public func send(_ input: NewMessage, on applicationID: String, by actor: Actor) async throws -> ApplicationMessage {
        let (application, _) = try await visibleApplication(applicationID, to: actor)
        guard actor.role == .applicant || application.helper?.id == actor.id else {
            throw ApprovalError.forbidden("只有申请单位和本申请的帮办专员可以留言")
        }
        let text = try text(input.text, field: "text", max: 1000, multiline: true)!
        let message = ApplicationMessage(id: dependencies.makeID(), applicationID: applicationID, at: dependencies.now(), fromName: actor.name,
                                         fromRole: actor.role, text: text)
        try await store.insert(message, audit: AuditEntry(actor: actor, action: "application.message", subject: application.subject,
                                                          detail: ["text": text]))
        return message
    }

    public func messages(on applicationID: String, for actor: Actor, page: PageRequest = PageRequest()) async throws -> Page<ApplicationMessage> {
        _ = try await visibleApplication(applicationID, to: actor)
        return try await store.messages(applicationID: applicationID, page: page)
    }
}
