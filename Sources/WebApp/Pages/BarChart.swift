import CapabilityKit
import Foundation

/// A horizontal bar chart as inline SVG: a row per category, its name above its bar, and its
/// value as text at the bar's end, over a value axis. Rows stack downwards and names have the
/// whole width, so a chart stays readable on a 375 px phone however many rows it has; the template
/// draws it from these numbers, escaping every text, so a name never becomes markup.
struct BarChart {
    struct Row {
        /// On the axis, shortened to fit.
        let label: String
        /// In the bar's tooltip and accessible name, whole.
        let name: String
        let value: Double
        /// A part of the value drawn over the bar in the warning colour (the overdue of the active).
        var part: Double? = nil
        let text: String
    }

    struct Bar {
        let label: String
        let name: String
        let text: String
        let labelY: Int
        let y: Int
        let textY: Int
        let width: String
        let partWidth: String?
        let valueX: String
    }

    struct Tick {
        let x: String
        let label: String
    }

    /// The drawing's coordinates (the viewBox is `width` wide): names start at `barStart` above
    /// their bars, which are at most `barLength` long, leaving room for the value's text.
    static let width = 320
    static let barStart = 6
    static let barLength = 220.0
    static let rowHeight = 34
    static let barHeight = 13
    static let labelLength = 24

    let id: String
    let title: String
    let description: String
    let bars: [Bar]
    let ticks: [Tick]
    let axisY: Int
    let tickY: Int
    let height: Int
    /// The coordinates again for the template, which sees only stored values.
    let viewWidth = BarChart.width
    let barX = BarChart.barStart
    /// Names start just right of the axis line.
    let labelX = BarChart.barStart + 4
    let barEnd = BarChart.barStart + Int(BarChart.barLength)
    let barHeight = BarChart.barHeight

    /// `scale` fixes the axis' end (100 for a percentage); by default it is the largest value
    /// rounded up to a round number.
    init(id: String, title: String, description: String, rows: [Row], scale: Double? = nil, tick: (Double) -> String = { String(Int($0)) }) {
        self.id = id
        self.title = title
        self.description = description
        let maximum = scale ?? Self.roundedUp(rows.map(\.value).max() ?? 0)
        func length(_ value: Double) -> Double { maximum > 0 ? Self.barLength * min(value, maximum) / maximum : 0 }
        bars = rows.enumerated().map { index, row in
            let top = 4 + index * Self.rowHeight
            let width = length(row.value)
            return Bar(label: Self.shortened(row.label), name: row.name, text: row.text, labelY: top + 11, y: top + 15, textY: top + 26,
                       width: Self.number(width),
                       partWidth: row.part.flatMap { $0 > 0 ? Self.number(length($0)) : nil },
                       valueX: Self.number(Double(Self.barStart) + width + 4))
        }
        axisY = 4 + rows.count * Self.rowHeight
        tickY = axisY + 13
        height = tickY + 5
        let marks = maximum.truncatingRemainder(dividingBy: 2) == 0 && maximum >= 2 ? [0, maximum / 2, maximum] : [0, maximum]
        ticks = marks.map { Tick(x: Self.number(Double(Self.barStart) + length($0)), label: tick($0)) }
    }

    /// 1, 2, 4, 5 or 10 times a power of ten: an axis end people read at a glance.
    static func roundedUp(_ value: Double) -> Double {
        guard value > 1 else { return 1 }
        var power = 1.0
        while power * 10 < value { power *= 10 }
        return [1.0, 2, 4, 5, 10].map { $0 * power }.first { $0 >= value } ?? value
    }

    static func shortened(_ label: String) -> String {
        label.count > labelLength ? String(label.prefix(labelLength - 1)) + "…" : label
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
