import Crypto
import Foundation
import Kernel

/// Draws a certificate as a PNG: title, fields, the permits it includes, a red electronic seal with
/// the bureau's name, and the QR code with a hint to scan it. Layouts are loaded once, at start.
public struct CertificateRenderer: Sendable {
    public struct MissingLayout: Error, CustomStringConvertible {
        public let template: String
        public let directory: String
        public var description: String { "certificate layout \(template).yaml is missing from \(directory)" }
    }

    let layouts: [String: CertificateLayout]
    let fontPath: String
    /// Region codes in words, for routes printed on a card.
    let regionNames: [String: String]
    /// The bureau's seal, drawn once per size for the whole process.
    static let seals = SealStamps()
    /// The layouts' own text, measured when they load.
    let ruled: RuledText
    /// Changes whenever a layout file or `drawing` does, so cached images are redrawn.
    public let layoutsVersion: String
    /// The revision of the drawing code: raise it with any change to how a certificate is drawn,
    /// or images cached before the change are served as they were.
    static let drawing = "four-bit-4"

    /// Loads a layout for each template the catalog names, failing on the first one missing.
    public init(directory: URL, templates: Set<String>, fontPath: String, regionNames: [String: String] = [:]) throws {
        self.regionNames = regionNames
        var layouts: [String: CertificateLayout] = [:]
        var digest = SHA256()
        digest.update(data: Data(Self.drawing.utf8))
        for template in templates.sorted() {
            let url = directory.appendingPathComponent("\(template).yaml")
            guard FileManager.default.fileExists(atPath: url.path) else { throw MissingLayout(template: template, directory: directory.path) }
            layouts[template] = try YAMLFile.decode(CertificateLayout.self, from: url)
            digest.update(data: try Data(contentsOf: url))
        }
        self.layouts = layouts
        self.fontPath = fontPath
        ruled = RuledText(layouts, fontPath: fontPath)
        layoutsVersion = String(digest.finalize().hexString.prefix(12))
    }

    static let width = 1200, height = 1700, margin = 130

    public func layout(for template: String) -> CertificateLayout? { layouts[template] }

    /// The layout's fields with the certificate's values filled in.
    public func fields(of certificate: Certificate, authority: String) -> (layout: CertificateLayout, fields: [(label: String, value: String)], note: String?)? {
        guard let layout = layouts[certificate.template] else { return nil }
        let values = CertificateLayout.values(of: certificate, authority: authority, regionNames: regionNames)
        return (layout, layout.fields.map { ($0.label, CertificateLayout.fill($0.value, with: values)) },
                layout.note.map { CertificateLayout.fill($0, with: values) })
    }

