import Foundation

/// How many failed sign-ins are tolerated, per name tried and per address, within a sliding
/// window; one more is refused until the oldest of them leaves the window.
public struct SignInPolicy: Sendable {
    public var failuresPerAccount: Int
    public var failuresPerAddress: Int
    public var window: TimeInterval

    public init(failuresPerAccount: Int = 5, failuresPerAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.failuresPerAccount = failuresPerAccount
        self.failuresPerAddress = failuresPerAddress
        self.window = window
    }

    /// When sign-in opens again, given the latest failures (newest first) inside the window, or
    /// nil when it is open.
    func lockedUntil(_ failures: (username: [Date], address: [Date])) -> Date? {
        let locks = [(failures.username, failuresPerAccount), (failures.address, failuresPerAddress)]
            .compactMap { times, limit in times.count >= limit ? times.last.map { $0.addingTimeInterval(window) } : nil }
        return locks.max()
    }
}

/// A password a bureau accepts: at least 10 characters, three of the four kinds (capitals, small
/// letters, digits, symbols), not the username inside it, not one character over and over.
public enum PasswordPolicy {
    public static let minimumLength = 10

    public static func problem(with password: String, username: String) -> String? {
        guard password.count >= minimumLength else { return "密码至少\(minimumLength)位" }
        let scalars = password.unicodeScalars
        let kinds = [scalars.contains { ("A"..."Z").contains($0) }, scalars.contains { ("a"..."z").contains($0) },
                     scalars.contains { ("0"..."9").contains($0) },
                     scalars.contains { !("A"..."Z").contains($0) && !("a"..."z").contains($0) && !("0"..."9").contains($0) }]
        guard kinds.filter({ $0 }).count >= 3 else { return "密码须包含大写字母、小写字母、数字和符号中的至少三类" }
        guard username.count < 3 || !password.lowercased().contains(username.lowercased()) else { return "密码不能包含用户名" }
        guard Set(password).count > 3 else { return "密码过于简单" }
        if let scalar = PrintableText.firstForbidden(in: password) { return PrintableText.refusal(scalar) }
        return nil
    }
}
