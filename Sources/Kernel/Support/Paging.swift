import Foundation

/// Where a page starts: the sort key of the last row of the page before, id last. Keyset paging
/// reads only the rows it answers with, however deep the page, and a row written meanwhile
/// neither repeats nor skips one.
public struct Cursor: Sendable, Equatable {
    public let keys: [String]

    public init(_ keys: [String]) {
        self.keys = keys
    }

    /// Base64url of the keys as a JSON array: opaque to clients, safe in a query string.
    public var token: String {
        let json = (try? JSONEncoder().encode(keys)) ?? Data("[]".utf8)
        return json.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init(token: String, keyCount: Int) throws(KernelError) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count <= 1024, let data = Data(base64Encoded: base64), let keys = try? JSONDecoder().decode([String].self, from: data),
              keys.count == keyCount else {
            throw .invalidField(field: "cursor", message: "分页游标无效，请使用上一页答复中的 next")
        }
        self.keys = keys
    }
}

/// At most `limit` rows after `after`, in a list's stable order.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public let limit: Int
    public let after: Cursor?

    public init(limit: Int = defaultLimit, after: Cursor? = nil) {
        self.limit = limit
        self.after = after
    }

    /// From `?limit=&cursor=`: a limit outside 1–200 or a cursor this list did not give is refused,
    /// naming the parameter.
    public init(limit: String?, cursor: String?, keyCount: Int) throws(KernelError) {
        var count = Self.defaultLimit
        if let limit {
            guard let value = Int(limit), (1...Self.maximumLimit).contains(value) else {
                throw .invalidField(field: "limit", message: "每页条数应为 1–\(Self.maximumLimit) 的整数")
            }
            count = value
        }
        self.init(limit: count, after: try cursor.map { text throws(KernelError) in try Cursor(token: text, keyCount: keyCount) })
    }

    /// The page from rows fetched with `LIMIT limit + 1`: the extra row only tells that there is more.
    public func page<Row, Item>(of rows: [Row], keys: (Row) -> [String], item: (Row) throws -> Item) rethrows -> Page<Item> {
        let shown = rows.prefix(limit)
        return Page(items: try shown.map(item), next: rows.count > limit ? shown.last.map { Cursor(keys($0)) } : nil)
    }
}

/// One page of a list, and where the next one starts (nil on the last).
public struct Page<Item> {
    public let items: [Item]
    public let next: Cursor?

    public init(items: [Item], next: Cursor?) {
        self.items = items
        self.next = next
    }

    public func map<Other>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), next: next)
    }

    /// The items kept by `transform`; the next page starts where this one's rows ended all the same.
    public func compactMap<Other>(_ transform: (Item) throws -> Other?) rethrows -> Page<Other> {
        Page<Other>(items: try items.compactMap(transform), next: next)
    }
}

extension Page: Sendable where Item: Sendable {}