    public func render(_ certificate: Certificate, qrText: String, authority: String) throws -> Data {
        guard let layout = layouts[certificate.template] else { throw MissingLayout(template: certificate.template, directory: "layouts") }
        let values = CertificateLayout.values(of: certificate, authority: authority, regionNames: regionNames)
        if let subject = certificate.subject {
            return try renderCard(certificate, subject: subject, layout: layout, values: values, qrText: qrText, authority: authority)
        }
        let canvas = Canvas(width: Self.width, height: Self.height, background: (255, 255, 255), fontPath: fontPath)
        let ink = canvas.color(33, 33, 33)
        let grey = canvas.color(110, 110, 110)
        let red = canvas.color(200, 30, 30)
        canvas.rectangle(x: 40, y: 40, width: Self.width - 80, height: Self.height - 80, thickness: 6, red)
        canvas.rectangle(x: 56, y: 56, width: Self.width - 112, height: Self.height - 112, thickness: 2, red)

        centered(layout.title, y: 200, size: RuledText.certificateTitle, ink, on: canvas)
        centered("编号：\(certificate.number)", y: 262, size: 18, grey, on: canvas)

        var y = 360
        for field in layout.fields {
            canvas.text(field.label, x: Self.margin, y: y, size: 20, grey)
            y = paragraph(CertificateLayout.fill(field.value, with: values), x: 400, y: y, width: Self.width - 400 - Self.margin, size: 22, ink, on: canvas) + 66
        }
        if let heading = layout.permitsHeading {
            y += 10
            canvas.text(heading, x: Self.margin, y: y, size: 22, ink)
            y += 60
            for (index, permit) in certificate.permits.enumerated() {
                let validity = permit.validTo.map { "，有效至 \($0)" } ?? ""
                let scope = permit.scope.map { "，范围：\($0)" } ?? ""
                y = paragraph("\(index + 1). \(permit.name)（\(permit.item)）\(scope)\(validity)", x: Self.margin + 20, y: y,
                              width: Self.width - 2 * Self.margin - 20, size: 19, ink, on: canvas) + 50
                for detail in permit.details ?? [] {
                    y = paragraph("\(detail.label)：\(detail.value)", x: Self.margin + 50, y: y, width: Self.width - 2 * Self.margin - 50,
                                  size: 18, ink, on: canvas) + 44
                }
            }
        }
        if let note = layout.note {
            paragraph(CertificateLayout.fill(note, with: values), x: Self.margin, y: max(y + 20, 1120), width: Self.width - 2 * Self.margin,
                      size: 15, grey, on: canvas)
        }
        try drawQR(qrText, x: Self.margin, y: 1190, side: 380, ink, on: canvas)
        canvas.text("手机扫码核验证照真伪与实时状态", x: Self.margin + 20, y: 1610, size: 15, grey)
        drawSeal(authority: authority, cx: 860, cy: 1380, radius: 165, on: canvas)
        canvas.text("发证日期：\(values["issuedOn"]!)", x: 720, y: 1610, size: 18, ink)
        return try canvas.png()
    }

    static let cardWidth = 1000, cardHeight = 1500, cardMargin = 70, cardSealRadius = 140
    /// The column left of a card's seal that its facts are set in.
    static let cardTextWidth = cardWidth - cardMargin - 150 - cardSealRadius - cardMargin - 30

    /// Lines of text set in one column, each `size * 1.9` below the last, with `after` to the next block.
    struct TextBlock {
        let label: String?
        let lines: [String]
        let x: Int
        let size: Double
        let color: Canvas.Color
        let after: Int

        var height: Int { (lines.count - 1) * Int(size * 1.9) + after }
    }

