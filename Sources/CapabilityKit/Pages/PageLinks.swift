import Hummingbird
import Kernel

/// A list page's links: the next page's address carries its cursor (and the page size asked
/// for, and any query the list keeps, such as a console queue's list); a page after the first
/// links back to the first.
public struct PageLinks: Sendable {
    public let base: String
    public let limit: String?
    public let firstPage: String?

    public init(path: String, keeping kept: String? = nil, limit: String?, cursor: String?) {
        base = path + "?" + (kept.map { "\($0)&" } ?? "")
        self.limit = limit.flatMap { Int($0) }.map(String.init)
        let first = base + (self.limit.map { "limit=\($0)" } ?? "")
        firstPage = cursor == nil ? nil : String(first.hasSuffix("?") || first.hasSuffix("&") ? first.dropLast() : first[...])
    }

    public func address(_ next: Cursor) -> String {
        base + (limit.map { "limit=\($0)&" } ?? "") + "cursor=\(next.token)"
    }

    /// The pager under `page`: back to the first page from a later one, on to the next if any.
    public func pager(below page: Page<some Any>) -> Pager {
        Pager(firstPage: firstPage, nextPage: page.next.map(address))
    }
}

/// A list page's two links, rendered by the `pager` partial.
public struct Pager: Sendable {
    public let firstPage: String?
    public let nextPage: String?

    public init(firstPage: String?, nextPage: String?) {
        self.firstPage = firstPage
        self.nextPage = nextPage
    }

    /// No rows on the first page: the list is empty, not merely over.
    public func isEmpty(_ rows: [some Any]) -> Bool {
        rows.isEmpty && firstPage == nil
    }
}

extension PageLinks {
    /// The links of a list page at `request`'s address, with the page size it asked for.
    public init(_ request: Request, keeping kept: String? = nil) {
        self.init(path: request.uri.path, keeping: kept, limit: request.uri.queryParameters.get("limit"),
                  cursor: request.uri.queryParameters.get("cursor"))
    }
}
