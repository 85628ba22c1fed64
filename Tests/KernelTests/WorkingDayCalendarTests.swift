import Foundation
import Kernel
import Testing

@Suite("Deadlines count working days on the State Council's holiday calendar")
struct WorkingDayCalendarTests {
    let calendar = try! CatalogLoader.load(from: TestPaths.catalog).calendar

    func date(_ text: String) -> CivilDate { CivilDate(text)! }

    @Test("a time limit runs from the day after acceptance and skips a weekend")
    func skipsWeekends() throws {
        // Friday + 1 working day is the next Monday.
        #expect(try calendar.date(addingWorkingDays: 1, to: date("2026-11-20")) == date("2026-11-23"))
    }

    @Test("the National Day holiday is skipped and its Saturday make-up day counts")
    func nationalDay() throws {
        #expect(try calendar.date(addingWorkingDays: 1, to: date("2026-09-30")) == date("2026-10-08"))
        #expect(try calendar.date(addingWorkingDays: 3, to: date("2026-09-30")) == date("2026-10-10"))
        #expect(try calendar.isWorkingDay(date("2026-09-20")))
    }

    @Test("the Spring Festival week is not working time")
    func springFestival() throws {
        #expect(try calendar.workingDays(after: date("2026-02-13"), through: date("2026-02-24")) == 2)
    }

    @Test("a date outside the calendar's years is refused rather than guessed")
    func outOfRange() {
        #expect(throws: WorkingDayCalendar.OutOfRange.self) { try calendar.date(addingWorkingDays: 5, to: date("2027-12-28")) }
    }

    @Test("a civil date round-trips through its text and knows its weekday")
    func civilDates() {
        #expect(date("2026-11-23").description == "2026-11-23")
        #expect(date("2026-11-23").weekday == 1)
        #expect(CivilDate("2026-02-30") == nil)
        #expect(CivilDate(Date(timeIntervalSince1970: 1_795_449_600), in: TimeZone(identifier: "Asia/Shanghai")!) == date("2026-11-24"))
    }
}

enum TestPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalog = root.appendingPathComponent("Modules")
}
