import Foundation
import GRDB
import Kernel
import Supervision

/// Night work's tables. Every function runs in the caller's transaction.
enum NightWorkStore {
    static func insert(_ notice: NightWorkNotice, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO night_work_notices (certificate_number, application_id, project_id, district, first_night, last_night, document)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [notice.certificate, notice.applicationID, notice.projectID, notice.district, notice.firstNight.description,
                             notice.lastNight.description, try StoredJSON.encode(notice)])
    }

    static func notice(certificate: String, in db: Database) throws -> NightWorkNotice? {
        try String.fetchOne(db, sql: "SELECT document FROM night_work_notices WHERE certificate_number = ?", arguments: [certificate])
            .map { try StoredJSON.decode(NightWorkNotice.self, from: $0) }
    }

    static func delete(certificate: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM night_work_notices WHERE certificate_number = ?", arguments: [certificate])
    }

    /// Notices whose last night is `since` or later, in a district or all, soonest first.
    static func notices(district: String?, lastNightFrom since: CivilDate, in db: Database) throws -> [NightWorkNotice] {
        let documents: [String] = if let district {
            try String.fetchAll(db, sql: """
                SELECT document FROM night_work_notices WHERE district = ? AND last_night >= ? ORDER BY first_night, certificate_number
                """, arguments: [district, since.description])
        } else {
            try String.fetchAll(db, sql: """
                SELECT document FROM night_work_notices WHERE last_night >= ? ORDER BY first_night, certificate_number
                """, arguments: [since.description])
        }
        return try documents.map { try StoredJSON.decode(NightWorkNotice.self, from: $0) }
    }

    /// The public register's order, the nights ending soonest first: a range of
    /// `night_work_notices_current` (district, last_night, certificate_number) for a district, of
    /// `night_work_notices_ending` (last_night, certificate_number) for all. Ordered by the last
    /// night, not the first, so that the notices still current are one range and the past is not read.
    static let registerOrder = KeysetOrder("last_night", "certificate_number")

    static func registerStatement(district: String?, lastNightFrom since: CivilDate, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let district {
            conditions.append("district = ?")
            arguments += [district]
        }
        // Only the later of the two lower bounds, the cursor and `since`: given both, SQLite starts
        // its index range at one of them, perhaps `since`, and a deep page would read every notice
        // before it. A cursor at or after `since` implies it; one before it (a page asked for
        // yesterday) is passed by it.
        var start = page
        if page.after.map({ $0.keys[0] < since.description }) ?? true {
            conditions.append("last_night >= ?")
            arguments += [since.description]
            start = PageRequest(limit: page.limit)
        }
        return registerOrder.statement("SELECT last_night, certificate_number, document FROM night_work_notices", where: conditions,
                                       arguments: arguments, page: start)
    }

    /// A page of the notices whose last night is `since` or later, in a district or all.
    static func register(district: String?, lastNightFrom since: CivilDate, page: PageRequest, in db: Database) throws -> Page<NightWorkNotice> {
        try registerOrder.page(registerStatement(district: district, lastNightFrom: since, page: page), page, in: db) {
            try StoredJSON.decode(NightWorkNotice.self, from: $0["document"] as String)
        }
    }

    /// A site's notices that cover `night`.
    static func notices(project: String, covering night: CivilDate, in db: Database) throws -> [NightWorkNotice] {
        try String.fetchAll(db, sql: """
            SELECT document FROM night_work_notices WHERE project_id = ? AND first_night <= ?2 AND last_night >= ?2
            """, arguments: [project, night.description]).map { try StoredJSON.decode(NightWorkNotice.self, from: $0) }
    }

    static func insert(_ complaint: NightWorkComplaint, in db: Database) throws {
        try db.execute(sql: "INSERT INTO night_work_complaints (id, certificate_number, phone, at, task_id, document) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [complaint.id, complaint.certificate, complaint.phone, complaint.receivedAt, complaint.taskID,
                                   try StoredJSON.encode(complaint)])
    }

    static func complaintCount(phone: String, since: Date, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM night_work_complaints WHERE phone = ? AND at >= ?", arguments: [phone, since]) ?? 0
    }

    /// Alerts raised at a site since a moment that are still open or were confirmed: an alert an
    /// inspector found to be a false alarm (closed as a pass) no longer counts against the site.
    static func standingAlertCount(project: String, since: Date, in db: Database) throws -> Int {
        try String.fetchAll(db.cachedStatement(sql: "SELECT task_id FROM noise_alerts WHERE project_id = ? AND raised_at >= ?"), arguments: [project, since])
            .filter { try SupervisionRouting.task(id: $0, in: db)?.result != .pass }.count
    }

    /// Alerts raised at a site since a moment.
    static func alertCount(project: String, since: Date, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM noise_alerts WHERE project_id = ? AND raised_at >= ?", arguments: [project, since]) ?? 0
    }
}
