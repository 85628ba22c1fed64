import Approval
import CapabilityKit
import Foundation
import Kernel

/// 一键申报 as a browser posts it: the API's body in form fields, the route's origin taken from the
/// project, the vehicles one a line (`鄂A12345 20`: plate and capacity in m³), and
/// `materials[<material id>]` (a file id the page's script filled in after uploading).
struct DisposalApplyForm: Decodable, Sendable {
    var projectId: String?
    var wasteType: String?
    var volumeM3: String?
    var transit: [String]?
    var disposalRegion: String?
    var disposalSite: String?
    var transporterName: String?
    var transporterUscc: String?
    var vehicles: String?
    var validFrom: String?
    var validTo: String?
    var contactName: String?
    var contactPhone: String?
    var materials: [String: String]?

    var uploads: [MaterialUpload] { PostedForm.uploads(materials) }

    /// The body `POST /api/v1/waste-disposal/applications` would carry; figures that are no
    /// number are left for the service to name.
    func input(origin: String?, vehicles lines: VehicleLines) -> DisposalApplicationInput {
        let blank = { (text: String?) in text.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        return DisposalApplicationInput(
            projectId: blank(projectId), wasteType: blank(wasteType),
            volumeM3: blank(volumeM3).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) },
            route: .init(origin: origin, transit: transit?.filter { !$0.isEmpty }, disposal: blank(disposalRegion)),
            disposalSite: blank(disposalSite), transporter: .init(name: transporterName, uscc: transporterUscc?.trimmingCharacters(in: .whitespaces)),
            vehicles: lines.inputs, validFrom: blank(validFrom), validTo: blank(validTo),
            contact: .init(name: blank(contactName), phone: blank(contactPhone)), materials: uploads)
    }
}

/// The vehicles textarea, a vehicle a line: a plate and its load body's capacity in m³, apart by
/// spaces or a comma. Blank lines are skipped; every line that is no vehicle is named by its number.
struct VehicleLines {
    struct Line {
        let number: Int
        let input: DisposalApplicationInput.VehicleInput
    }

    let lines: [Line]
    /// Every bad line, as `第 2 行：…`, checked by the service's own rule for one vehicle.
    let problems: [String]

    var inputs: [DisposalApplicationInput.VehicleInput] { lines.map(\.input) }

    init(_ text: String) {
        var lines: [Line] = [], problems: [String] = [], seen = Set<String>()
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let parts = raw.split { $0.isWhitespace || $0 == "," || $0 == "，" }.map(String.init)
            guard !parts.isEmpty else { continue }
            let number = offset + 1
            let capacity = parts.count == 2 ? Double(parts[1].replacingOccurrences(of: "m³", with: "").replacingOccurrences(of: "方", with: "")) : nil
            let input = DisposalApplicationInput.VehicleInput(plate: parts[0], capacityM3: capacity)
            lines.append(Line(number: number, input: input))
            guard capacity != nil else {
                problems.append("第 \(number) 行：应为车牌号和核定容积（立方米），如“鄂A12345 20”")
                continue
            }
            do throws(WasteDisposalError) {
                _ = try DisposalPlanCheck.vehicle(input, at: lines.count - 1, seen: &seen)
            } catch {
                problems.append(Self.line(number, FormRefusal(error).message))
            }
        }
        self.lines = lines
        self.problems = problems
    }

    /// The service's refusal of `vehicles[i]`, by the line it came from.
    func problem(_ refusal: FormRefusal) -> String {
        guard let index = refusal.listIndex, lines.indices.contains(index) else { return refusal.message }
        return Self.line(lines[index].number, refusal.message)
    }

    static func line(_ number: Int, _ message: String) -> String {
        "第 \(number) 行：\(message)"
    }
}
