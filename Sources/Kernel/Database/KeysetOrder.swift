import GRDB

/// A list's stable order for keyset paging: its sort columns, the last one unique, all ascending
/// or all descending, so that one row-value comparison finds where a page starts and an index on
/// the same columns, after the list's equality filters, serves the page in order.
public struct KeysetOrder: Sendable {
    public let columns: [String]
    public let descending: Bool

    public init(_ columns: String..., descending: Bool = false) {
        self.columns = columns
        self.descending = descending
    }

    /// How many keys a cursor of this list carries.
    public var keyCount: Int { columns.count }

    /// `select` narrowed by `conditions`, in this order from the page's cursor on, with one row
    /// more than the page holds: `page(_:_:in:item:)` tells from it that there is more.
    public func statement(_ select: String, where conditions: [String] = [], arguments: StatementArguments = [],
                          page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        var conditions = conditions
        var arguments = arguments
        if let after = page.after {
            let placeholders = columns.map { _ in "?" }.joined(separator: ", ")
            conditions.append("(\(columns.joined(separator: ", "))) \(descending ? "<" : ">") (\(placeholders))")
            arguments += StatementArguments(after.keys)
        }
        arguments += [page.limit + 1]
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order = columns.map { descending ? "\($0) DESC" : $0 }.joined(separator: ", ")
        return ("\(select)\(filter) ORDER BY \(order) LIMIT ?", arguments)
    }

    /// A sort column's value as a cursor carries it: text as it is, an integer (a rowid) in
    /// decimal, which SQLite compares as the number again under the column's integer affinity.
    static func key(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .int64(let number): String(number)
        case .string(let text): text
        default: value.description
        }
    }

    /// The page `statement` reads; it must select this order's columns under their own names.
    public func page<Item>(_ statement: (sql: String, arguments: StatementArguments), _ page: PageRequest, in db: Database,
                           item: (Row) throws -> Item) throws -> Page<Item> {
        try page.page(of: try Row.fetchAll(db, sql: statement.sql, arguments: statement.arguments),
                      keys: { row in columns.map { Self.key(row[$0]) } }, item: item)
    }
}
