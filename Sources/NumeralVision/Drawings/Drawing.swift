import Foundation

/// One sampled position of the pen, in canvas pixels with y pointing down.
/// Pressure (0...1) and time (seconds since the drawing began) are optional because
/// mice report neither and old logs may lack them.
public struct StrokePoint: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var pressure: Double?
    public var time: Double?

    public init(x: Double, y: Double, pressure: Double? = nil, time: Double? = nil) {
        self.x = x
        self.y = y
        self.pressure = pressure
        self.time = time
    }
}

/// The points of one pen-down ... pen-up movement.
public struct Stroke: Equatable, Sendable {
    public var points: [StrokePoint]
    public init(points: [StrokePoint]) { self.points = points }
}

/// A drawing as the canvas produces it and the store keeps it: strokes in canvas pixels.
/// Its JSON form is `{"strokes": [[[x, y], ...], ...], "width": w, "height": h, "label": d}`;
/// a point may carry pressure and time as a third and fourth element.
public struct Drawing: Equatable, Sendable {
    public var strokes: [Stroke]
    public var width: Double?
    public var height: Double?
    public var label: Int?

    public init(strokes: [Stroke], width: Double? = nil, height: Double? = nil, label: Int? = nil) {
        self.strokes = strokes
        self.width = width
        self.height = height
        self.label = label
    }

    public var isEmpty: Bool { strokes.allSatisfy { $0.points.isEmpty } }
}

extension Drawing: Codable {
    private enum CodingKeys: String, CodingKey { case strokes, width, height, label }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode([[[Double?]]].self, forKey: .strokes)
        strokes = try raw.enumerated().map { strokeIndex, stroke in
            Stroke(points: try stroke.enumerated().map { pointIndex, p in
                guard p.count >= 2, let x = p[0], let y = p[1] else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: c.codingPath,
                        debugDescription: "stroke \(strokeIndex + 1), point \(pointIndex + 1) needs [x, y] numbers"))
                }
                return StrokePoint(x: x, y: y,
                                   pressure: p.count > 2 ? p[2] : nil,
                                   time: p.count > 3 ? p[3] : nil)
            })
        }
        width = try c.decodeIfPresent(Double.self, forKey: .width)
        height = try c.decodeIfPresent(Double.self, forKey: .height)
        // A digit's label is a number; a letter's is a string ("g"), which the drawing keeps only
        // when it names a digit (`LabelledCharacters` reads letter labels).
        if let text = try? c.decodeIfPresent(String.self, forKey: .label) {
            guard text.count == 1 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .label, in: c, debugDescription: "a label is a whole number or one character (a letter), not \"\(text.prefix(20))\"")
            }
            label = Int(text)
        } else {
            label = try c.decodeIfPresent(Int.self, forKey: .label)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let raw: [[[Double?]]] = strokes.map { stroke in
            stroke.points.map { p in
                var v: [Double?] = [p.x, p.y]
                if p.pressure != nil || p.time != nil { v.append(p.pressure) }
                if let t = p.time { v.append(t) }
                return v
            }
        }
        try c.encode(raw, forKey: .strokes)
        try c.encodeIfPresent(width, forKey: .width)
        try c.encodeIfPresent(height, forKey: .height)
        try c.encodeIfPresent(label, forKey: .label)
    }
}
