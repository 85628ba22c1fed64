import Foundation
import Kernel

/// 网络公示 as a page: the night work of a district, each with its complaint form.
struct NoticesPage {
    struct RegionOption {
        let code: String
        let name: String
        let selected: Bool
    }

    struct Row {
        let certificate: String
        let projectName: String
        let address: String
        let districtName: String
        let nights: String
        let hours: String
        let reason: String
        let responsible: String
        let sent: Bool
        let complaintAction: String
    }

    let regions: [RegionOption]
    let rows: [Row]
    let empty: Bool
    let error: String?

    init(notices: [NightWorkNotice], regions: [Region], district: String?, sent: String?, error: String?, catalog: Catalog) {
        self.regions = regions.map { RegionOption(code: $0.code, name: $0.name, selected: $0.code == district) }
        let query = district.map { "?district=\($0)" } ?? ""
        rows = notices.map { notice in
            Row(certificate: notice.certificate, projectName: notice.projectName, address: notice.address,
                districtName: catalog.regions[notice.district]?.name ?? notice.district,
                nights: "\(notice.firstNight) 至 \(notice.lastNight)", hours: "\(notice.start)–\(notice.end)", reason: notice.reason,
                responsible: "\(notice.responsible.name) \(notice.responsible.phone)", sent: notice.certificate == sent,
                complaintAction: "/public/night-work/\(notice.certificate)/complaints\(query)")
        }
        empty = rows.isEmpty
        self.error = error
    }
}
