import GRDB

/// Accounts by what they do, read inside a caller's transaction: whom to notify, whom to draw.
public enum AccountDirectory {
    public static func accounts(matching recipients: Recipients, in db: Database) throws -> [Actor] {
        var conditions = ["role = ?"]
        var arguments: StatementArguments = [recipients.role.rawValue]
        for (column, value) in [("firm", recipients.firm), ("department", recipients.department), ("region", recipients.region)] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        // At most eight texts, one per combination of filters: each is prepared once per connection.
        let statement = try db.cachedStatement(sql: "SELECT * FROM accounts WHERE \(conditions.joined(separator: " AND ")) ORDER BY id")
        return try Row.fetchAll(statement, arguments: arguments)
            .map(SQLiteAccountStore.actor(from:))
    }
}