    /// A subject's card, to be read from a distance: its id large, the QR as wide as the card
    /// allows, then the few facts an inspector at the roadside checks, and the seal. The facts are
    /// wrapped first and the QR takes the height they leave, so a long name or route never pushes
    /// the certificate's number off the card.
    func renderCard(_ certificate: Certificate, subject: PermitSubject, layout: CertificateLayout, values: [String: String], qrText: String,
                    authority: String) throws -> Data {
        let (width, height, margin) = (Self.cardWidth, Self.cardHeight, Self.cardMargin)
        let canvas = Canvas(width: width, height: height, background: (255, 255, 255), fontPath: fontPath)
        let ink = canvas.color(20, 20, 20)
        let grey = canvas.color(100, 100, 100)
        let red = canvas.color(200, 30, 30)
        canvas.rectangle(x: 24, y: 24, width: width - 48, height: height - 48, thickness: 8, red)
        let centre = { (text: String, y: Int, size: Double, color: Canvas.Color) in
            _ = canvas.text(text, x: (width - ruled.width(of: text, size: size, on: canvas)) / 2, y: y, size: size, color)
        }
        centre(layout.title, 110, RuledText.cardTitle, ink)
        if let label = layout.subjectLabel { centre(label, 175, RuledText.cardLabel, grey) }
        centre(subject.id, 285, 84, ink)
        let seal = (radius: Self.cardSealRadius, cx: width - margin - 150, cy: height - 210)
        let textWidth = Self.cardTextWidth
        var blocks = layout.fields.compactMap { field -> TextBlock? in
            let value = CertificateLayout.fill(field.value, with: values)
            guard !value.isEmpty else { return nil }
            return TextBlock(label: field.label, lines: Self.wrapped(value, width: textWidth - 140, size: 24, on: canvas), x: margin + 150, size: 24,
                             color: ink, after: 50)
        }
        let facts = (certificate.permits.flatMap { $0.details ?? [] } + subject.details).map { "\($0.label) \($0.value)" }
        blocks.append(TextBlock(label: nil, lines: Self.wrapped(facts.joined(separator: "；"), width: textWidth, size: 18, on: canvas), x: margin + 10,
                                size: 18, color: ink, after: 40))
        if let note = layout.note {
            let lines = ruled.cardNotes[certificate.template] ?? Self.wrapped(CertificateLayout.fill(note, with: values), width: textWidth, size: RuledText.cardNote, on: canvas)
            blocks.append(TextBlock(label: nil, lines: lines, x: margin + 10, size: RuledText.cardNote, color: grey, after: 40))
        }
        let (qrTop, gap, numberBaseline) = (310, 30, height - 60)
        let room = numberBaseline - qrTop - gap - blocks.map(\.height).reduce(0, +)
        let full = width - 2 * margin, side = min(full, max(full / 2, room))
        var y = try drawQR(qrText, x: margin + (full - side) / 2, y: qrTop, side: side, ink, on: canvas) + gap
        for block in blocks {
            if let label = block.label { canvas.text(label, x: margin + 10, y: y, size: 22, grey) }
            y = draw(block.lines, x: block.x, y: y, size: block.size, block.color, on: canvas) + block.after
        }
        canvas.text("编号 \(certificate.number)", x: margin + 10, y: max(y, numberBaseline), size: 18, grey)
        drawSeal(authority: authority, cx: seal.cx, cy: seal.cy, radius: seal.radius, on: canvas)
        return try canvas.png()
    }

    func centered(_ text: String, y: Int, size: Double, _ color: Canvas.Color, on canvas: Canvas) {
        canvas.text(text, x: (Self.width - ruled.width(of: text, size: size, on: canvas)) / 2, y: y, size: size, color)
    }

    /// Wraps `text` to `width` and draws it; returns the baseline of the last line.
    @discardableResult
    func paragraph(_ text: String, x: Int, y: Int, width: Int, size: Double, _ color: Canvas.Color, on canvas: Canvas) -> Int {
        draw(Self.wrapped(text, width: width, size: size, on: canvas), x: x, y: y, size: size, color, on: canvas)
    }

    /// Draws lines `size * 1.9` apart from the baseline `y`; returns the baseline of the last.
    func draw(_ lines: [String], x: Int, y: Int, size: Double, _ color: Canvas.Color, on canvas: Canvas) -> Int {
        var baseline = y
        for (index, line) in lines.enumerated() {
            if index > 0 { baseline += Int(size * 1.9) }
            canvas.text(line, x: x, y: baseline, size: size, color)
        }
        return baseline
    }

    /// `text` cut into lines that fit `width`, at any character (Chinese has no spaces to break at).
    static func wrapped(_ text: String, width: Int, size: Double, on canvas: Canvas) -> [String] {
        var rest = Substring(Canvas.printable(text))
        var lines: [String] = []
        repeat {
            let fits = longestFitting(rest, width: width, size: size, on: canvas)
            lines.append(String(rest.prefix(fits)))
            rest = rest.dropFirst(fits)
        } while !rest.isEmpty
        return lines
    }

