import Foundation

/// The sources of nondeterminism, injected so that every test is repeatable.
public struct Dependencies: Sendable {
    public var now: @Sendable () -> Date
    public var makeID: @Sendable () -> String
    public var randomBytes: @Sendable (Int) -> [UInt8]

    public init(now: @escaping @Sendable () -> Date, makeID: @escaping @Sendable () -> String, randomBytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.now = now
        self.makeID = makeID
        self.randomBytes = randomBytes
    }

    public static let live = Dependencies(
        now: { Date() },
        makeID: { UUID().uuidString.lowercased() },
        randomBytes: { count in
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
    )
}
