import CGD
import Foundation

/// A palette image drawn with libgd: the one place libgd is called. Palette images encode to PNG
/// faster and smaller than truecolor, and a certificate needs only a few colours.
final class Canvas {
    private let image: gdImagePtr
    let width: Int
    let height: Int
    let fontPath: String

    struct Color {
        let index: Int32
    }

    struct RGB: Sendable, Equatable {
        let red: UInt8
        let green: UInt8
        let blue: UInt8
    }

    /// libgd's FreeType cache must be set up once before threads draw text.
    static let fontCacheReady: Bool = gdFontCacheSetup() == 0

    /// A new palette image is all colour 0, so allocating the background first paints it
    /// without touching a pixel.
    init(width: Int, height: Int, background: (red: Int32, green: Int32, blue: Int32), fontPath: String) {
        _ = Self.fontCacheReady
        image = gdImageCreate(Int32(width), Int32(height))
        self.width = width
        self.height = height
        self.fontPath = fontPath
        _ = color(background.red, background.green, background.blue)
    }

    deinit {
        gdImageDestroy(image)
    }

    func color(_ red: Int32, _ green: Int32, _ blue: Int32) -> Color {
        Color(index: gdImageColorAllocate(image, red, green, blue))
    }

    /// Writes the palette rows directly: libgd fills pixel by pixel, which was a third of a QR
    /// card's drawing time.
    func fill(x: Int, y: Int, width: Int, height: Int, _ color: Color) {
        let left = max(x, 0), right = min(x + width, self.width)
        guard left < right else { return }
        for row in max(y, 0)..<max(max(y, 0), min(y + height, self.height)) {
            memset(image.pointee.pixels[row]! + left, color.index, right - left)
        }
    }

    func rectangle(x: Int, y: Int, width: Int, height: Int, thickness: Int, _ color: Color) {
        gdImageSetThickness(image, Int32(thickness))
        gdImageRectangle(image, Int32(x), Int32(y), Int32(x + width - 1), Int32(y + height - 1), color.index)
        gdImageSetThickness(image, 1)
    }

    /// A ring: libgd's ellipse ignores the line thickness, so concentric circles make the width.
    func circle(cx: Int, cy: Int, radius: Int, thickness: Int, _ color: Color) {
        for r in (radius - thickness / 2)...(radius + thickness / 2) {
            gdImageEllipse(image, Int32(cx), Int32(cy), Int32(r * 2), Int32(r * 2), color.index)
        }
    }

    func polygon(_ points: [(Int, Int)], _ color: Color) {
        var gdPoints = points.map { gdPoint(x: Int32($0.0), y: Int32($0.1)) }
        gdImageFilledPolygon(image, &gdPoints, Int32(gdPoints.count), color.index)
    }

    /// Draws `text` with its baseline at `y`; returns the width it took. Control characters are
    /// dropped first, so no name can move the pen or break the layout.
    @discardableResult
    func text(_ text: String, x: Int, y: Int, size: Double, _ color: Color, angle: Double = 0, draw: Bool = true) -> Int {
        let safe = Self.printable(text)
        var bounds = [Int32](repeating: 0, count: 8)
        let error = fontPath.withCString { font in
            safe.withCString { string in
                gdImageStringFT(draw ? image : nil, &bounds, color.index, font, size, angle, Int32(x), Int32(y), string)
            }
        }
        guard error == nil else { return 0 }
        return Int(bounds[2] - bounds[0])
    }

    func measure(_ text: String, size: Double) -> Int {
        self.text(text, x: 0, y: 0, size: size, Color(index: 0), draw: false)
    }

    /// Text set along the upper arc of a circle, each character upright to the centre (a seal's
    /// inscription), spread over `sweep` radians centred at the top.
    func arcText(_ text: String, cx: Int, cy: Int, radius: Double, sweep: Double, size: Double, _ color: Color) {
        let characters = Array(Self.printable(text))
        guard !characters.isEmpty else { return }
        let step = characters.count > 1 ? sweep / Double(characters.count - 1) : 0
        for (index, character) in characters.enumerated() {
            let theta = Double.pi / 2 + sweep / 2 - Double(index) * step
            let half = Double(measure(String(character), size: size)) / 2
            // The glyph's baseline starts half a glyph before the point on the arc, along the tangent.
            let x = Double(cx) + radius * cos(theta) + half * sin(theta)
            let y = Double(cy) - radius * sin(theta) + half * cos(theta)
            self.text(String(character), x: Int(x.rounded()), y: Int(y.rounded()), size: size, color, angle: theta - Double.pi / 2)
        }
    }

    /// The whole canvas as a stamp; colour 0, allocated first, is its background.
    func stamp() -> Stamp {
        let image = image.pointee
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height)
        for row in 0..<height { pixels.append(contentsOf: UnsafeBufferPointer(start: image.pixels[row]!, count: width)) }
        return Stamp(width: width, height: height, pixels: pixels, colors: palette())
    }

    /// Lays `stamp` with its top left corner at (`x`, `y`): every pixel but its background, each
    /// colour matched to this canvas's palette (or added to it).
    func lay(_ stamp: Stamp, x: Int, y: Int) {
        let indices = stamp.colors.map { UInt8(truncatingIfNeeded: gdImageColorResolve(image, Int32($0.red), Int32($0.green), Int32($0.blue))) }
        let columns = max(0, -x)..<max(max(0, -x), min(stamp.width, width - x))
        for row in max(0, -y)..<max(max(0, -y), min(stamp.height, height - y)) {
            let target = image.pointee.pixels[y + row]!
            let source = row * stamp.width
            for column in columns where stamp.pixels[source + column] != 0 {
                target[x + column] = indices[Int(stamp.pixels[source + column])]
            }
        }
    }

    func palette() -> [RGB] {
        let image = image.pointee
        let count = Int(image.colorsTotal)
        return withUnsafeBytes(of: image.red) { red in
            withUnsafeBytes(of: image.green) { green in
                withUnsafeBytes(of: image.blue) { blue in
                    let (r, g, b) = (red.bindMemory(to: Int32.self), green.bindMemory(to: Int32.self), blue.bindMemory(to: Int32.self))
                    return (0..<count).map { RGB(red: UInt8(r[$0]), green: UInt8(g[$0]), blue: UInt8(b[$0])) }
                }
            }
        }
    }

    func png() throws -> Data {
        try PalettePNG.encode(rows: image.pointee.pixels, width: width, height: height, palette: palette())
    }

    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.generalCategory.isControlOrFormat }))
    }
}

extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}
