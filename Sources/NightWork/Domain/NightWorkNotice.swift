import Foundation
import Kernel

/// 网络公示: an issued night-work permit as the public sees it.
public struct NightWorkNotice: Codable, Sendable, Equatable {
    public struct Responsible: Codable, Sendable, Equatable {
        public let name: String
        public let phone: String
    }

    public let certificate: String
    public let applicationID: String
    public let projectID: String
    public let projectName: String
    public let address: String
    public let district: String
    public let firstNight: CivilDate
    public let lastNight: CivilDate
    public let start: ClockTime
    public let end: ClockTime
    public let reason: String
    public let responsible: Responsible

    /// The notice as published: the responsible person's phone masked.
    public var published: NightWorkNotice {
        NightWorkNotice(certificate: certificate, applicationID: applicationID, projectID: projectID, projectName: projectName, address: address,
                        district: district, firstNight: firstNight, lastNight: lastNight, start: start, end: end, reason: reason,
                        responsible: Responsible(name: responsible.name, phone: PhoneNumber(responsible.phone)?.masked ?? "****"))
    }
}

/// A resident's complaint about night work at a permitted site.
public struct NightWorkComplaint: Codable, Sendable, Equatable {
    public let id: String
    public let certificate: String
    public let name: String?
    public let phone: String
    public let text: String
    /// When the disturbance happened, if the resident said.
    public let happenedAt: Date?
    public let receivedAt: Date
    public let taskID: String
}
