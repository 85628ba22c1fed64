/// What every certificate of a layout sets the same, measured once when the layouts load rather
/// than on each certificate: the titles' and subject labels' widths at the sizes they are drawn,
/// and a card's note cut into lines when it has no placeholders. Each measurement is a FreeType
/// layout of the whole string.
struct RuledText: Sendable {
    private(set) var widths: [String: Int] = [:]
    /// A card's note in lines, by template.
    private(set) var cardNotes: [String: [String]] = [:]

    /// The sizes the renderer draws them at: a certificate's title, a card's title and label.
    static let certificateTitle = 44.0, cardTitle = 36.0, cardLabel = 22.0, cardNote = 16.0

    init(_ layouts: [String: CertificateLayout], fontPath: String) {
        let ruler = Canvas(width: 1, height: 1, background: (255, 255, 255), fontPath: fontPath)
        for (template, layout) in layouts {
            for (text, size) in [(layout.title, Self.certificateTitle), (layout.title, Self.cardTitle)] + (layout.subjectLabel.map { [($0, Self.cardLabel)] } ?? []) {
                widths[Self.key(text, size)] = ruler.measure(text, size: size)
            }
            if let note = layout.note, !note.contains("{{") {
                cardNotes[template] = CertificateRenderer.wrapped(note, width: CertificateRenderer.cardTextWidth, size: Self.cardNote, on: ruler)
            }
        }
    }

    static func key(_ text: String, _ size: Double) -> String { "\(size)|\(text)" }

    /// `text`'s width at `size`: measured at load when it is a layout's own, on `canvas` otherwise.
    func width(of text: String, size: Double, on canvas: Canvas) -> Int {
        widths[Self.key(text, size)] ?? canvas.measure(text, size: size)
    }
}
