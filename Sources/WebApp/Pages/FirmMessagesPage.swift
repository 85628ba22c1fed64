import Approval
import CapabilityKit
import Foundation
import Kernel

/// 一人帮办: a page of the application's conversation between the firm and its helper, oldest
/// first, and the form to write. A refused message comes back as typed with the reason beside it.
struct FirmMessagesPage {
    struct Row {
        let from: String
        let role: String
        let at: String
        let text: String
        /// Written by the firm's side, shown apart from the helper's.
        let own: Bool
    }

    let frame: PageFrame
    let back: String
    let projectName: String
    let helper: String?
    let rows: [Row]
    let empty: Bool
    let pager: Pager
    let action: String
    let text: String
    let textError: String?
    let generalError: String?

    init(frame: PageFrame, details: ApplicationDetails, page: Page<ApplicationMessage>, paging: PageLinks, timeZone: TimeZone,
         posted: FirmForms.Message? = nil, refusal: FormRefusal? = nil) {
        self.frame = frame
        let application = details.application
        back = "/firm/applications/\(application.id)"
        projectName = details.project.name
        helper = application.helper?.name
        rows = page.items.map { message in
            Row(from: message.fromName, role: message.fromRole == .applicant ? "申请单位" : "帮办专员", at: PageText.moment(message.at, in: timeZone),
                text: message.text, own: message.fromRole == .applicant)
        }
        pager = paging.pager(below: page)
        empty = pager.isEmpty(rows)
        action = "/firm/applications/\(application.id)/messages"
        text = posted?.text ?? ""
        textError = refusal?.beside("text")
        generalError = refusal?.general(besides: ["text"])
    }
}
