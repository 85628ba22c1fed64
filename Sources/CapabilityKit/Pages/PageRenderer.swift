import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders a page template over its view model as an HTML response.
public struct PageRenderer: Sendable {
    public let templates: MustacheLibrary

    public init(templates: MustacheLibrary) {
        self.templates = templates
    }

    public func response(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = templates.render(model, withTemplate: template) else { throw TemplateMissing(name: template) }
        // Signed-in pages hold a firm's data and carry forms: never cached, never framed by another site.
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                                  HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("Referrer-Policy")!: "same-origin"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    public static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// A page template the start-up check should have found: a fault of the deployment, not of the visitor.
public struct TemplateMissing: Error {
    public let name: String

    public init(name: String) {
        self.name = name
    }
}
