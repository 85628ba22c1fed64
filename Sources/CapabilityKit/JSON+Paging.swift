import Foundation
import Hummingbird
import Kernel

extension Request {
    /// `?limit=&cursor=` of a list whose cursor carries `keyCount` sort keys.
    public func pageRequest(keyCount: Int) throws(KernelError) -> PageRequest {
        try PageRequest(limit: uri.queryParameters.get("limit"), cursor: uri.queryParameters.get("cursor"), keyCount: keyCount)
    }
}

extension JSON {
    /// A page answers as the list it is, a JSON array, so that a client reading the first page
    /// reads it as before; the next page's address, with the same filters, is in the `Link`
    /// header (RFC 8288, `rel="next"`) and in `X-Next-Cursor`.
    public static func response(_ page: Page<some Encodable>, for request: Request) throws -> Response {
        try response(page.items, next: page.next, for: request)
    }

    /// An answer that carries one page of a list inside it (beside figures about the whole list),
    /// with the next page's address in the same headers as a list's.
    public static func response(_ value: some Encodable, next: Cursor?, for request: Request) throws -> Response {
        var response = try response(value)
        if let next {
            var query = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\(escaped($0.key))=\(escaped($0.value))" }
            query.append("cursor=\(next.token)")
            response.headers[.init("Link")!] = "<\(request.uri.path)?\(query.joined(separator: "&"))>; rel=\"next\""
            response.headers[.init("X-Next-Cursor")!] = next.token
        }
        return response
    }

    private static let queryValue = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))

    private static func escaped(_ text: Substring) -> String {
        text.addingPercentEncoding(withAllowedCharacters: queryValue) ?? String(text)
    }
}
