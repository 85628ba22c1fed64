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

    /// A page whose items were encoded already (kept so by the transactions that wrote them), as
    /// the same JSON array with the same headers.
    public static func response(encoded page: Page<String>, for request: Request) -> Response {
        var body = ByteBuffer(string: "[")
        for (index, item) in page.items.enumerated() {
            if index > 0 { body.writeString(",") }
            body.writeString(item)
        }
        body.writeString("]")
        return paged(Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body)),
                     next: page.next, for: request)
    }

    /// An answer that carries one page of a list inside it (beside figures about the whole list),
    /// with the next page's address in the same headers as a list's.
    public static func response(_ value: some Encodable, next: Cursor?, for request: Request) throws -> Response {
        paged(try response(value), next: next, for: request)
    }

    /// `response` with the next page's address in the `Link` and `X-Next-Cursor` headers.
    static func paged(_ response: Response, next: Cursor?, for request: Request) -> Response {
        var response = response
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