    /// How many leading characters of `text` fit in `width`: at least one, so a glyph wider than
    /// the line still moves the text on. Each measurement costs a FreeType layout of the prefix,
    /// so the next guess is interpolated from the widths measured so far (Chinese glyphs are all
    /// one width: the first guess is usually right), and halves the range when a guess did not.
    static func longestFitting(_ text: Substring, width: Int, size: Double, on canvas: Canvas) -> Int {
        let whole = canvas.measure(String(text), size: size)
        guard whole > width else { return text.count }
        var fitting = (count: 0, width: 0), tooLong = (count: text.count, width: whole)
        var interpolate = true
        while tooLong.count - fitting.count > 1 {
            let range = tooLong.count - fitting.count
            let share = interpolate ? Double(width - fitting.width) / Double(max(1, tooLong.width - fitting.width)) : 0.5
            let probe = min(max(fitting.count + Int(Double(range) * share), fitting.count + 1), tooLong.count - 1)
            let measured = canvas.measure(String(text.prefix(probe)), size: size)
            if measured > width { tooLong = (probe, measured) } else { fitting = (probe, measured) }
            interpolate = tooLong.count - fitting.count <= range / 2
        }
        return max(1, fitting.count)
    }

    /// Draws the QR with its quiet zone, centred in `side`; returns the bottom of what it took.
    @discardableResult
    func drawQR(_ text: String, x: Int, y: Int, side: Int, _ color: Canvas.Color, on canvas: Canvas) throws -> Int {
        let code = try QRCode(text: text)
        let quiet = 4
        let module = max(1, side / (code.size + 2 * quiet))
        let drawn = module * (code.size + 2 * quiet)
        let origin = (x: x + (side - drawn) / 2 + quiet * module, y: y + quiet * module)
        // One rectangle per horizontal run of dark modules: a few hundred fills instead of thousands.
        for row in 0..<code.size {
            var column = 0
            while column < code.size {
                guard code.isDark(x: column, y: row) else { column += 1; continue }
                var end = column + 1
                while end < code.size, code.isDark(x: end, y: row) { end += 1 }
                canvas.fill(x: origin.x + column * module, y: origin.y + row * module, width: (end - column) * module, height: module, color)
                column = end
            }
        }
        return y + drawn
    }

    /// The bureau's seal centred at (`cx`, `cy`). Every certificate carries the same one, and its
    /// glyphs set one by one along an arc make two dozen calls into FreeType, so it is drawn once
    /// per bureau and size and laid from then on.
    func drawSeal(authority: String, cx: Int, cy: Int, radius: Int, on canvas: Canvas) {
        let stamp = Self.seals.stamp(authority: authority, radius: radius, fontPath: fontPath) {
            let side = 2 * radius + 24
            let drawing = Canvas(width: side, height: side, background: (255, 255, 255), fontPath: fontPath)
            drawSeal(authority: authority, cx: side / 2, cy: side / 2, radius: radius, drawing.color(200, 30, 30), on: drawing)
            return drawing.stamp()
        }
        canvas.lay(stamp, x: cx - stamp.width / 2, y: cy - stamp.height / 2)
    }

    /// A round official seal: a ring, a five-pointed star, the bureau's name along the top arc and
    /// its purpose beneath the star.
    func drawSeal(authority: String, cx: Int, cy: Int, radius: Int, _ red: Canvas.Color, on canvas: Canvas) {
        canvas.circle(cx: cx, cy: cy, radius: radius, thickness: 9, red)
        let outer = Double(radius) * 0.3, inner = outer * 0.382
        let points = (0..<10).map { index -> (Int, Int) in
            let angle = Double.pi / 2 + Double(index) * Double.pi / 5
            let r = index.isMultiple(of: 2) ? outer : inner
            return (cx + Int((r * cos(angle)).rounded()), cy - Int((r * sin(angle)).rounded()))
        }
        canvas.polygon(points, red)
        canvas.arcText(authority, cx: cx, cy: cy, radius: Double(radius) * 0.7, sweep: Double.pi * 1.2, size: 24, red)
        let purpose = "电子证照专用章"
        canvas.text(purpose, x: cx - canvas.measure(purpose, size: 17) / 2, y: cy + Int(Double(radius) * 0.62), size: 17, red)
    }
}
