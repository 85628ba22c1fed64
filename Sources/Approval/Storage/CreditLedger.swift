import Foundation
import GRDB
import Kernel

/// The firms' credit records: append-only, written in the transaction of the fact they record (a
/// capability's subscriber or job appends its own facts in its own transaction).
public enum CreditLedger {
    public static func append(_ entry: CreditEntry, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO credit_records (firm, kind, at, on_day, subject, source, note) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [entry.firm, entry.kind.rawValue, entry.at, entry.on.description, entry.subject, entry.source, entry.note])
    }

    /// A firm's record reads newest first; records of one instant by the order they were written.
    public static let recordOrder = KeysetOrder("at", "id", descending: true)

    static func recordsStatement(firm: String, after: CivilDate, through: CivilDate, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        // Without statistics SQLite takes the window's day range and sorts every record in it;
        // the time index reads a page in order and stops.
        recordOrder.statement("SELECT * FROM credit_records INDEXED BY credit_records_by_firm_time", where: ["firm = ?", "on_day > ?", "on_day <= ?"],
                              arguments: [firm, after.description, through.description], page: page)
    }

    /// A page of the firm's records on the days after `after` through `through`.
    static func entries(firm: String, after: CivilDate, through: CivilDate, page: PageRequest, in db: Database) throws -> Page<CreditEntry> {
        try recordOrder.page(recordsStatement(firm: firm, after: after, through: through, page: page), page, in: db) { row in
            guard let kind = CreditEventKind(rawValue: row["kind"]), let day = CivilDate(row["on_day"] as String) else {
                throw UnreadableCreditRecord(id: row["id"])
            }
            return CreditEntry(firm: row["firm"], kind: kind, at: row["at"], on: day, subject: row["subject"], source: row["source"], note: row["note"])
        }
    }
}

extension CreditLedger {
    static let countsSQL = """
        SELECT kind, COUNT(*) AS n FROM credit_records WHERE firm = ? AND on_day > ? AND on_day <= ? GROUP BY kind
        """

    /// Counted in `credit_records_by_firm_day`, without reading a record.
    static func counts(firm: String, after: CivilDate, through: CivilDate, in db: Database) throws -> [CreditEventKind: Int] {
        var counts: [CreditEventKind: Int] = [:]
        for row in try Row.fetchAll(db, sql: countsSQL, arguments: [firm, after.description, through.description]) {
            guard let kind = CreditEventKind(rawValue: row["kind"]) else { throw UnreadableCreditRecord(id: 0) }
            counts[kind] = row["n"]
        }
        return counts
    }
}

struct UnreadableCreditRecord: Error, CustomStringConvertible {
    let id: Int64
    var description: String { "credit record \(id) has an unknown kind or date" }
}
