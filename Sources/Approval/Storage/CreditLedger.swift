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

    static func entries(firm: String, in db: Database) throws -> [CreditEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM credit_records WHERE firm = ? ORDER BY id", arguments: [firm]).map { row in
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
