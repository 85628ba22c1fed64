import CapabilityKit
import Foundation
import Hummingbird
import Kernel
import Mustache

/// 办事指南: the catalog as web pages for the public, in Chinese.
struct GuideController {
    let catalog: Catalog
    let templates: MustacheLibrary

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { _, _ -> Response in
            try page("guide-index", GuideIndexPage(catalog: catalog))
        }
        router.get("guide/items/:code") { _, context -> Response in
            let code = try context.parameters.require("code")
            guard let item = catalog.items[code] else { throw KernelError.notFound("事项 \(code)") }
            return try page("guide-item", GuideItemPage(item: item, catalog: catalog))
        }
        router.get("guide/bundles/:bundle") { request, context -> Response in
            let code = try context.parameters.require("bundle")
            guard let bundle = catalog.bundles[code] else { throw KernelError.notFound("组合 \(code)") }
            let chosen = request.uri.queryParameters.getAll("items").map { String($0) }.filter { bundle.items.contains($0) }
            return try page("guide-bundle", GuideBundlePage(bundle: bundle, chosen: Array(Set(chosen)).sorted(), catalog: catalog))
        }
    }

    func page(_ template: String, _ model: Any) throws -> Response {
        try Self.publicPage(template, model, templates: templates)
    }

    /// A public page (no account, cacheable): the guide's, the public registers', the lookup's.
    static func publicPage(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok, templates: MustacheLibrary) throws -> Response {
        guard let html = templates.render(model, withTemplate: template) else {
            throw TemplateMissing(name: template)
        }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
