import Foundation
import Kernel

extension SupervisionService {
    /// Reminds each queue, once per task, of tasks about to fall due (within the catalog's warning
    /// days) and of tasks overdue. Returns how many reminders went out.
    @discardableResult
    public func sendReminders() async throws -> Int {
        let now = dependencies.now()
        let today = self.today
        let (calendar, warnWithin, notifier) = (catalog.calendar, catalog.warnWithinWorkingDays, self.notifier)
        return try await database.write { db in
            var sent = 0
            for task in try TaskQueue.active(in: db) {
                if task.isOverdue(on: today) {
                    sent += try notifier.notify(TaskReminder.overdue(task), in: db, at: now) > 0 ? 1 : 0
                } else if try calendar.workingDays(after: today, through: task.dueOn) <= warnWithin {
                    sent += try notifier.notify(TaskReminder.dueSoon(task), in: db, at: now) > 0 ? 1 : 0
                }
            }
            return sent
        }
    }
}
